"""Load the demo content; running it again updates the same rows and duplicates nothing."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from events.history import history_paused
from events.models import (
    CountryQuota,
    Delegate,
    Event,
    Room,
    Session,
    SessionSpeaker,
    Speaker,
    Track,
)
from news.models import Newsletter, Post
from organizations.identifiers import with_bin_check_digit
from organizations.models import FocusArea, Membership, Organization
from portal import demo

# Only with DEBUG on: known passwords must never reach a production database.
DEMO_ACCOUNTS = {
    "organizer": ("organizer@example.org", "organizer-demo"),
    "demo-cso": ("demo-cso@example.org", "demo-cso-password"),
}


def _registration_number(country, index):
    digits = f"{index + 1:03d}"
    return {
        "KZ": with_bin_check_digit(f"120540{digits}12"),  # BIN: 12 digits, check digit
        "KG": f"0120320{digits}1010",  # INN: 14 digits
        "TJ": f"520{digits}987",  # TIN: 9 digits
        "UZ": f"30{digits}4567",  # STIR: 9 digits
    }.get(country, "")


class Command(BaseCommand):
    help = "Create or update the demo forum, its agenda and speakers, and fictional CSOs."

    @transaction.atomic
    def handle(self, *args, **options):
        # The demo is loaded again at every `make run`: that is no one's change to record.
        with history_paused():
            self.seed(**options)

    def seed(self, **options):
        focus_areas = {area.slug: area for area in FocusArea.objects.all()}
        organizations = self.seed_organizations(focus_areas)
        speakers = self.seed_speakers()
        for data in demo.EVENTS:
            dates = demo.next_forum_dates(timezone.localdate()) if data is demo.SIXTH_FORUM else {}
            event = self.seed_event({**data, **dates}, focus_areas)
            if data is demo.FIFTH_FORUM:
                self.seed_agenda(event, speakers)
            if data is demo.SIXTH_FORUM:
                self.seed_delegates(event, organizations)
                self.seed_logistics(event)
        self.seed_news(focus_areas)
        if settings.DEBUG:
            self.seed_accounts(organizations[0])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(demo.EVENTS)} events, {len(demo.SESSIONS)} sessions, "
                f"{len(speakers)} speakers, {len(organizations)} organizations."
            )
        )

    def seed_organizations(self, focus_areas):
        now = timezone.now()
        organizations = []
        for index, row in enumerate(demo.ORGANIZATIONS):
            country, name, name_local, acronym, legal_form, year, areas, sdgs = row
            status, visibility = demo.SPECIAL_STATES.get(index, ("approved", "public"))
            # A city the name mentions ("Almaty Youth Voices"), else one of the country's.
            cities = demo.CITIES[country]
            city = next((c for c in cities if c in name), cities[index % len(cities)])
            area_names = ", ".join(focus_areas[slug].name_en.lower() for slug in areas)
            organization, _ = Organization.objects.update_or_create(
                slug=slugify(name.replace("(demo)", "")),
                defaults={
                    "name": name,
                    "name_local": name_local,
                    "acronym": acronym,
                    "country": country,
                    "city": city,
                    "legal_form": legal_form,
                    "registration_number": _registration_number(country, index),
                    "year_founded": year,
                    "description": (
                        f"A fictional organization created to demonstrate the portal. "
                        f"{name.replace(' (demo)', '')} works on {area_names} in {city} and "
                        f"across the region."
                    ),
                    "website": f"https://{slugify(acronym or name)[:20]}.example.org",
                    "public_email": f"info@{slugify(acronym or name)[:20]}.example.org",
                    "working_languages": demo.LANGUAGES[country] + ["en"] * (index % 3 == 0),
                    "size_band": demo.SIZE_BANDS[index % 4],
                    "visibility": visibility,
                    "status": status,
                    "contact_position": "Director",
                    "consent_version": "2025-01",
                    "consent_given_at": now,
                    "submitted_at": now - datetime.timedelta(days=400 - index * 9),
                    "approved_at": (
                        now - datetime.timedelta(days=380 - index * 9)
                        if status == "approved"
                        else None
                    ),
                },
            )
            organization.focus_areas.set([focus_areas[slug] for slug in areas])
            organization.sdgs.set(sdgs)
            organizations.append(organization)
        return organizations

    def seed_speakers(self):
        speakers = {}
        for data in demo.SPEAKERS:
            fields = dict(data)
            slug = fields.pop("slug")
            speakers[slug], _ = Speaker.objects.update_or_create(slug=slug, defaults=fields)
        return speakers

    def seed_news(self, focus_areas):
        events = {event.slug: event for event in Event.objects.all()}
        for row in demo.NEWS_POSTS:
            fields = dict(row)
            slug, themes, event = fields.pop("slug"), fields.pop("themes"), fields.pop("event")
            published_at = fields.pop("published")
            post, _ = Post.objects.update_or_create(
                slug=slug,
                defaults={
                    **fields,
                    "published_at": published_at,
                    "status": Post.Status.PUBLISHED,
                    "event": events.get(event),
                },
            )
            post.focus_areas.set([focus_areas[theme] for theme in themes])
        # A draft newsletter for organizers to try (never sent by the demo itself).
        sixth = events.get(demo.SIXTH_FORUM["slug"])
        Newsletter.objects.get_or_create(
            subject_en=demo.DEMO_NEWSLETTER["subject_en"],
            defaults={**demo.DEMO_NEWSLETTER, "event": sixth},
        )

    def seed_event(self, data, focus_areas):
        fields = dict(data)
        slug, themes = fields.pop("slug"), fields.pop("themes")
        event, _ = Event.objects.update_or_create(slug=slug, defaults=fields)
        event.themes.set([focus_areas[theme] for theme in themes])
        return event

    def seed_agenda(self, event, speakers):
        tz = zoneinfo.ZoneInfo(event.time_zone)
        tracks = [
            Track.objects.update_or_create(
                event=event, name_en=name_en, defaults={"name_ru": name_ru, "order": order}
            )[0]
            for order, (name_en, name_ru) in enumerate(demo.TRACKS)
        ]
        rooms = [
            Room.objects.update_or_create(
                event=event, name_en=name_en, defaults={"name_ru": name_ru, "capacity": capacity}
            )[0]
            for name_en, name_ru, capacity in demo.ROOMS
        ]
        for row in demo.SESSIONS:
            day, start, end, kind, track, room, slug, title_en, title_ru, about, appearances = row
            date = event.start_date + datetime.timedelta(days=day - 1)
            language = "ru" if slug in demo.SESSIONS_IN_RUSSIAN else "en"
            interpretation = demo.INTERPRETATION[language] if kind != "break" else ("", "")
            session, _ = Session.objects.update_or_create(
                event=event,
                slug=slug,
                defaults={
                    "title_en": title_en,
                    "title_ru": title_ru,
                    "description_en": about,
                    "description_ru": demo.SESSION_DESCRIPTIONS_RU.get(slug, ""),
                    "kind": kind,
                    "track": tracks[track] if track is not None else None,
                    "room": rooms[room],
                    "starts_at": datetime.datetime.combine(
                        date, datetime.time.fromisoformat(start), tzinfo=tz
                    ),
                    "ends_at": datetime.datetime.combine(
                        date, datetime.time.fromisoformat(end), tzinfo=tz
                    ),
                    "language": language,
                    "interpretation_en": interpretation[0],
                    "interpretation_ru": interpretation[1],
                    "capacity": rooms[room].capacity if kind == "workshop" else None,
                    **demo.SESSION_ONLINE.get(
                        slug, demo.WORKSHOP_ONLINE if kind == "workshop" else {}
                    ),
                },
            )
            for order, (speaker_slug, role) in enumerate(appearances):
                SessionSpeaker.objects.update_or_create(
                    session=session,
                    speaker=speakers[speaker_slug],
                    defaults={"role": role, "order": order},
                )

    def seed_delegates(self, event, organizations):
        for country, quota in demo.SIXTH_FORUM_QUOTAS.items():
            CountryQuota.objects.update_or_create(
                event=event, country=country, defaults={"quota": quota}
            )
        now = timezone.now()
        for index, name, position, gender, age_band in demo.SIXTH_FORUM_DELEGATES:
            Delegate.objects.update_or_create(
                event=event,
                email=f"{slugify(name)}@delegates.example.org",
                defaults={
                    "organization": organizations[index],
                    "full_name": name,
                    "position": position,
                    "gender": gender,
                    "age_band": age_band,
                    "status": Delegate.Status.CONFIRMED,
                    "confirmed_at": now,
                },
            )

    def seed_logistics(self, event):
        """A hotel with its rooms, the letter's settings, travel and letters for a few
        delegates (fictional passport data), and everybody's badge."""
        from logistics import services as logistics
        from logistics.models import (
            PASSPORT_CONSENT_VERSION,
            EventLogistics,
            Hotel,
            Letter,
            RoomBlock,
            TravelStay,
        )

        EventLogistics.objects.update_or_create(event=event, defaults=demo.SIXTH_FORUM_LETTER)
        hotel, _ = Hotel.objects.update_or_create(
            event=event, name=demo.SIXTH_FORUM_HOTEL["name"], defaults=demo.SIXTH_FORUM_HOTEL
        )
        block, _ = RoomBlock.objects.update_or_create(
            hotel=hotel,
            room_type="Single",
            defaults={
                "rooms": 60,
                "check_in": event.start_date - datetime.timedelta(days=1),
                "check_out": event.end_date + datetime.timedelta(days=1),
            },
        )
        delegates = list(event.delegates.order_by("pk"))
        for number, delegate in enumerate(delegates[:3]):
            TravelStay.objects.update_or_create(
                delegate=delegate,
                defaults={
                    "arrival_date": event.start_date - datetime.timedelta(days=1),
                    "arrival_transport": "plane",
                    "departure_date": event.end_date + datetime.timedelta(days=1),
                    "departure_transport": "plane",
                    "visa_needed": number == 2,
                    "passport_name": delegate.full_name,
                    "nationality": delegate.organization.country,
                    "passport_number": f"DEMO{number + 1:05d}",
                    "passport_expiry": event.end_date + datetime.timedelta(days=1000),
                    "date_of_birth": datetime.date(1990 + number, 3, 14),
                    "consent_confirmed_at": timezone.now(),
                    "consent_version": PASSPORT_CONSENT_VERSION,
                    "travel_funded": True,
                    "accommodation_funded": True,
                    "room_block": block,
                    "room_number": str(301 + number),
                },
            )
            if not Letter.objects.filter(delegate=delegate).exists():
                logistics.letter_issue(delegate=delegate, by=None)
        logistics.badges_for_delegates(event.delegates.confirmed())

    def seed_accounts(self, organization):
        user_model = get_user_model()
        organizers, _ = Group.objects.get_or_create(name="Organizers")
        username = "organizer"
        email, password = DEMO_ACCOUNTS[username]
        organizer, created = user_model.objects.get_or_create(
            username=username, defaults={"email": email, "is_staff": True, "is_superuser": True}
        )
        if created:
            organizer.set_password(password)
            organizer.save()
        organizer.groups.add(organizers)

        username = "demo-cso"
        email, password = DEMO_ACCOUNTS[username]
        member, created = user_model.objects.get_or_create(
            username=username, defaults={"email": email, "first_name": "Demo"}
        )
        if created:
            member.set_password(password)
            member.save()
        Membership.objects.get_or_create(
            user=member, organization=organization, defaults={"role": Membership.Role.OWNER}
        )
        self.stdout.write(
            "Demo accounts (DEBUG only): organizer / organizer-demo (admin), "
            "demo-cso@example.org / demo-cso-password (CSO member, signs in with the email)."
        )
