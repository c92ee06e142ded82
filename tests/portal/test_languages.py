"""The network's seven languages: the switcher, the first visit, the account's language, every
email in the recipient's language, content that falls back to another language marked with its
own lang attribute, each locale's dates and numbers, the admin's language groups.

The tests of emails in Uzbek compare with the Uzbek catalogue itself (`translation.override`),
and check that it is not the English text: they need locale/uz/ with the subject translated.
"""

import datetime
import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from events.models import Event
from organizations import services
from organizations.i18n import LOCAL_NAMES, content_language, lang_attr, language_for
from organizations.models import LanguagePreference, Organization
from portal import i18n
from tests.factories import (
    EventFactory,
    FocusAreaFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password
NAMES = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "tk": "Türkmençe",
    "uz": "Oʻzbekcha",
}


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def _subject(template, **context):
    return " ".join(render_to_string(template, context).split())


# --- The languages and their names ------------------------------------------------------------


def test_the_switcher_names_each_language_in_itself(client):
    content = client.get("/").content.decode()

    assert LOCAL_NAMES == NAMES
    options = re.findall(r'<option value="(\w+)" lang="\1"[^>]*>([^<]+)</option>', content)
    assert options == list(NAMES.items())
    assert "\u02bb" in LOCAL_NAMES["uz"]  # the Uzbek Latin ʻ, not an apostrophe


@pytest.mark.parametrize("language", ["kk", "ky", "tg", "tk", "uz"])
def test_the_first_visit_speaks_the_browsers_language(client, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{language},ru;q=0.8,en;q=0.5")

    assert f'<html lang="{language}">' in response.content.decode()


def test_a_browser_asking_for_uzbek_in_latin_script_gets_uzbek(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uz-Latn-UZ,uz;q=0.9")

    assert '<html lang="uz">' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "date", "when", "number"),
    [
        ("kk", "13 қаңтар 2027 ж.", "13 қаңтар 2027 ж., 09:05", "12\xa0345,5"),
        ("ky", "13 январь 2027 ж.", "13 январь 2027 ж., 09:05", "12\xa0345.5"),
        ("tg", "13 январ 2027", "13 январ 2027, 09:05", "12\xa0345,5"),
        ("tk", "13 ýanwar 2027 ý.", "13 ýanwar 2027 ý., 09:05", "12\xa0345,5"),
        ("uz", "13-yanvar, 2027-yil", "13-yanvar, 2027-yil, 09:05", "12\xa0345,5"),
    ],
)
def test_dates_times_and_numbers_in_each_locales_style(language, date, when, number, settings):
    settings.TIME_ZONE = "UTC"
    moment = datetime.datetime(2027, 1, 13, 9, 5, tzinfo=datetime.UTC)
    template = Template(
        '{% load l10n %}{{ d|date:"DATE_FORMAT" }}|{{ m|date:"DATETIME_FORMAT" }}|'
        "{% localize on %}{{ n|floatformat:'1g' }}{% endlocalize %}"
    )
    with translation.override(language):
        rendered = template.render(Context({"d": moment.date(), "m": moment, "n": 12345.5}))

    assert rendered == f"{date}|{when}|{number}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "28–30 қаңтар 2025 ж."),
        ("uz", "28–30-yanvar, 2025-yil"),
        ("tk", "30 ýanwar – 2 fewral 2025 ý."),
    ],
)
def test_date_ranges_follow_the_locale(language, expected):
    from events.templatetags.dates import date_range

    start = datetime.date(2025, 1, 28 if language != "tk" else 30)
    end = datetime.date(2025, 1 if language != "tk" else 2, 30 if language != "tk" else 2)
    with translation.override(language):
        assert date_range(start, end) == expected


# --- Content in any language, and its fallbacks ----------------------------------------------


def test_the_fallback_chain_comes_from_one_setting(settings):
    assert settings.CONTENT_FALLBACK_LANGUAGES == ["ru", "en"]
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES == {
        "default": ("ru", "en"),
        "ru": ("en",),
        "en": ("ru",),
    }


def test_content_with_only_english_and_russian_shows_russian_to_a_kyrgyz_visitor(client):
    event = EventFactory(
        title_en="Civil society forum",
        title_ru="Форум гражданского общества",
        description_en="Three days of panels.",
        description_ru="Три дня дискуссий.",
    )
    event.title_ky = ""
    event.save()
    client.cookies["django_language"] = "ky"

    content = client.get(event.get_absolute_url()).content.decode()

    assert '<html lang="ky">' in content
    assert '<h1 lang="ru">Форум гражданского общества</h1>' in content
    assert '<div lang="ru"><p>Три дня дискуссий.</p></div>' in content
    assert "Civil society forum" not in content


def test_content_written_in_the_visitors_language_is_not_marked(client):
    event = EventFactory(title_en="Forum", title_ru="Форум", title_ky="Форум (кыргызча)")
    client.cookies["django_language"] = "ky"

    content = client.get(event.get_absolute_url()).content.decode()

    assert "<h1>Форум (кыргызча)</h1>" in content


