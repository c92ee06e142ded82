"""Seed the benchmark database with the network's real size, in bulk.

10,000 organizations over the five countries, 100 events, 5,000 sessions, 2,000 speakers and
20,000 delegates (when the Delegate model exists); the largest event has 300 sessions in 5 rooms
over 3 days with 200 speakers. Run through bench/run.py, which points DATABASE_URL at a
separate, freshly migrated database.
"""

import argparse
import datetime
import os
import random
import sys
import time
import zoneinfo

import django

BATCH = 2000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, help="only resize to this many organizations")
    parser.add_argument("--delegates", type=int, help="only resize to this many delegates")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from django.db import connection, transaction

    started = time.monotonic()
    with transaction.atomic():
        if args.organizations is not None or args.delegates is not None:
            counts = resize(args.organizations, args.delegates, random.Random(2026))  # noqa: S311
        else:
            counts = seed(random.Random(2025))  # noqa: S311
    # Fresh planner statistics: without them PostgreSQL may pick a sequential scan for search.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.monotonic() - started
    print(
        "seeded " + ", ".join(f"{n} {what}" for what, n in counts.items()) + f" in {seconds:.1f} s"
    )


def resize(organizations, delegates, rng):
    """Grow or shrink the tables the admin lists measure, in bulk (no signals: the page cache
    is emptied before every pass of the benchmark anyway)."""
    from django.db import connection

    from events.models import Delegate, Event
    from organizations.models import Organization

    counts = {}
    with connection.cursor() as cursor:
        if organizations is not None:
            extra = Organization.objects.count() - organizations
            if extra > 0:
                victims = list(
                    Organization.objects.filter(slug__startswith="bench-organization-extra-")
                    .order_by("-pk")
                    .values_list("pk", flat=True)[:extra]
                )
                for table in ("organizations_organization_focus_areas",
                              "organizations_organization_sdgs"):  # fmt: skip
                    cursor.execute(
                        f"DELETE FROM {table} WHERE organization_id = ANY(%s)",  # noqa: S608
                        [victims],
                    )
                cursor.execute(
                    "DELETE FROM organizations_organization WHERE id = ANY(%s)", [victims]
                )
            elif extra < 0:
                start = Organization.objects.count()
                Organization.objects.bulk_create(
                    [
                        Organization(
                            name=f"Extra Organization {number}",
                            slug=f"bench-organization-extra-{number}",
                            normalized_name=f"extra organization {number}",
                            country=rng.choice(["KZ", "KG", "TJ", "TM", "UZ"]),
                            city="Almaty",
                            legal_form=Organization.LegalForm.PUBLIC_ASSOCIATION,
                            description="Works with communities.",
                            status="approved",
                        )
                        for number in range(start, start - extra)
                    ],
                    batch_size=BATCH,
                )
            counts["organizations"] = Organization.objects.count()
        if delegates is not None:
            extra = Delegate.objects.count() - delegates
            if extra > 0:
                victims = list(
                    Delegate.objects.order_by("-pk").values_list("pk", flat=True)[:extra]
                )
                cursor.execute(
                    "DELETE FROM events_sessionbooking WHERE delegate_id = ANY(%s)", [victims]
                )
                cursor.execute("DELETE FROM events_delegate WHERE id = ANY(%s)", [victims])
            elif extra < 0:
                events = list(Event.objects.order_by("pk"))
                organizations_ = list(Organization.objects.order_by("pk")[:5_000])
                start = Delegate.objects.count()
                Delegate.objects.bulk_create(
                    [
                        Delegate(
                            event=events[number % len(events)],
                            organization=organizations_[number % len(organizations_)],
                            full_name=f"Extra Delegate {number}",
                            email=f"extra-delegate{number}@example.org",
                            position="Programme officer",
                            status="confirmed",
                        )
                        for number in range(start, start - extra)
                    ],
                    batch_size=BATCH,
                )
            counts["delegates"] = Delegate.objects.count()
    return counts


