"""The rooming list of a hotel (Excel) and attendance for the donors' report."""

import io

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries

from events.models import Delegate
from events.reports import _safe

from .models import CheckIn, EventLogistics, TravelStay


def rooming_list_rows(hotel, *, with_passport):
    guests = (
        TravelStay.objects.filter(room_block__hotel=hotel)
        .exclude(delegate__status=Delegate.Status.CANCELLED)
        .select_related("delegate__organization", "room_block")
        .order_by("room_block__check_in", "room_number", "delegate__full_name")
    )
    header = [
        _("Name"),
        _("Organization"),
        _("Country"),
        _("Room type"),
        _("Room"),
        _("Arrival"),
        _("Departure"),
        _("Paid by the organizers"),
    ]
    if with_passport:
        header += [_("Name as in the passport"), _("Nationality"), _("Passport number")]
    yield header
    for travel in guests:
        delegate = travel.delegate
        row = [
            delegate.full_name,
            delegate.organization.name,
            str(delegate.organization.country.name),
            travel.room_block.room_type,
            travel.room_number,
            " ".join(
                part
                for part in (
                    formats.date_format(travel.arrival_date, "SHORT_DATE_FORMAT")
                    if travel.arrival_date
                    else "",
                    travel.arrival_time.strftime("%H:%M") if travel.arrival_time else "",
                )
                if part
            ),
            " ".join(
                part
                for part in (
                    formats.date_format(travel.departure_date, "SHORT_DATE_FORMAT")
                    if travel.departure_date
                    else "",
                    travel.departure_time.strftime("%H:%M") if travel.departure_time else "",
                )
                if part
            ),
            _("yes") if travel.accommodation_funded else _("no"),
        ]
        if with_passport:
            row += [
                travel.passport_name,
                str(travel.nationality.name) if travel.nationality else "",
                travel.passport_number,
            ]
        yield [_safe(value) for value in row]


def rooming_list_xlsx(hotel, *, with_passport):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = hotel.name[:31] or "Hotel"
    for number, row in enumerate(rooming_list_rows(hotel, with_passport=with_passport)):
        sheet.append(row)
        if number == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def attendance_report(delegates, event):
    """Registered (confirmed) vs attended (checked in at least once), by country, gender and
    age band; per day; per session with attendance; no-shows per organization.

    `delegates` is already narrowed to what the reader may see (a coordinator's countries)."""
    attended = CheckIn.objects.filter(badge__delegate=OuterRef("pk"))
    confirmed = (
        delegates.filter(event=event, status=Delegate.Status.CONFIRMED)
        .annotate(attended=Exists(attended))
        .order_by()
    )

    def grouped(field, choices=None, label=None):
        rows = confirmed.values(field).annotate(
            registered=Count("pk"), came=Count("pk", filter=Q(attended=True))
        )
        out = []
        for row in rows:
            value = row[field]
            name = label(value) if label else dict(choices or []).get(value) or _("Not given")
            out.append(
                {
                    "label": str(name),
                    "registered": row["registered"],
                    "attended": row["came"],
                    "share": _share(row["came"], row["registered"]),
                }
            )
        return sorted(out, key=lambda row: row["label"])

    by_country = grouped("organization__country", label=lambda code: countries.name(code) or code)
    totals = {
        "registered": sum(row["registered"] for row in by_country),
        "attended": sum(row["attended"] for row in by_country),
    }
    per_day = dict(
        CheckIn.objects.filter(
            badge__event=event, session__isnull=True, badge__delegate__in=confirmed.values("pk")
        )
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    settings = EventLogistics.objects.filter(event=event).first()
    sessions = []
    if settings:
        sessions = list(settings.attendance_sessions.order_by("starts_at"))
        counts = dict(
            CheckIn.objects.filter(session__in=sessions)
            .values_list("session")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for session in sessions:
            session.attended = counts.get(session.pk, 0)
    no_shows = list(
        confirmed.values("organization__name", "organization__country")
        .annotate(registered=Count("pk"), no_shows=Count("pk", filter=Q(attended=False)))
        .filter(no_shows__gt=0)
        .order_by("-no_shows", "organization__name")
    )
    for row in no_shows:
        row["country"] = countries.name(row["organization__country"])
    return {
        "registered": totals["registered"],
        "attended": totals["attended"],
        "share": _share(totals["attended"], totals["registered"]),
        "by_country": by_country,
        "by_gender": grouped("gender", Delegate.Gender.choices),
        "by_age_band": grouped("age_band", Delegate.AgeBand.choices),
        "per_day": [(day, per_day.get(day, 0)) for day in event.days],
        "sessions": sessions,
        "no_shows": no_shows,
    }