def test_content_in_english_only_falls_back_to_english_marked_so(client):
    area = FocusAreaFactory(slug="water", name_en="Water", name_ru="")
    with translation.override("tg"):
        assert content_language(area, "name") == "en"
        assert lang_attr(area, "name") == ' lang="en"'
        assert area.name == "Water"
    with translation.override("en"):
        assert lang_attr(area, "name") == ""


def test_the_agenda_and_the_event_list_mark_fallback_titles(client):
    event = EventFactory(title_en="Forum", title_ru="Форум")
    SessionFactory(event=event, title="Opening", title_en="Opening", title_ru="Открытие")
    client.cookies["django_language"] = "tk"

    listing = client.get("/events/").content.decode()
    agenda = client.get(f"/events/{event.slug}/agenda/").content.decode()

    assert 'class="stretched-link" lang="ru">Форум</a>' in listing
    assert 'lang="ru">Открытие</a>' in agenda


# --- The account's language and the emails ---------------------------------------------------


def test_an_uzbek_member_receives_the_review_decision_in_uzbek(run_on_commit):
    organization = OrganizationFactory(
        name="Yashil Qadam", status=Organization.Status.SUBMITTED, approved_at=None
    )
    member = MembershipFactory(organization=organization, language="uz").user
    mail.outbox.clear()

    run_on_commit(
        services.organization_approve, organization=organization, by=StaffFactory(username="rev")
    )

    [message] = [message for message in mail.outbox if message.to == [member.email]]
    with translation.override("uz"):
        uzbek = _subject("emails/approved_subject.txt", organization=organization)
    with translation.override("en"):
        english = _subject("emails/approved_subject.txt", organization=organization)
    assert message.subject == uzbek
    assert message.subject != english
    assert '<html lang="uz">' in message.alternatives[0][0]


def test_the_language_chosen_while_signed_in_is_the_one_mails_are_written_in(client, run_on_commit):
    organization = OrganizationFactory(status=Organization.Status.SUBMITTED, approved_at=None)
    member = MembershipFactory(organization=organization, language="ru").user
    client.force_login(member)

    response = client.post("/i18n/setlang/", {"language": "uz", "next": "/my/"})

    assert response.status_code == 302
    assert LanguagePreference.objects.get(user=member).language == "uz"
    assert language_for(member) == i18n.language_for(member) == "uz"
    mail.outbox.clear()
    run_on_commit(
        services.organization_approve, organization=organization, by=StaffFactory(username="rev")
    )
    assert '<html lang="uz">' in mail.outbox[-1].alternatives[0][0]


def test_a_switch_posted_from_another_site_changes_no_account(client):
    member = MembershipFactory().user
    client.force_login(member)

    client.post("/i18n/setlang/", {"language": "tg", "next": "/"}, HTTP_SEC_FETCH_SITE="cross-site")

    assert not LanguagePreference.objects.filter(user=member).exists()


def test_signing_in_brings_back_the_accounts_language():
    member = MembershipFactory(user=UserFactory(email="aziza@example.org")).user
    LanguagePreference.objects.create(user=member, language="tk")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = browser.post(
        "/accounts/login/", {"username": "aziza@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert browser.cookies["django_language"].value == "tk"
    assert '<html lang="tk">' in browser.get("/my/").content.decode()


def test_language_for_without_an_account_or_a_choice():
    assert language_for(None) == "en"
    assert language_for(UserFactory()) == "en"
    assert language_for(MembershipFactory(language="kk").user) == "kk"


def test_the_password_reset_mail_is_in_the_accounts_language(
    client, django_capture_on_commit_callbacks
):
    member = MembershipFactory(user=UserFactory(email="nurlan@example.org")).user
    LanguagePreference.objects.create(user=member, language="kk")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "nurlan@example.org"})

    [message] = mail.outbox
    with translation.override("kk"):
        kazakh = _subject("registration/password_reset_subject.txt")
    with translation.override("en"):
        english = _subject("registration/password_reset_subject.txt")
    assert message.subject == kazakh != english


def test_a_delegate_with_an_account_is_written_to_in_its_language(run_on_commit):
    from events.emails import delegate_language
    from tests.factories import DelegateFactory

    owner = MembershipFactory(language="ru")
    delegate = DelegateFactory(organization=owner.organization, email="delegate@example.org")
    assert delegate_language(delegate) == "ru"
    account = UserFactory(email="Delegate@example.org")
    LanguagePreference.objects.create(user=account, language="tg")
    assert delegate_language(delegate) == "tg"


# --- The admin ---------------------------------------------------------------------------------


def test_the_admin_groups_each_further_language(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))

    content = client.get("/admin/events/event/add/").content.decode()

    for code in ("kk", "ky", "tg", "tk", "uz"):
        assert f"{NAMES[code]} ({code})" in content
        assert f'name="title_{code}"' in content
        assert f'name="description_{code}"' in content
    # The table of sessions keeps English and Russian; the rest is on the session's own page.
    assert 'name="sessions-__prefix__-title_ru"' in content
    assert 'name="sessions-__prefix__-title_kk"' not in content
    assert Event.objects.count() == 0
