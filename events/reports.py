"""The figures donors ask for about an event's delegates, and the delegate list as a spreadsheet.

Both take a queryset of delegates already narrowed to what the reader may see (a country
coordinator's countries), so the admin's scoping holds in the report and the exports too.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from .models import CountryQuota, Delegate, Session, SessionBooking, SessionFeedback

Confirmed = Delegate.Status.CONFIRMED


@dataclass
class Row:
    label: str
    count: int
    share: float = 0.0  # percent of the confirmed delegates
    extra: dict = field(default_factory=dict)


def _share(count, total):
    return round(100 * count / total, 1) if total else 0.0


def _rows(counts, choices, total, not_given):
    rows = [Row(str(label), counts.get(value, 0)) for value, label in choices]
    rows.append(Row(str(not_given), counts.get("", 0)))
    for row in rows:
        row.share = _share(row.count, total)
    return rows


def delegate_report(delegates, event):
    """Confirmed delegates by country, gender and age band; organizations; the waiting list."""
    delegates = delegates.filter(event=event)
    confirmed = delegates.filter(status=Confirmed)
    statuses = delegates.aggregate(
        confirmed=Count("pk", filter=Q(status=Confirmed)),
        waitlisted=Count("pk", filter=Q(status=Delegate.Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Delegate.Status.CANCELLED)),
    )
    total = statuses["confirmed"]

    quotas = {
        str(country): quota
        for country, quota in CountryQuota.objects.filter(event=event).values_list(
            "country", "quota"
        )
    }
    by_country = {
        str(row["organization__country"]): row["count"]
        for row in confirmed.values("organization__country").annotate(count=Count("pk")).order_by()
    }
    country_rows = [
        Row(
            countries.name(code) or code,
            by_country.get(code, 0),
            _share(by_country.get(code, 0), total),
            {"quota": quotas.get(code), "code": code},
        )
        for code in sorted(set(by_country) | set(quotas), key=lambda c: countries.name(c) or c)
    ]

    by_gender = dict(confirmed.values_list("gender").annotate(count=Count("pk")).order_by())
    by_age = dict(confirmed.values_list("age_band").annotate(count=Count("pk")).order_by())
    crossed = {
        (row["age_band"], row["gender"]): row["count"]
        for row in confirmed.values("age_band", "gender").annotate(count=Count("pk")).order_by()
    }
    genders = [*Delegate.Gender.values, ""]
    age_gender = [
        {
            "label": label,
            "counts": [crossed.get((age, gender), 0) for gender in genders],
            "total": sum(crossed.get((age, gender), 0) for gender in genders),
        }
        for age, label in [*Delegate.AgeBand.choices, ("", _("Not given"))]
    ]

    organizations = [
        Row(
            row["organization__name"],
            row["count"],
            _share(row["count"], total),
            {"country": countries.name(row["organization__country"])},
        )
        for row in confirmed.values("organization__name", "organization__country")
        .annotate(count=Count("pk"))
        .order_by("organization__name")
    ]

    sessions = list(
        Session.objects.filter(event=event, capacity__isnull=False)
        .annotate(
            taken=Count(
                "bookings",
                filter=Q(
                    bookings__status=SessionBooking.Status.CONFIRMED,
                    bookings__delegate__in=delegates,
                ),
            ),
            waiting=Count(
                "bookings",
                filter=Q(
                    bookings__status=SessionBooking.Status.WAITLISTED,
                    bookings__delegate__in=delegates,
                ),
            ),
        )
        .order_by("starts_at", "pk")
    )

    return {
        "confirmed": total,
        "waitlisted": statuses["waitlisted"],
        "cancelled": statuses["cancelled"],
        "capacity": event.capacity,
        "by_country": country_rows,
        "by_gender": _rows(by_gender, Delegate.Gender.choices, total, _("Not given")),
        "by_age_band": _rows(by_age, Delegate.AgeBand.choices, total, _("Not given")),
        "gender_labels": [str(label) for label in Delegate.Gender.labels] + [_("Not given")],
        "age_gender": age_gender,
        "organizations": organizations,
        "sessions": sessions,
        "feedback_by_track": feedback_by_track(event),
    }


# --- Exports -----------------------------------------------------------------------------------


def export_columns():
    return [
        _("Event"),
        _("Organization"),
        _("Country"),
        _("Full name"),
        _("Email"),
        _("Position"),
        _("Gender"),
        _("Age"),
        _("Language needs"),
        _("Accessibility needs"),
        _("Status"),
        _("Waiting list position"),
        _("Sessions booked"),
        _("Registered"),
    ]


def _safe(value):
    """Text a spreadsheet would run as a formula ("=HYPERLINK(...)") is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_rows(delegates):
    """One row per delegate; a fixed number of queries whatever their number."""
    delegates = (
        delegates.select_related("event", "organization")
        .with_waitlist_position()
        .prefetch_related("bookings__session")
    )
    for delegate in delegates:
        sessions = "; ".join(
            booking.session.title
            + (f" ({_('waiting list')})" if booking.status == "waitlisted" else "")
            for booking in delegate.bookings.all()
        )
        yield [
            _safe(value)
            for value in (
                delegate.event.title,
                delegate.organization.name,
                str(delegate.organization.country.name),
                delegate.full_name,
                delegate.email,
                delegate.position,
                delegate.get_gender_display() if delegate.gender else "",
                delegate.get_age_band_display() if delegate.age_band else "",
                delegate.language_needs,
                delegate.accessibility_needs,
                str(delegate.get_status_display()),
                delegate.waitlist_position or "",
                sessions,
                timezone.localtime(delegate.created_at).strftime("%Y-%m-%d %H:%M"),
            )
        ]


