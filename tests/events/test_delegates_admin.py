"""Organizers' delegates in the admin: list, actions through the services, registering on
behalf of an organization, exports, the donors' report, country coordinators."""

import csv
import io

import openpyxl
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import services
from events.admin.delegates import DelegateAdminForm
from events.models import Delegate
from organizations.models import CountryCoordinator, Organization
from organizations.roles import coordinator_appoint
from tests.events.conftest import delegate_values
from tests.events.test_admin_programme import change_form_data
from tests.factories import (
    CountryQuotaFactory,
    DelegateFactory,
    EventFactory,
    OrganizationFactory,
    SessionBookingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Delegate.Status
CHANGELIST = reverse("admin:events_delegate_changelist")
COLUMNS = [
    "Event",
    "Organization",
    "Country",
    "Full name",
    "Email",
    "Position",
    "Gender",
    "Age",
    "Language needs",
    "Accessibility needs",
    "Status",
    "Waiting list position",
    "Sessions booked",
    "Registered",
]


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def _messages(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def forum_with_delegates(open_forum):
    """Capacity 4: three confirmed (KZ, KZ, KG), one waiting (UZ), one cancelled."""
    open_forum.capacity = 4
    open_forum.save()
    kz = OrganizationFactory(name="Zhasyl Qala", country="KZ")
    kg = OrganizationFactory(name="Bishkek Voices", country="KG")
    uz = OrganizationFactory(name="Tashkent Futures", country="UZ")
    people = {
        "aigerim": DelegateFactory(
            event=open_forum,
            organization=kz,
            full_name="Aigerim Sadykova",
            email="aigerim@example.org",
            gender="female",
            age_band="25-34",
        ),
        "nurlan": DelegateFactory(
            event=open_forum,
            organization=kz,
            full_name="Nurlan Abenov",
            gender="male",
            age_band="35-49",
            language_needs='=HYPERLINK("http://x")',
        ),
        "aida": DelegateFactory(
            event=open_forum,
            organization=kg,
            full_name="Aida Toktosunova",
            gender="female",
            age_band="under-25",
        ),
        "dilshod": DelegateFactory(
            event=open_forum,
            organization=uz,
            full_name="Dilshod Karimov",
            gender="male",
            status=Status.WAITLISTED,
        ),
        "gone": DelegateFactory(
            event=open_forum, organization=uz, full_name="Gone Person", status=Status.CANCELLED
        ),
    }
    CountryQuotaFactory(event=open_forum, country="KZ", quota=2)
    workshop = SessionFactory(event=open_forum, capacity=10, title_en="Open data workshop")
    SessionBookingFactory(session=workshop, delegate=people["aigerim"])
    DelegateFactory(full_name="Elsewhere Person", organization__country="TJ")  # another event
    return open_forum, people


# --- The list ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", None),
        ("?country=KZ", {"Aigerim Sadykova", "Nurlan Abenov"}),
        ("?status__exact=waitlisted", {"Dilshod Karimov"}),
        ("?gender__exact=female&age_band__exact=under-25", {"Aida Toktosunova"}),
        ("?q=bishkek", {"Aida Toktosunova"}),
        ("?q=aigerim%40example.org", {"Aigerim Sadykova"}),
    ],
)
def test_changelist_filters_and_search(organizer_client, forum_with_delegates, query, names):
    event, _people = forum_with_delegates

    response = organizer_client.get(f"{CHANGELIST}{query}")

    shown = {delegate.full_name for delegate in response.context["cl"].result_list}
    if names is None:
        assert len(shown) == 6
    else:
        assert shown == names


def test_changelist_shows_the_waiting_position_and_links_exports_and_report(
    organizer_client, forum_with_delegates
):
    event, _people = forum_with_delegates

    content = organizer_client.get(f"{CHANGELIST}?event__id__exact={event.pk}").content.decode()

    assert "Waiting list, number 1" in content
    assert f"/admin/events/delegate/export.csv?event__id__exact={event.pk}" in content
    assert f"/admin/events/delegate/export.xlsx?event__id__exact={event.pk}" in content
    assert reverse("admin:events_delegate_report", args=[event.pk]) in content