def seed(rng):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from events.models import Event, Room, Session, SessionSpeaker, Speaker, Track
    from organizations.models import FocusArea, Organization
    from organizations.text import normalize_name

    countries = {
        "KZ": ["Almaty", "Astana", "Shymkent", "Karaganda", "Aktobe"],
        "KG": ["Bishkek", "Osh", "Karakol", "Naryn", "Talas"],
        "TJ": ["Dushanbe", "Khujand", "Khorog", "Bokhtar", "Kulob"],
        "TM": ["Ashgabat", "Mary", "Turkmenabat", "Dashoguz", "Balkanabat"],
        "UZ": ["Tashkent", "Samarkand", "Bukhara", "Nukus", "Fergana"],
    }
    words = [
        "Green", "Steppe", "Youth", "Women", "Digital", "Water", "Mountain", "Open", "Civic",
        "Future", "Health", "Rights", "Solar", "Heritage", "Valley", "Silk Road", "Clean Air",
    ]  # fmt: skip
    kinds = ["Initiative", "Foundation", "Association", "Network", "Centre", "Alliance", "Lab"]
    focus_areas = list(FocusArea.objects.all())
    now = timezone.now()

    organizations = []
    for number in range(10_000):
        country = list(countries)[number % 5]
        name = f"{rng.choice(words)} {rng.choice(words)} {rng.choice(kinds)} {number}"
        status = "approved" if number % 10 else rng.choice(["submitted", "changes_requested"])
        approved_at = now - datetime.timedelta(days=rng.randint(1, 3000))
        organizations.append(
            Organization(
                name=name,
                slug=f"bench-organization-{number}",
                normalized_name=normalize_name(name),
                country=country,
                city=rng.choice(countries[country]),
                legal_form=rng.choice(Organization.LegalForm.values),
                year_founded=rng.randint(1992, 2025),
                description=f"{name} works with communities in {country} on "
                + ", ".join(area.name_en.lower() for area in rng.sample(focus_areas, 2))
                + ".",
                visibility="public" if number % 20 else rng.choice(["network", "hidden"]),
                status=status,
                submitted_at=approved_at - datetime.timedelta(days=7),
                approved_at=approved_at if status == "approved" else None,
            )
        )
    Organization.objects.bulk_create(organizations, batch_size=BATCH)
    organizations = list(Organization.objects.only("pk", "country"))
    through = Organization.focus_areas.through
    through.objects.bulk_create(
        [
            through(organization_id=organization.pk, focusarea_id=area.pk)
            for organization in organizations
            for area in rng.sample(focus_areas, rng.randint(1, 3))
        ],
        batch_size=BATCH * 5,
    )
    goals = Organization.sdgs.through
    goals.objects.bulk_create(
        [
            goals(organization_id=organization.pk, sustainabledevelopmentgoal_id=number)
            for organization in organizations
            for number in rng.sample(range(1, 18), rng.randint(1, 3))
        ],
        batch_size=BATCH * 5,
    )

    speakers = Speaker.objects.bulk_create(
        [
            Speaker(
                name=f"Speaker {number}",
                slug=f"bench-speaker-{number}",
                position_en="Director",
                institution_en=f"Institution {number % 300}",
                precedence=rng.randint(1, 200),
            )
            for number in range(2_000)
        ],
        batch_size=BATCH,
    )

    events = []
    for number in range(100):
        start = datetime.date(2015, 1, 20) + datetime.timedelta(days=number * 45)
        country = list(countries)[number % 5]
        events.append(
            Event(
                title_en=f"Forum event {number}",
                slug="bench-largest-event" if number == 0 else f"bench-event-{number}",
                edition=number + 1,
                start_date=start,
                end_date=start + datetime.timedelta(days=2),
                time_zone="Asia/Almaty",
                city_en=countries[country][0],
                country=country,
                summary_en="A forum of the network's civil society organizations.",
                description_en="Civil society organizations meet EU, UN and government partners.",
                status="published",
                capacity=500,
            )
        )
    events = Event.objects.bulk_create(events)
    event_themes = Event.themes.through
    event_themes.objects.bulk_create(
        [
            event_themes(event_id=event.pk, focusarea_id=area.pk)
            for event in events
            for area in rng.sample(focus_areas, 3)
        ]
    )

    tz = zoneinfo.ZoneInfo("Asia/Almaty")
    tracks = Track.objects.bulk_create(
        [Track(event=event, name_en=f"Track {n}", order=n) for event in events for n in range(4)]
    )
    rooms = Room.objects.bulk_create(
        [Room(event=event, name_en=f"Room {n}", capacity=100) for event in events for n in range(5)]
    )
    tracks_of = {event.pk: [t for t in tracks if t.event_id == event.pk] for event in events}
    rooms_of = {event.pk: [r for r in rooms if r.event_id == event.pk] for event in events}

    sessions = []
    for index, event in enumerate(events):
        # The largest event: 300 sessions, 5 rooms, 3 days (20 half-hour slots a day).
        count = 300 if index == 0 else 47 + (index <= 47)
        for number in range(count):
            day, slot = divmod(number // 5, 20)
            starts = datetime.datetime.combine(
                event.start_date + datetime.timedelta(days=day % 3),
                datetime.time(8, 0),
                tzinfo=tz,
            ) + datetime.timedelta(minutes=30 * slot)
            sessions.append(
                Session(
                    event=event,
                    title_en=f"Session {number} of {event.title_en}",
                    slug=f"session-{number}",
                    kind=rng.choice(Session.Kind.values),
                    track=rng.choice(tracks_of[event.pk]),
                    room=rooms_of[event.pk][number % 5],
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=30),
                    language="en",
                    description_en="Civil society organizations and partners discuss.",
                )
            )
    sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
    largest_speakers = speakers[:200]
    appearances = []
    for session in sessions:
        pool = largest_speakers if session.event_id == events[0].pk else speakers
        for order, speaker in enumerate(rng.sample(pool, 2)):
            appearances.append(
                SessionSpeaker(session=session, speaker=speaker, role="speaker", order=order)
            )
    SessionSpeaker.objects.bulk_create(appearances, batch_size=BATCH * 5)

    counts = {
        "organizations": len(organizations),
        "events": len(events),
        "sessions": len(sessions),
        "speakers": len(speakers),
    }

    counts["delegates"] = seed_delegates(events, organizations)

    user_model = get_user_model()
    if not user_model.objects.filter(username="bench-organizer").exists():
        user_model.objects.create_superuser("bench-organizer", "bench@example.org", None)
    return counts


def seed_delegates(events, organizations):
    from django.utils import timezone

    from events.models import Delegate

    now = timezone.now()
    delegates = [
        Delegate(
            event=events[number % len(events)],
            organization=organizations[number % 5_000],
            full_name=f"Delegate {number}",
            email=f"delegate{number}@example.org",
            position="Programme officer",
            gender=["female", "male", ""][number % 3],
            status="confirmed",
            confirmed_at=now,
        )
        for number in range(20_000)
    ]
    Delegate.objects.bulk_create(delegates, batch_size=BATCH)
    return len(delegates)


if __name__ == "__main__":
    sys.exit(main())