def _counted(rows, progress):
    """The rows, calling `progress(rows so far)` as they go (for a background export)."""
    for count, row in enumerate(rows, start=1):
        yield row
        if progress is not None:
            progress(count)


def export_csv(delegates, *, progress=None):
    output = io.StringIO()
    # The byte order mark tells Excel the file is UTF-8 (names in Cyrillic stay readable).
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(export_columns())
    writer.writerows(_counted(export_rows(delegates), progress))
    return output.getvalue().encode("utf-8")


def export_xlsx(delegates, title, *, progress=None):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(export_columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(name)) for name in export_columns()]
    for row in _counted(export_rows(delegates), progress):
        sheet.append(row)
        widths = [
            max(width, min(len(str(value)), 50)) for width, value in zip(widths, row, strict=True)
        ]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def feedback_by_track(event):
    """Delegates' ratings of the event's sessions, averaged per track (sessions without a track
    last): [{"label", "count", "average", "sessions"}]."""
    rows = (
        SessionFeedback.objects.filter(session__event=event)
        .values("session__track_id", "session__track__name", "session__track__order")
        .annotate(
            count=Count("pk"), average=Avg("rating"), sessions=Count("session", distinct=True)
        )
        .order_by("session__track__order", "session__track__name")
    )
    result = [
        {
            "label": row["session__track__name"] or _("No track"),
            "count": row["count"],
            "average": round(row["average"], 2),
            "sessions": row["sessions"],
            "track": row["session__track_id"],
        }
        for row in rows
    ]
    return sorted(result, key=lambda row: row["track"] is None)


def feedback_by_session(event):
    """Each rated session's count, average and comments, for the organizers."""
    sessions = (
        Session.objects.filter(event=event)
        .annotate(feedback_count=Count("feedback"), feedback_average=Avg("feedback__rating"))
        .filter(feedback_count__gt=0)
        .select_related("track", "room")
        .order_by("starts_at", "pk")
    )
    comments = {}
    for session_id, rating, comment in (
        SessionFeedback.objects.filter(session__event=event)
        .exclude(comment="")
        .order_by("created_at")
        .values_list("session_id", "rating", "comment")
    ):
        comments.setdefault(session_id, []).append((rating, comment))
    rows = list(sessions)
    for session in rows:
        session.feedback_average = round(session.feedback_average, 2)
        session.comments = comments.get(session.pk, [])
    return rows