def test_changelist_query_count_does_not_grow(
    organizer_client, forum_with_delegates, django_assert_num_queries
):
    event, _people = forum_with_delegates
    organizer_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        organizer_client.get(CHANGELIST)
    for number in range(10):
        DelegateFactory(
            event=event,
            organization=OrganizationFactory(country="TJ"),
            full_name=f"Added Person {number}",
        )

    with django_assert_num_queries(len(few.captured_queries)):
        response = organizer_client.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert all(f"Added Person {number}" in content for number in range(10))
    assert "Waiting list, number 1" in content


# --- Actions -----------------------------------------------------------------------------------


def _act(client, action, *delegates):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [d.pk for d in delegates]},
        follow=True,
    )


def test_confirm_beyond_a_limit_is_refused_with_a_clear_message(
    organizer_client, forum_with_delegates
):
    event, people = forum_with_delegates
    DelegateFactory(event=event, organization__country="TJ")  # the fourth seat

    response = _act(organizer_client, "confirm", people["dilshod"])

    assert (
        "error",
        "Dilshod Karimov cannot be confirmed: All 4 seats of the event are taken.",
    ) in _messages(response)
    people["dilshod"].refresh_from_db()
    assert people["dilshod"].status == Status.WAITLISTED


def test_confirm_a_waiting_delegate_when_a_seat_is_free(
    organizer_client, forum_with_delegates, django_capture_on_commit_callbacks, mailoutbox
):
    _event, people = forum_with_delegates

    with django_capture_on_commit_callbacks(execute=True):
        response = _act(organizer_client, "confirm", people["dilshod"])

    assert ("success", "1 delegate confirmed.") in _messages(response)
    people["dilshod"].refresh_from_db()
    assert people["dilshod"].status == Status.CONFIRMED
    assert mailoutbox[0].attachments[0][0].endswith(".ics")


def test_country_quota_refuses_confirming_a_third_kazakh(organizer_client, forum_with_delegates):
    event, people = forum_with_delegates
    third = DelegateFactory(
        event=event,
        organization=people["aigerim"].organization,
        full_name="Third Kazakh",
        status=Status.WAITLISTED,
    )

    response = _act(organizer_client, "confirm", third)

    assert (
        "error",
        "Third Kazakh cannot be confirmed: The quota of 2 delegates from Kazakhstan is reached.",
    ) in _messages(response)


def test_move_to_waiting_list_and_cancel_through_the_services(
    organizer_client, forum_with_delegates
):
    event, people = forum_with_delegates
    DelegateFactory(
        event=event, full_name="Fourth", organization__country="TJ"
    )  # full: Dilshod waits

    moved = _act(organizer_client, "move_to_waiting_list", people["aida"])
    assert ("success", "1 delegate moved to the waiting list.") in _messages(moved)
    # Aida's seat went to the first waiting delegate who fits; Aida waits last.
    assert [d.full_name for d in Delegate.objects.filter(event=event).waiting_list()] == [
        "Aida Toktosunova"
    ]
    assert Delegate.objects.get(pk=people["dilshod"].pk).status == Status.CONFIRMED

    cancelled = _act(organizer_client, "cancel", people["nurlan"], people["gone"])
    assert ("success", "1 delegate cancelled.") in _messages(cancelled)
    assert ("info", "1 of them was already cancelled.") in _messages(cancelled)
    assert Delegate.objects.get(pk=people["aida"].pk).status == Status.CONFIRMED
    assert any("moved from the waiting list" in text for _level, text in _messages(cancelled))


def test_deleting_a_confirmed_delegate_promotes_the_next(organizer_client, forum_with_delegates):
    event, people = forum_with_delegates
    DelegateFactory(event=event, full_name="Fourth", organization__country="TJ")

    organizer_client.post(
        reverse("admin:events_delegate_delete", args=[people["aida"].pk]), {"post": "yes"}
    )

    assert not Delegate.objects.filter(pk=people["aida"].pk).exists()
    assert Delegate.objects.get(pk=people["dilshod"].pk).status == Status.CONFIRMED


