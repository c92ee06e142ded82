"""The printable programme: an A5 booklet of the event's days, rooms, sessions and speakers.

Drawn with ReportLab's page layout (platypus) in the fonts and colours of the forum's other PDFs
(logistics/pdf.py): a cover with the dates, the venue and a QR code of the agenda online; each
day's sessions in time order with their room, track, language and speakers; an index of the
speakers with the sessions they speak in. Texts are in the active language (translated content
with its fallbacks, as on the agenda page); the online links are left out, being the agenda's.
"""

import io
import itertools
from xml.sax.saxutils import escape

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from events.forms import day_label
from events.models import Session, SessionSpeaker
from events.templatetags.dates import date_range
from organizations.emails import absolute
from organizations.i18n import active_language

from .pdf import ACCENT, BOLD, NAVY, REGULAR, draw_qr, register_fonts

PAGE_W, PAGE_H = A5
MARGIN = 12 * mm
TIME_COLUMN = 25 * mm
GREY = colors.HexColor("#5a5a5a")
BREAK_BACKGROUND = colors.HexColor("#eef1f5")


def _styles():
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=11)
    return {
        "cover_title": ParagraphStyle(
            "cover_title", fontName=BOLD, fontSize=20, leading=25, textColor=NAVY
        ),
        "cover": ParagraphStyle("cover", parent=body, fontSize=11, leading=15),
        "heading": ParagraphStyle(
            "heading", fontName=BOLD, fontSize=13, leading=17, textColor=NAVY, spaceAfter=2 * mm
        ),
        "day": ParagraphStyle(
            "day", fontName=BOLD, fontSize=11.5, leading=15, textColor=NAVY, spaceBefore=2 * mm
        ),
        "time": ParagraphStyle("time", parent=body, fontName=BOLD),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=9, leading=11.5),
        "meta": ParagraphStyle("meta", parent=body, fontSize=7.5, leading=9.5, textColor=GREY),
        "body": body,
    }


def _text(value):
    return escape(str(value))


class _QRCode(Flowable):
    """A QR code of `data`, `size` wide, with a caption under it."""

    def __init__(self, data, size, caption):
        super().__init__()
        self.data, self.size, self.caption = data, size, caption
        self.width, self.height = size, size + 5 * mm

    def draw(self):
        draw_qr(self.canv, self.data, 0, 5 * mm, self.size)
        self.canv.setFont(REGULAR, 7)
        self.canv.setFillColor(GREY)
        self.canv.drawString(2 * mm, 1.5 * mm, self.caption)


def _sessions(event):
    return list(
        event.sessions.select_related("room", "track")
        .prefetch_related(
            Prefetch("appearances", queryset=SessionSpeaker.objects.in_protocol_order())
        )
        .order_by("starts_at", "room__name", "pk")
    )


class _Labels:
    def __init__(self):
        self.kinds = dict(Session.Kind.choices)
        self.languages = dict(Session._meta.get_field("language").flatchoices)
        self.roles = {value: str(label).lower() for value, label in SessionSpeaker.Role.choices}
        self.room, self.track = _("Room:"), _("Track:")


def _session_cells(session, tz, labels, styles):
    starts = timezone.localtime(session.starts_at, tz)
    ends = timezone.localtime(session.ends_at, tz)
    time = Paragraph(f"{starts:%H:%M}–{ends:%H:%M}", styles["time"])
    details = [str(labels.kinds.get(session.kind, session.kind))]
    if session.room:
        details.append(f"{labels.room} {session.room.name}")
    if session.track:
        details.append(f"{labels.track} {session.track.name}")
    if session.kind != Session.Kind.BREAK:
        language = str(labels.languages.get(session.language, session.language))
        details.append(
            f"{language}, {session.interpretation}" if session.interpretation else language
        )
    cell = [
        Paragraph(_text(session.title), styles["title"]),
        Paragraph(_text(" · ".join(details)), styles["meta"]),
    ]
    speakers = [
        f"{_text(appearance.speaker.full_name)} ({_text(labels.roles.get(appearance.role, ''))})"
        for appearance in session.appearances.all()
    ]
    if speakers:
        cell.append(Paragraph(", ".join(speakers), styles["body"]))
    return [time, cell]


def _day_table(sessions, tz, labels, styles):
    rows = [_session_cells(session, tz, labels, styles) for session in sessions]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * mm),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#c8ced6")),
    ]
    style += [
        ("BACKGROUND", (0, number), (-1, number), BREAK_BACKGROUND)
        for number, session in enumerate(sessions)
        if session.kind == Session.Kind.BREAK
    ]
    return Table(
        rows,
        colWidths=[TIME_COLUMN, PAGE_W - 2 * MARGIN - TIME_COLUMN],
        style=TableStyle(style),
        splitByRow=True,
    )


