"""The forum's PDFs, drawn with ReportLab: invitation letters, badges, certificates.

Text is set in DejaVu Sans (shipped in logistics/fonts/ with its licence), which has every
letter of the network's languages (Қ Ө Ү Ұ Ғ Ә І Ң Һ, oʻ gʻ). QR codes (segno) are drawn as
vector squares, so they stay sharp at any printer's resolution.
"""

import io
import re
from functools import cache
from pathlib import Path

import segno
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A6, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from events.templatetags.dates import date_range
from organizations.emails import absolute

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
# The forum's look: the portal's navy and its accent (static/css).
NAVY = colors.HexColor("#1f3a5f")
ACCENT = colors.HexColor("#f2a900")
ROLE_COLOURS = {
    "delegate": colors.HexColor("#1f6fb2"),
    "speaker": colors.HexColor("#7b2d8e"),
    "organizer": colors.HexColor("#1e7b45"),
    "press": colors.HexColor("#d9600c"),
    "staff": colors.HexColor("#5a5a5a"),
}


@cache
def register_fonts():
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    # So that <b> in a paragraph (logistics/programme.py) is set in the bold face.
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return True


def _canvas(output, pagesize, title):
    register_fonts()
    pdf = canvas.Canvas(output, pagesize=pagesize, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor(str(_("EU–Central Asia Civil Society Portal")))
    return pdf


def draw_qr(pdf, data, x, y, size):
    """A QR code of `data`, lower left corner at (x, y), `size` wide with its quiet zone."""
    code = segno.make(data, error="m", micro=False)
    matrix = list(code.matrix_iter(border=4))
    module = size / len(matrix)
    pdf.saveState()
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(colors.black)
    for row_number, row in enumerate(matrix):
        top = y + size - (row_number + 1) * module
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                pdf.rect(x + start * module, top, (column - start) * module, module, 0, 1)
                start = None
    pdf.restoreState()


def _paragraph(pdf, text, x, y, width, font=REGULAR, size=10.5, leading=None):
    """Draw wrapped text from the top line at y; returns the y below it."""
    leading = leading or size * 1.4
    pdf.setFont(font, size)
    for block in text.split("\n"):
        lines = simpleSplit(block, font, size, width) or [""]
        for line in lines:
            pdf.drawString(x, y, line)
            y -= leading
    return y


def _fit(pdf, text, font, size, width, smallest=6):
    """The largest size up to `size` at which the text fits in `width`."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


# --- Letters -----------------------------------------------------------------------------------

DEFAULT_LETTER = {
    "en": (
        "To whom it may concern\n\n"
        "We are pleased to invite {name}, national of {nationality}, born on {date_of_birth}, "
        "holder of passport No. {passport_number}, representing {organization}, to take part "
        "in {event}, held in {city}, {country}, on {dates}.\n\n"
        "We kindly ask the consular authorities to issue the visa needed for this visit. "
        "The authenticity of this letter can be checked with the QR code below."
    ),
    "ru": (
        "По месту требования\n\n"
        "Мы рады пригласить {name}, гражданина(ку) страны {nationality}, дата рождения "
        "{date_of_birth}, паспорт № {passport_number}, представителя организации "
        "{organization}, принять участие в мероприятии «{event}», которое пройдёт в городе "
        "{city} ({country}) {dates}.\n\n"
        "Просим консульские учреждения выдать визу, необходимую для этой поездки. "
        "Подлинность письма можно проверить по QR-коду ниже."
    ),
}


def _fill(text, values):
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def _letter_values(delegate, travel):
    event = delegate.event
    return {
        "name": travel.passport_name or delegate.full_name,
        "nationality": travel.nationality.name if travel.nationality else "—",
        "passport_number": travel.passport_number or "—",
        "date_of_birth": formats.date_format(travel.date_of_birth, "DATE_FORMAT")
        if travel.date_of_birth
        else "—",
        "organization": delegate.organization.name,
        "event": event.title,
        "dates": date_range(event.start_date, event.end_date),
        "city": event.city,
        "country": event.country.name,
    }


def _letter_page(pdf, letter, settings, language):
    delegate = letter.delegate
    event = delegate.event
    width, height = A4
    margin = 22 * mm
    with translation.override(language):
        pdf.setFillColor(NAVY)
        pdf.rect(0, height - 12 * mm, width, 12 * mm, stroke=0, fill=1)
        pdf.setFillColor(ACCENT)
        pdf.rect(0, height - 14 * mm, width, 2 * mm, stroke=0, fill=1)
        pdf.setFillColor(colors.black)
        y = height - 26 * mm
        letterhead = (settings.letterhead if settings else "") or str(
            _("EU–Central Asia Civil Society Portal")
        )
        y = _paragraph(pdf, letterhead, margin, y, width - 2 * margin, BOLD, 11)
        y -= 4 * mm
        pdf.setFont(REGULAR, 10)
        pdf.drawString(margin, y, _("Reference: %(reference)s") % {"reference": letter.reference})
        pdf.drawRightString(
            width - margin, y, formats.date_format(letter.issued_at.date(), "DATE_FORMAT")
        )
        y -= 12 * mm
        pdf.setFont(BOLD, 14)
        pdf.drawString(margin, y, _("Invitation letter"))
        y -= 10 * mm
        custom = getattr(settings, f"letter_text_{language}", "") if settings else ""
        text = _fill(custom or DEFAULT_LETTER[language], _letter_values(delegate, delegate.travel))
        y = _paragraph(pdf, text, margin, y, width - 2 * margin)
        y -= 14 * mm
        if settings and settings.signatory_name:
            pdf.setFont(BOLD, 10.5)
            pdf.drawString(margin, y, settings.signatory_name)
            pdf.setFont(REGULAR, 10.5)
            pdf.drawString(margin, y - 5 * mm, settings.signatory_title)
        url = absolute(letter.get_verify_url())
        draw_qr(pdf, url, width - margin - 32 * mm, 20 * mm, 32 * mm)
        pdf.setFont(REGULAR, 8)
        pdf.drawString(margin, 26 * mm, _("Verify this letter:"))
        pdf.drawString(margin, 22 * mm, url)
        pdf.drawString(margin, 18 * mm, f"{event.title}")
    pdf.showPage()


def letter_pdf(letter):
    """The letter in English, then in Russian: two pages."""
    from .models import EventLogistics

    settings = EventLogistics.objects.filter(event_id=letter.delegate.event_id).first()
    output = io.BytesIO()
    pdf = _canvas(output, A4, f"{letter.reference}")
    for language in ("en", "ru"):
        _letter_page(pdf, letter, settings, language)
    pdf.save()
    return output.getvalue()


# --- Badges ------------------------------------------------------------------------------------

BADGE_W, BADGE_H = 90 * mm, 65 * mm


def _badge(pdf, badge, x, y, w, h, event_title):
    scale = w / BADGE_W
    colour = ROLE_COLOURS.get(badge.role, NAVY)
    pdf.saveState()
    pdf.setStrokeColor(colors.HexColor("#bbbbbb"))
    pdf.setLineWidth(0.5)
    pdf.rect(x, y, w, h, stroke=1, fill=0)
    band = 11 * mm * scale
    pdf.setFillColor(NAVY)
    pdf.rect(x, y + h - band, w, band, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    size = _fit(pdf, event_title, BOLD, 9 * scale, w - 8 * mm * scale)
    pdf.setFont(BOLD, size)
    pdf.drawString(x + 4 * mm * scale, y + h - band + 4 * mm * scale, event_title)
    # The role's colour along the bottom, with its name.
    role_band = 10 * mm * scale
    pdf.setFillColor(colour)
    pdf.rect(x, y, w, role_band, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont(BOLD, 11 * scale)
    pdf.drawCentredString(x + w / 2, y + 3.3 * mm * scale, str(badge.get_role_display()).upper())
    # Name, organization, country; the QR code on the right.
    qr = 30 * mm * scale
    text_w = w - qr - 10 * mm * scale
    pdf.setFillColor(colors.black)
    top = y + h - band - 9 * mm * scale
    name_size = _fit(pdf, badge.full_name, BOLD, 15 * scale, text_w)
    if pdfmetrics.stringWidth(badge.full_name, BOLD, 15 * scale) > text_w * 1.2:
        top = _paragraph(pdf, badge.full_name, x + 4 * mm * scale, top, text_w, BOLD, 12 * scale)
    else:
        pdf.setFont(BOLD, name_size)
        pdf.drawString(x + 4 * mm * scale, top, badge.full_name)
        top -= name_size * 1.5
    top = _paragraph(
        pdf, badge.organization_name, x + 4 * mm * scale, top, text_w, REGULAR, 9 * scale
    )
    if badge.country:
        pdf.setFillColor(colors.HexColor("#444444"))
        pdf.setFont(REGULAR, 9 * scale)
        pdf.drawString(x + 4 * mm * scale, top, str(badge.country.name))
    draw_qr(pdf, badge.code, x + w - qr - 3 * mm * scale, y + role_band + 2 * mm * scale, qr)
    pdf.restoreState()


def badges_pdf(badges, *, one_per_page=False, progress=None):
    """Badges on A4 sheets (2 × 4, with cutting margins) or one per A6 page."""
    output = io.BytesIO()
    badges = list(badges)
    if one_per_page:
        pagesize = landscape(A6)
        pdf = _canvas(output, pagesize, str(_("Badges")))
        w, h = pagesize[0] - 6 * mm, pagesize[1] - 6 * mm
        for number, badge in enumerate(badges, start=1):
            _badge(pdf, badge, 3 * mm, 3 * mm, w, h, badge.event.title)
            pdf.showPage()
            if progress:
                progress(number)
    else:
        pdf = _canvas(output, A4, str(_("Badges")))
        width, height = A4
        left = (width - 2 * BADGE_W) / 2
        bottom = (height - 4 * BADGE_H) / 2
        for number, badge in enumerate(badges):
            slot = number % 8
            column, row = slot % 2, slot // 2
            _badge(
                pdf,
                badge,
                left + column * BADGE_W,
                bottom + (3 - row) * BADGE_H,
                BADGE_W,
                BADGE_H,
                badge.event.title,
            )
            if slot == 7 or number == len(badges) - 1:
                pdf.showPage()
            if progress:
                progress(number + 1)
    if not badges:
        pdf.showPage()
    pdf.save()
    return output.getvalue()


# --- Certificates ------------------------------------------------------------------------------


def _certificate_page(pdf, certificate, language):
    delegate = certificate.delegate
    event = delegate.event
    width, height = landscape(A4)
    with translation.override(language):
        pdf.setStrokeColor(NAVY)
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setFillColor(ACCENT)
        pdf.rect(12 * mm, height - 30 * mm, width - 24 * mm, 3 * mm, stroke=0, fill=1)
        pdf.setFillColor(NAVY)
        pdf.setFont(BOLD, 26)
        pdf.drawCentredString(width / 2, height - 52 * mm, _("Certificate of attendance"))
        pdf.setFillColor(colors.black)
        pdf.setFont(REGULAR, 13)
        pdf.drawCentredString(width / 2, height - 70 * mm, _("This is to certify that"))
        size = _fit(pdf, delegate.full_name, BOLD, 24, width - 60 * mm)
        pdf.setFont(BOLD, size)
        pdf.drawCentredString(width / 2, height - 86 * mm, delegate.full_name)
        pdf.setFont(REGULAR, 13)
        pdf.drawCentredString(width / 2, height - 98 * mm, delegate.organization.name)
        pdf.drawCentredString(width / 2, height - 112 * mm, _("attended"))
        title_size = _fit(pdf, event.title, BOLD, 18, width - 60 * mm)
        pdf.setFont(BOLD, title_size)
        pdf.drawCentredString(width / 2, height - 124 * mm, event.title)
        pdf.setFont(REGULAR, 13)
        pdf.drawCentredString(
            width / 2,
            height - 135 * mm,
            f"{date_range(event.start_date, event.end_date)}, {event.city}",
        )
        pdf.setFont(REGULAR, 9)
        url = absolute(certificate.get_verify_url())
        pdf.drawString(
            22 * mm, 26 * mm, _("Reference: %(reference)s") % {"reference": certificate.reference}
        )
        pdf.drawString(22 * mm, 21 * mm, url)
        draw_qr(pdf, url, width - 50 * mm, 18 * mm, 30 * mm)
    pdf.showPage()


def certificates_pdf(certificates, *, language="en", progress=None):
    output = io.BytesIO()
    pdf = _canvas(output, landscape(A4), str(_("Certificates of attendance")))
    count = 0
    for count, certificate in enumerate(certificates, start=1):
        _certificate_page(pdf, certificate, language)
        if progress:
            progress(count)
    if not count:
        pdf.showPage()
    pdf.save()
    return output.getvalue()