# --- Registering on behalf of an organization --------------------------------------------------


def _add_data(event, organization, **overrides):
    return {"event": event.pk, "organization": organization.pk, **delegate_values(**overrides)}


def test_organizer_registers_on_behalf_and_the_limits_hold(organizer_client, forum_with_delegates):
    event, people = forum_with_delegates
    kyrgyz = people["aida"].organization

    first = organizer_client.post(
        reverse("admin:events_delegate_add"), _add_data(event, kyrgyz), follow=True
    )
    second = organizer_client.post(
        reverse("admin:events_delegate_add"),
        _add_data(event, kyrgyz, email="second@example.org", full_name="Second"),
        follow=True,
    )

    assert Delegate.objects.get(email="dana@example.org").status == Status.CONFIRMED
    assert Delegate.objects.get(email="second@example.org").status == Status.WAITLISTED
    assert first.status_code == second.status_code == 200
    assert (
        "warning",
        "Second is on the waiting list: All 4 seats of the event are taken.",
    ) in _messages(second)
    assert Delegate.objects.get(email="second@example.org").created_by.username == "organizer"


def test_organizer_may_register_after_the_window_closed(organizer_client):
    event = EventFactory(capacity=5)  # no window at all
    organization = OrganizationFactory()

    organizer_client.post(reverse("admin:events_delegate_add"), _add_data(event, organization))

    assert Delegate.objects.get().status == Status.CONFIRMED


def _meanwhile(monkeypatch, step):
    """Run `step` after the add form's checks passed and before the admin saves."""
    checks = DelegateAdminForm.clean

    def clean_then_step(form):
        cleaned = checks(form)
        step()
        return cleaned

    monkeypatch.setattr(DelegateAdminForm, "clean", clean_then_step)


def test_the_last_seat_taken_between_the_check_and_the_save_means_the_waiting_list(
    organizer_client, forum_with_delegates, monkeypatch
):
    event, people = forum_with_delegates
    kyrgyz = people["aida"].organization
    _meanwhile(
        monkeypatch,
        lambda: services.delegate_register(
            event=event,
            organization=OrganizationFactory(country="TJ"),
            by=None,
            **delegate_values(email="quicker@example.org", full_name="Quicker"),
        ),
    )

    response = organizer_client.post(
        reverse("admin:events_delegate_add"), _add_data(event, kyrgyz), follow=True
    )

    assert Delegate.objects.get(email="quicker@example.org").status == Status.CONFIRMED
    assert Delegate.objects.get(email="dana@example.org").status == Status.WAITLISTED
    assert (
        "warning",
        "Dana Nurlanovna is on the waiting list: All 4 seats of the event are taken.",
    ) in _messages(response)