def _speaker_index(sessions, tz, styles):
    by_speaker = {}
    for session in sessions:
        for appearance in session.appearances.all():
            speaker = appearance.speaker
            by_speaker.setdefault(speaker.pk, (speaker, []))[1].append(session)
    entries = sorted(by_speaker.values(), key=lambda entry: entry[0].name.casefold())
    flowables = []
    for speaker, spoken in entries:
        affiliation = ", ".join(part for part in (speaker.position, speaker.institution) if part)
        heading = f"<b>{_text(speaker.full_name)}</b>"
        if affiliation:
            heading += f" — {_text(affiliation)}"
        appearances = "; ".join(
            f"{_text(session.title)} "
            f"({formats.date_format(timezone.localtime(session.starts_at, tz), 'j E, H:i')})"
            for session in spoken
        )
        flowables.append(
            KeepTogether(
                [
                    Paragraph(heading, styles["body"]),
                    Paragraph(appearances, styles["meta"]),
                    Spacer(1, 1.5 * mm),
                ]
            )
        )
    return flowables


def _footer(event, printed):
    def draw(canvas, document):
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_H - 4 * mm, PAGE_W, 4 * mm, stroke=0, fill=1)
        canvas.setFont(REGULAR, 7)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 7 * mm, f"{event.title} · {printed}")
        canvas.drawRightString(PAGE_W - MARGIN, 7 * mm, str(document.page))
        canvas.restoreState()

    return draw


def _cover(event, agenda_url, printed, styles):
    place = ", ".join(part for part in (event.venue, event.address, event.city) if part)
    flowables = [
        Spacer(1, 12 * mm),
        Paragraph(_text(event.title), styles["cover_title"]),
        Spacer(1, 4 * mm),
        Paragraph(_text(date_range(event.start_date, event.end_date)), styles["cover"]),
        Paragraph(_text(f"{place}, {event.country.name}"), styles["cover"]),
        Spacer(1, 8 * mm),
        Paragraph(_text(_("Programme")), styles["heading"]),
    ]
    if event.summary:
        flowables.append(Paragraph(_text(event.summary), styles["body"]))
    flowables += [
        Spacer(1, 4 * mm),
        Paragraph(
            _text(
                _(
                    "Times are local (%(offset)s). Programme as of %(date)s; for changes, see "
                    "the agenda online:"
                )
                % {"offset": event.utc_offset, "date": printed}
            ),
            styles["meta"],
        ),
        Paragraph(_text(agenda_url), styles["meta"]),
        Spacer(1, 3 * mm),
        _QRCode(agenda_url, 30 * mm, _("The agenda online")),
    ]
    return flowables


def programme_pdf(event, *, agenda_url=None):
    """The event's programme as a PDF booklet (bytes), in the active language."""
    register_fonts()
    styles = _styles()
    labels = _Labels()
    tz = event.tzinfo
    sessions = _sessions(event)
    agenda_url = agenda_url or absolute(f"{event.get_absolute_url()}agenda/")
    printed = formats.date_format(timezone.localtime(timezone.now(), tz), "j E Y, H:i")

    story = _cover(event, agenda_url, printed, styles)
    story.append(PageBreak())
    if not sessions:
        story.append(
            Paragraph(_text(_("The programme has not been published yet.")), styles["body"])
        )
    for day, group in itertools.groupby(
        sessions, key=lambda session: timezone.localtime(session.starts_at, tz).date()
    ):
        story += [
            CondPageBreak(30 * mm),
            Paragraph(_text(day_label(day)), styles["day"]),
            _day_table(list(group), tz, labels, styles),
        ]
    index = _speaker_index(sessions, tz, styles)
    if index:
        story += [PageBreak(), Paragraph(_text(_("Speakers")), styles["heading"]), *index]

    output = io.BytesIO()
    document = BaseDocTemplate(
        output,
        pagesize=A5,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=14 * mm,
        title=f"{event.title} — {_('Programme')}",
        author=str(_("EU–Central Asia Civil Society Portal")),
        lang=active_language(),
    )
    frame = Frame(
        MARGIN, 14 * mm, PAGE_W - 2 * MARGIN, PAGE_H - MARGIN - 14 * mm, id="text", showBoundary=0
    )
    document.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=_footer(event, printed))]
    )
    document.build(story)
    return output.getvalue()
