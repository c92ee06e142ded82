"""The PDFs read back: text extracted with pypdf (Kazakh and Uzbek letters included), QR codes
decoded by zxing-cpp from the pages rendered by PDFium, independently of how they were drawn."""

import pytest

from logistics import pdf, services
from logistics.models import Badge, EventLogistics, Letter
from tests.factories import DelegateFactory, OrganizationFactory

from .conftest import KAZAKH_NAME, PASSPORT_NUMBER, UZBEK_NAME, add_passport, pdf_qr_codes, pdf_text

pytestmark = pytest.mark.django_db


def test_a_letter_in_english_and_russian_with_the_passport_data_and_a_verifying_qr(
    delegate, organizer, settings
):
    settings.PORTAL_URL = "https://forum.example.org"
    add_passport(delegate)
    EventLogistics.objects.create(
        event=delegate.event,
        letterhead="EU–Central Asia Civil Society Forum\nAlmaty, Abai avenue 1",
        signatory_name="Гүлназ Өмірбекова",
        signatory_title="Director of the Forum",
    )
    letter = services.letter_issue(delegate=delegate, by=organizer)

    content = pdf.letter_pdf(letter)
    text = pdf_text(content)

    assert KAZAKH_NAME in text
    assert PASSPORT_NUMBER in text
    assert letter.reference in text
    assert "Гүлназ Өмірбекова" in text
    assert "Invitation letter" in text
    assert "Мы рады пригласить" in text  # the Russian page
    assert "Шестой форум ЕС–Центральная Азия" in text
    url = f"https://forum.example.org/verify/{letter.reference}/"
    assert pdf_qr_codes(content) == [url, url]


def test_a_custom_letter_text_fills_its_placeholders(delegate, organizer):
    add_passport(delegate, passport_name=UZBEK_NAME, nationality="UZ")
    EventLogistics.objects.create(
        event=delegate.event,
        letter_text_en="Dear consul, {name} of {nationality}, passport {passport_number}.",
        letter_text_ru="Уважаемый консул, {name}, {unknown}.",
    )
    letter = services.letter_issue(delegate=delegate, by=organizer)

    text = pdf_text(pdf.letter_pdf(letter))

    assert f"Dear consul, {UZBEK_NAME} of Uzbekistan, passport {PASSPORT_NUMBER}." in text
    assert f"Уважаемый консул, {UZBEK_NAME}, {{unknown}}." in text
    assert "Gʻulom Oʻktamovich" in text


def test_no_letter_without_passport_data_or_consent(delegate, organizer):
    with pytest.raises(services.LetterRefused, match="passport data is missing"):
        services.letter_issue(delegate=delegate, by=organizer)
    add_passport(delegate, consent_confirmed_at=None)
    with pytest.raises(services.LetterRefused, match="consent"):
        services.letter_issue(delegate=delegate, by=organizer)
    assert not Letter.objects.exists()


def test_a_new_letter_withdraws_the_earlier_one(delegate, organizer):
    add_passport(delegate)
    first = services.letter_issue(delegate=delegate, by=organizer)
    second = services.letter_issue(delegate=delegate, by=organizer)
    first.refresh_from_db()
    assert first.status == Letter.Status.WITHDRAWN
    assert second.status == Letter.Status.ISSUED
    assert first.reference != second.reference


def test_badges_on_a4_sheets_carry_only_their_codes(forum_today):
    organization = OrganizationFactory(name="Oʻzbekiston yoshlari", country="UZ")
    delegates = [
        DelegateFactory(event=forum_today, organization=organization, full_name=name)
        for name in (KAZAKH_NAME, UZBEK_NAME, "Ҳамид Раҳимов", "Ұлжан Ғалымқызы", "Іңкәр Һ.")
    ]
    badges = services.badges_for_delegates(
        type(delegates[0]).objects.filter(pk__in=[d.pk for d in delegates])
    )
    badges[1].role = Badge.Role.SPEAKER
    badges[1].save()

    content = pdf.badges_pdf(Badge.objects.select_related("event").order_by("full_name"))
    text = " ".join(pdf_text(content).split())  # a long name wraps onto two lines

    for name in (KAZAKH_NAME, UZBEK_NAME, "Ҳамид Раҳимов", "Ұлжан Ғалымқызы", "Іңкәр Һ."):
        assert name in text
    assert "Oʻzbekiston yoshlari" in text
    assert "Uzbekistan" in text
    assert "SPEAKER" in text and "DELEGATE" in text
    assert sorted(pdf_qr_codes(content)) == sorted(badge.code for badge in badges)
    for badge in badges:
        assert str(badge.pk) != badge.code and len(badge.code) >= 16


def test_nine_badges_take_two_a4_sheets_or_nine_pages(forum_today):
    import io

    from pypdf import PdfReader

    DelegateFactory.create_batch(9, event=forum_today)
    badges = services.badges_for_delegates(forum_today.delegates.all())

    sheets = PdfReader(io.BytesIO(pdf.badges_pdf(badges))).pages
    pages = PdfReader(io.BytesIO(pdf.badges_pdf(badges, one_per_page=True))).pages

    assert len(sheets) == 2
    assert len(pages) == 9
    assert pdf_qr_codes(pdf.badges_pdf(badges[:1], one_per_page=True)) == [badges[0].code]


def test_a_certificate_names_the_delegate_and_verifies(delegate, door_staff, settings):
    settings.PORTAL_URL = "https://forum.example.org"
    (badge,) = services.badges_for_delegates(type(delegate).objects.filter(pk=delegate.pk))
    services.check_in(badge=badge, by=door_staff)
    (certificate,) = services.certificates_issue(delegate.event)

    content = pdf.certificates_pdf([certificate])
    text = pdf_text(content)

    assert "Certificate of attendance" in text
    assert KAZAKH_NAME in text
    assert "Жасыл Қала" in text
    assert certificate.reference in text
    assert pdf_qr_codes(content) == [f"https://forum.example.org/verify/{certificate.reference}/"]
    russian = pdf_text(pdf.certificates_pdf([certificate], language="ru"))
    assert "Сертификат участия" in russian