@pytest.mark.parametrize(
    ("meanwhile", "reason"),
    [
        ("same_email", "A delegate with this email address is already registered for this event."),
        ("suspended", "Only approved organizations of the network can register delegates"),
    ],
)
def test_a_refusal_between_the_check_and_the_save_saves_and_logs_nothing(
    organizer_client, forum_with_delegates, monkeypatch, meanwhile, reason
):
    event, people = forum_with_delegates
    kyrgyz = people["aida"].organization
    before = set(Delegate.objects.values_list("pk", flat=True))

    def step():
        if meanwhile == "same_email":
            services.delegate_register(
                event=event,
                organization=people["dilshod"].organization,
                by=None,
                **delegate_values(),
            )
        else:
            Organization.objects.filter(pk=kyrgyz.pk).update(status=Organization.Status.SUSPENDED)

    _meanwhile(monkeypatch, step)
    add_url = reverse("admin:events_delegate_add")

    response = organizer_client.post(add_url, _add_data(event, kyrgyz))

    assert response.status_code == 302
    assert response["Location"] == add_url
    assert [message for level, message in _messages(response) if level == "error"][0].startswith(
        reason
    )
    added = set(Delegate.objects.values_list("pk", flat=True)) - before
    assert Delegate.objects.filter(pk__in=added, organization=kyrgyz).count() == 0
    assert not LogEntry.objects.filter(content_type__model="delegate").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "aigerim@example.org"}, "email", "already registered for this event"),
        ({"email": "nope"}, "email", "Enter a valid email address."),
        ({"full_name": "<b>x</b>"}, "full_name", "HTML tags are not allowed"),
        ({"gender": "robot"}, "gender", "Select a valid choice."),
        ({"organization": "pending"}, "organization", "Select a valid choice."),
        ({"event": "cancelled"}, "event", "The event has been cancelled"),
    ],
)
def test_bad_values_in_the_add_form_are_field_errors(
    organizer_client, forum_with_delegates, overrides, field, message
):
    event, people = forum_with_delegates
    data = _add_data(event, people["aida"].organization)
    if overrides.get("organization") == "pending":
        data["organization"] = OrganizationFactory(status="submitted").pk
    elif overrides.get("event") == "cancelled":
        data["event"] = EventFactory(status="cancelled").pk
    else:
        data.update(overrides)
    before = Delegate.objects.count()

    response = organizer_client.post(reverse("admin:events_delegate_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert Delegate.objects.count() == before


def test_organizer_changes_details_but_status_goes_through_actions(
    organizer_client, forum_with_delegates
):
    _event, people = forum_with_delegates
    url = reverse("admin:events_delegate_change", args=[people["aida"].pk])
    page = organizer_client.get(url)
    data = change_form_data(page)
    data.update(full_name="Aida T.", status="cancelled")

    organizer_client.post(url, data)

    people["aida"].refresh_from_db()
    assert (people["aida"].full_name, people["aida"].status) == ("Aida T.", Status.CONFIRMED)


# --- Limits raised in the event's page ---------------------------------------------------------


def test_raising_the_capacity_in_the_event_page_promotes_the_waiting(
    organizer_client, forum_with_delegates
):
    event, people = forum_with_delegates
    DelegateFactory(event=event, full_name="Fourth", organization__country="TJ")
    later = DelegateFactory(
        event=event, full_name="Later", status=Status.WAITLISTED, organization__country="TJ"
    )
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(organizer_client.get(url))
    data["capacity"] = "6"

    response = organizer_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert Delegate.objects.get(pk=people["dilshod"].pk).status == Status.CONFIRMED
    assert Delegate.objects.get(pk=later.pk).status == Status.CONFIRMED
    assert any(
        "2 delegates moved from the waiting list to confirmed seats" in text
        for _level, text in _messages(response)
    )


def test_raising_a_country_quota_in_the_event_page_promotes_the_waiting(
    organizer_client, forum_with_delegates
):
    event, people = forum_with_delegates
    waiting_kazakh = DelegateFactory(
        event=event,
        organization=people["aigerim"].organization,
        full_name="Waiting Kazakh",
        status=Status.WAITLISTED,
    )
    event.capacity = 10
    event.save()
    url = reverse("admin:events_event_change", args=[event.pk])
    page = organizer_client.get(url)
    assert "Delegates: 3 confirmed, 2 waiting" in page.content.decode()
    data = change_form_data(page)
    data["country_quotas-0-quota"] = "3"

    organizer_client.post(url, data)

    assert Delegate.objects.get(pk=waiting_kazakh.pk).status == Status.CONFIRMED


# --- Exports -----------------------------------------------------------------------------------


def test_csv_export_of_the_filtered_list(organizer_client, forum_with_delegates):
    event, _people = forum_with_delegates

    response = organizer_client.get(
        reverse("admin:events_delegate_export_csv") + f"?event__id__exact={event.pk}&country=KZ"
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="delegates-sixth-forum-'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    by_name = {row[3]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Aigerim Sadykova", "Nurlan Abenov"}
    aigerim = by_name["Aigerim Sadykova"]
    assert aigerim["Event"] == "Sixth Forum"
    assert aigerim["Organization"] == "Zhasyl Qala"
    assert aigerim["Country"] == "Kazakhstan"
    assert aigerim["Email"] == "aigerim@example.org"
    assert (aigerim["Gender"], aigerim["Age"]) == ("Female", "25–34")
    assert aigerim["Status"] == "Confirmed"
    assert aigerim["Sessions booked"] == "Open data workshop"
    # A value a spreadsheet would run as a formula is written as text.
    assert by_name["Nurlan Abenov"]["Language needs"] == '\'=HYPERLINK("http://x")'


def test_excel_export_opens_with_the_right_columns(organizer_client, forum_with_delegates):
    event, _people = forum_with_delegates

    response = organizer_client.get(
        reverse("admin:events_delegate_export_xlsx") + f"?event__id__exact={event.pk}"
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 6
    by_name = {row[3]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert by_name["Dilshod Karimov"]["Status"] == "On the waiting list"
    assert by_name["Dilshod Karimov"]["Waiting list position"] == 1
    assert by_name["Gone Person"]["Status"] == "Cancelled"
    assert by_name["Nurlan Abenov"]["Language needs"].startswith("'=")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_exports_need_permission(client, forum_with_delegates):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:events_delegate_export_csv"))

    assert response.status_code == 403


# --- The report --------------------------------------------------------------------------------


def test_report_counts_confirmed_delegates_by_country_gender_and_age(
    organizer_client, forum_with_delegates
):
    event, _people = forum_with_delegates

    response = organizer_client.get(reverse("admin:events_delegate_report", args=[event.pk]))

    report = response.context["report"]
    assert (report["confirmed"], report["waitlisted"], report["cancelled"]) == (3, 1, 1)
    assert [(r.label, r.count, r.extra["quota"]) for r in report["by_country"]] == [
        ("Kazakhstan", 2, 2),
        ("Kyrgyz Republic", 1, None),
    ]
    assert [(r.label, r.count, r.share) for r in report["by_gender"]] == [
        ("Female", 2, 66.7),
        ("Male", 1, 33.3),
        ("Other or prefer not to say", 0, 0.0),
        ("Not given", 0, 0.0),
    ]
    assert [(r.label, r.count) for r in report["by_age_band"]] == [
        ("Under 25", 1),
        ("25–34", 1),
        ("35–49", 1),
        ("50–64", 0),
        ("65 or older", 0),
        ("Not given", 0),
    ]
    under_25 = report["age_gender"][0]
    assert (under_25["label"], under_25["counts"], under_25["total"]) == (
        "Under 25",
        [1, 0, 0, 0],
        1,
    )
    assert [(r.label, r.count, r.extra["country"]) for r in report["organizations"]] == [
        ("Bishkek Voices", 1, "Kyrgyz Republic"),
        ("Zhasyl Qala", 2, "Kazakhstan"),
    ]
    (workshop,) = report["sessions"]
    assert (workshop.capacity, workshop.taken, workshop.waiting) == (10, 1, 0)
    content = response.content.decode()
    assert '<table id="report-country">' in content
    assert "2 organizations represented" in content


def test_report_is_linked_from_the_event_page_and_lists_events(
    organizer_client, forum_with_delegates
):
    event, _people = forum_with_delegates
    report_url = reverse("admin:events_delegate_report", args=[event.pk])

    event_page = organizer_client.get(reverse("admin:events_event_change", args=[event.pk]))
    index = organizer_client.get(reverse("admin:events_delegate_report_index"))

    assert report_url in event_page.content.decode()
    assert report_url in index.content.decode()
    assert (
        organizer_client.get(reverse("admin:events_delegate_report", args=[999999])).status_code
        == 404
    )


# --- Country coordinators ----------------------------------------------------------------------


@pytest.fixture
def coordinator_client(client):
    coordinator_appoint(user=UserFactory(username="kz-coordinator"), countries=["KZ"])
    client.force_login(CountryCoordinator.objects.get().user)
    return client


def test_coordinator_sees_and_counts_only_their_countries(coordinator_client, forum_with_delegates):
    event, people = forum_with_delegates

    listed = coordinator_client.get(CHANGELIST).context["cl"].result_list
    report = coordinator_client.get(
        reverse("admin:events_delegate_report", args=[event.pk])
    ).context["report"]
    export = coordinator_client.get(reverse("admin:events_delegate_export_csv")).content

    assert {d.full_name for d in listed} == {"Aigerim Sadykova", "Nurlan Abenov"}
    assert report["confirmed"] == 2 and report["waitlisted"] == 0
    assert b"Aida" not in export and b"Aigerim" in export
    other = coordinator_client.get(
        reverse("admin:events_delegate_change", args=[people["aida"].pk])
    )
    assert other.status_code == 404  # outside their countries it does not exist


def test_coordinator_confirms_a_delegate_of_their_country(coordinator_client, forum_with_delegates):
    event, people = forum_with_delegates
    event.country_quotas.update(quota=3)
    waiting = DelegateFactory(
        event=event,
        organization=people["aigerim"].organization,
        full_name="Kazakh Waiting",
        status=Status.WAITLISTED,
    )

    _act(coordinator_client, "confirm", waiting, people["dilshod"])

    assert Delegate.objects.get(pk=waiting.pk).status == Status.CONFIRMED
    # Dilshod (Uzbekistan) is outside the coordinator's countries: untouched.
    assert Delegate.objects.get(pk=people["dilshod"].pk).status == Status.WAITLISTED


@pytest.mark.parametrize("export", ["export_csv", "export_xlsx"])
@pytest.mark.parametrize("query", ["?event__id__exact=abc", "?status__exact=nonsense", "?zzz=1"])
def test_exports_with_a_mistyped_filter_go_back_to_the_list(
    organizer_client, forum_with_delegates, export, query
):
    response = organizer_client.get(reverse(f"admin:events_delegate_{export}") + query)

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == f"{CHANGELIST}?e=1"


def _more_delegates(event, count=12):
    """Delegates from several countries, each with a session seat."""
    workshop = event.sessions.get(capacity=10)
    for number in range(count):
        delegate = DelegateFactory(
            event=event,
            organization=OrganizationFactory(country=["TJ", "TM", "UZ"][number % 3]),
            full_name=f"More Person {number}",
            gender=["female", "male"][number % 2],
            age_band="35-49",
        )
        if number < 5:
            SessionBookingFactory(session=workshop, delegate=delegate)


def _same_queries_with_more_delegates(client, url, event, django_assert_num_queries):
    """Get `url` with the fixture's delegates, then with twelve more: as many queries."""
    event.capacity = None
    event.save()
    client.get(url)  # warm the caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _more_delegates(event)
    with django_assert_num_queries(len(few.captured_queries)):
        return client.get(url)


@pytest.mark.parametrize("export", ["export_csv", "export_xlsx"])
def test_exports_query_count_does_not_grow(
    organizer_client, forum_with_delegates, django_assert_num_queries, export
):
    event, _people = forum_with_delegates
    url = reverse(f"admin:events_delegate_{export}") + f"?event__id__exact={event.pk}"

    response = _same_queries_with_more_delegates(
        organizer_client, url, event, django_assert_num_queries
    )

    if export == "export_csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    by_name = {row[3]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert len(by_name) == 5 + 12
    assert by_name["More Person 0"]["Sessions booked"] == "Open data workshop"
    assert by_name["More Person 11"]["Sessions booked"] in ("", None)


def test_report_query_count_does_not_grow(
    organizer_client, forum_with_delegates, django_assert_num_queries
):
    event, _people = forum_with_delegates
    url = reverse("admin:events_delegate_report", args=[event.pk])

    response = _same_queries_with_more_delegates(
        organizer_client, url, event, django_assert_num_queries
    )

    report = response.context["report"]
    assert report["confirmed"] == 3 + 12
    assert {r.label: r.count for r in report["by_country"]}["Tajikistan"] == 4
    (workshop,) = report["sessions"]
    assert workshop.taken == 1 + 5
