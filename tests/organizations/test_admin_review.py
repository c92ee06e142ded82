"""The organizers' review in the Django admin."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import services
from organizations.models import Organization, ReviewReasonTemplate
from tests.factories import (
    FocusAreaFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

Status = Organization.Status
CHANGELIST = reverse("admin:organizations_organization_changelist")


@pytest.fixture
def organizer(db):
    user = StaffFactory(username="organizer")
    user.groups.add(Group.objects.get(name="Organizers"))
    return user


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def _change_url(organization):
    return reverse("admin:organizations_organization_change", args=[organization.pk])


def test_organizers_group_has_every_permission_of_the_portals_apps():
    group = Group.objects.get(name="Organizers")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert ("organizations", "change_organization") in codenames
    assert ("organizations", "view_reviewlogentry") in codenames
    assert ("organizations", "add_reviewreasontemplate") in codenames
    assert ("events", "add_event") in codenames
    assert ("auth", "view_user") in codenames
    assert ("auth", "change_user") not in codenames


def test_changelist_shows_country_status_visibility_submitted_and_duplicates(organizer_client):
    OrganizationFactory(name="Жасыл Қала", status=Status.SUBMITTED)
    OrganizationFactory(name="Zhasyl Qala", status=Status.APPROVED)
    OrganizationFactory(name="Unique Voice", country="TJ")

    response = organizer_client.get(CHANGELIST)

    content = response.content.decode()
    for header in ("Country", "Status", "Visibility", "Submitted", "Likely duplicate"):
        assert header in content
    rows = {row.name: row for row in response.context["cl"].result_list}
    admin = response.context["cl"].model_admin
    # A warning that names the other organization, not a tick that reads as "fine".
    assert admin.likely_duplicate(rows["Жасыл Қала"]) == (
        '<span class="duplicate-warning">Likely duplicate of “Zhasyl Qala”</span>'
    )
    assert "Likely duplicate of “Жасыл Қала”" in admin.likely_duplicate(rows["Zhasyl Qala"])
    assert admin.likely_duplicate(rows["Unique Voice"]) == ""
    assert "Likely duplicate of “Zhasyl Qala”" in content
    assert "icon-yes.svg" not in content
    assert "Tajikistan" in content


def test_a_duplicate_by_identifier_is_named_first(organizer_client):
    OrganizationFactory(name="Green Steppe", country="KZ", registration_number="123456789012")
    OrganizationFactory(name="Other Name", country="KZ", registration_number="123456789012")
    content = organizer_client.get(CHANGELIST).content.decode()
    assert "Likely duplicate of “Green Steppe”" in content
    assert "Likely duplicate of “Other Name”" in content


def test_russian_admin_titles_are_declined(organizer_client):
    organizer_client.cookies["django_language"] = "ru"
    organization = OrganizationFactory(name="Zhasyl Qala")
    assert "Выберите организацию для изменения" in organizer_client.get(CHANGELIST).content.decode()
    change = organizer_client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    ).content.decode()
    assert "Изменить организацию" in change
    delegates = organizer_client.get(reverse("admin:events_delegate_changelist")).content.decode()
    assert "Выберите делегата для изменения" in delegates
    assert "Добавить делегата" in delegates
    add = organizer_client.get(reverse("admin:events_delegate_add")).content.decode()
    assert "<title>Добавить делегата" in add


def test_changelist_query_count_does_not_grow_with_organizations(
    organizer_client, django_assert_num_queries
):
    OrganizationFactory()
    organizer_client.get(CHANGELIST)  # warm the caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        organizer_client.get(CHANGELIST)

    added = OrganizationFactory.create_batch(15, registration_number="120540001129")

    with django_assert_num_queries(len(one.captured_queries)):
        response = organizer_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = {row.name: row for row in response.context["cl"].result_list}
    assert {organization.name for organization in added} <= set(rows)
    # Same number in the same country: each of them is marked as a likely duplicate.
    assert all(rows[organization.name].duplicate_identifier for organization in added)


@pytest.mark.parametrize(
    "query", ["Жасыл", "zhasyl qala", "ZQ", "120540001129", "info@zq.example.org", "owner@zq"]
)
def test_search_by_name_in_either_script_acronym_identifier_and_emails(organizer_client, query):
    organization = OrganizationFactory(
        name="Zhasyl Qala",
        acronym="ZQ",
        registration_number="120540001129",
        public_email="info@zq.example.org",
    )
    MembershipFactory(organization=organization, user__email="owner@zq.example.org")
    OrganizationFactory(name="Other Voice", acronym="OV")

    response = organizer_client.get(CHANGELIST, {"q": query})

    assert [row.name for row in response.context["cl"].result_list] == ["Zhasyl Qala"]


def test_search_in_cyrillic_finds_the_latin_spelling(organizer_client):
    OrganizationFactory(name="Zhasyl Qala")

    response = organizer_client.get(CHANGELIST, {"q": "Жасыл Қала"})

    assert [row.name for row in response.context["cl"].result_list] == ["Zhasyl Qala"]


def test_filters_by_status_country_focus_area_legal_form_and_waiting(organizer_client):
    area = FocusAreaFactory(slug="youth")
    waiting = OrganizationFactory(name="Waiting", status=Status.SUBMITTED, country="KG")
    edited = OrganizationFactory(
        name="Edited", pending_changes={"city": "Osh"}, pending_changes_status="submitted"
    )
    OrganizationFactory(name="Youth", focus_areas=[area], legal_form="foundation")

    def names(**params):
        response = organizer_client.get(CHANGELIST, params)
        assert response.status_code == 200
        return sorted(row.name for row in response.context["cl"].result_list)

    assert names(status__exact="submitted") == ["Waiting"]
    assert names(country="KG") == ["Waiting"]
    assert names(focus_areas__id__exact=area.pk) == ["Youth"]
    assert names(legal_form__exact="foundation") == ["Youth"]
    assert names(review="waiting") == sorted([waiting.name, edited.name])


def test_approve_action_on_many(organizer_client, django_capture_on_commit_callbacks):
    first, second = OrganizationFactory.create_batch(2, status=Status.SUBMITTED)
    MembershipFactory(organization=first)

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )

    assert "2 organizations approved." in response.content.decode()
    assert set(Organization.objects.values_list("status", flat=True)) == {Status.APPROVED}
    assert len(mail.outbox) == 1


def test_forbidden_transition_in_a_batch_is_a_clear_message_not_an_error(organizer_client):
    good = OrganizationFactory(name="Ready", status=Status.SUBMITTED)
    unverified = OrganizationFactory(name="Not Confirmed", status=Status.UNVERIFIED)

    response = organizer_client.post(
        CHANGELIST, {"action": "approve", "_selected_action": [good.pk, unverified.pk]}, follow=True
    )

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert "1 organization approved." in messages
    assert "“Not Confirmed” cannot be approved yet: its email address is not confirmed." in messages
    unverified.refresh_from_db()
    assert unverified.status == Status.UNVERIFIED


def test_request_changes_asks_for_a_reason_from_templates_or_free_text(
    organizer_client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(status=Status.SUBMITTED)
    MembershipFactory(organization=organization)
    template = ReviewReasonTemplate.objects.get(title_en="Description too short")

    page = organizer_client.post(
        CHANGELIST, {"action": "request_changes", "_selected_action": [organization.pk]}
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "Description too short" in content
    assert "Registration number missing or wrong" in content
    assert "Not a civil society organization" not in content  # a rejection reason

    missing = organizer_client.post(
        CHANGELIST,
        {"action": "request_changes", "_selected_action": [organization.pk], "confirm": "1"},
    )
    assert "Choose a reason from the templates or write one." in missing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(
            CHANGELIST,
            {
                "action": "request_changes",
                "_selected_action": [organization.pk],
                "confirm": "1",
                "template": template.pk,
                "reason": "Also add your website.",
            },
        )

    organization.refresh_from_db()
    assert organization.status == Status.CHANGES_REQUESTED
    entry = organization.review_log.get()
    assert entry.reason == f"{template.text}\n\nAlso add your website."
    assert "Also add your website." in mail.outbox[-1].body


def test_reason_templates_follow_the_language(organizer_client):
    organization = OrganizationFactory(status=Status.SUBMITTED)

    page = organizer_client.post(
        CHANGELIST,
        {"action": "reject", "_selected_action": [organization.pk]},
        headers={"accept-language": "ru"},
    )

    assert "Не организация гражданского общества" in page.content.decode()


def test_reject_and_suspend_actions(organizer_client):
    submitted = OrganizationFactory(status=Status.SUBMITTED)
    approved = OrganizationFactory(status=Status.APPROVED)

    organizer_client.post(
        CHANGELIST,
        {
            "action": "reject",
            "_selected_action": [submitted.pk],
            "confirm": "1",
            "reason": "Not an NGO.",
        },
    )
    organizer_client.post(
        CHANGELIST,
        {"action": "suspend", "_selected_action": [approved.pk], "confirm": "1", "reason": ""},
    )

    submitted.refresh_from_db()
    approved.refresh_from_db()
    assert submitted.status == Status.REJECTED
    assert approved.status == Status.SUSPENDED


def test_change_page_shows_review_log_read_only_diff_and_duplicates(organizer_client):
    organization = OrganizationFactory(name="Zhasyl Qala", status=Status.SUBMITTED)
    twin = OrganizationFactory(name="Жасыл Қала")
    reviewer = StaffFactory(username="first-reviewer")
    services.organization_request_changes(
        organization=organization, by=reviewer, reason="Add the <b>city</b>."
    )
    organization.refresh_from_db()
    organization.city = "Shymkent"
    organization.save()
    organization.status = Status.SUBMITTED
    organization.save()

    response = organizer_client.get(_change_url(organization))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Add the &lt;b&gt;city&lt;/b&gt;." in content
    assert "first-reviewer" in content
    # What changed since the last review, for the reviewer.
    assert "<th>City</th><td>Almaty</td><td>Shymkent</td>" in content
    assert twin.name in content and _change_url(twin) in content
    # Read-only log: no inputs for its rows; no way to add one.
    inline = response.context["inline_admin_formsets"][1]
    assert inline.formset.prefix == "review_log"
    assert not inline.has_add_permission and not inline.has_change_permission
    # Only the decisions allowed now are offered.
    assert [decision for decision, _label in response.context["decisions"]] == [
        "approve",
        "request_changes",
        "reject",
    ]


def test_change_page_of_an_edited_approved_profile_shows_the_proposed_changes(organizer_client):
    organization = OrganizationFactory(
        name="Old Name",
        pending_changes={"name": "New Name"},
        pending_changes_status="submitted",
    )

    content = organizer_client.get(_change_url(organization)).content.decode()

    assert "<th>Name</th><td>Old Name</td><td>New Name</td>" in content


def test_decision_from_the_organizations_page(organizer_client, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(status=Status.SUBMITTED)
    url = reverse("admin:organizations_organization_decision", args=[organization.pk, "approve"])

    confirm = organizer_client.get(url)
    assert confirm.status_code == 200
    organization.refresh_from_db()
    assert organization.status == Status.SUBMITTED  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(url, {"confirm": "1", "reason": "Welcome!"})

    assert response.status_code == 302
    assert response["Location"] == _change_url(organization)
    organization.refresh_from_db()
    assert organization.status == Status.APPROVED
    assert organization.review_log.get().reason == "Welcome!"


def test_decision_page_refuses_unknown_decisions_and_forbidden_ones_politely(organizer_client):
    organization = OrganizationFactory(status=Status.REJECTED)

    unknown = organizer_client.get(
        reverse("admin:organizations_organization_decision", args=[organization.pk, "delete"])
    )
    forbidden = organizer_client.post(
        reverse("admin:organizations_organization_decision", args=[organization.pk, "suspend"]),
        {"confirm": "1"},
        follow=True,
    )

    assert unknown.status_code == 404
    assert forbidden.status_code == 200
    assert "Only an approved organization can be suspended" in forbidden.content.decode()


def test_status_cannot_be_changed_by_hand_and_edits_are_checked(organizer_client):
    organization = OrganizationFactory(status=Status.SUBMITTED, focus_areas=[FocusAreaFactory()])
    form = organizer_client.get(_change_url(organization)).context["adminform"].form

    assert "status" not in form.fields
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None and key != "logo"
    }
    data.update(
        {
            "registration_number": "123",
            "focus_areas": [area.pk for area in organization.focus_areas.all()],
            "sdgs": [],
            "working_languages": "[]",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "review_log-TOTAL_FORMS": 0,
            "review_log-INITIAL_FORMS": 0,
        }
    )

    response = organizer_client.post(_change_url(organization), data)

    assert response.status_code == 200
    assert "Enter the BIN" in str(response.context["adminform"].form.errors["registration_number"])


def test_review_log_admin_is_read_only(organizer_client):
    organization = OrganizationFactory()
    entry = organization.review_log.create(to_status=Status.APPROVED)

    assert (
        organizer_client.get(reverse("admin:organizations_reviewlogentry_add")).status_code == 403
    )
    page = organizer_client.get(
        reverse("admin:organizations_reviewlogentry_change", args=[entry.pk])
    )
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()


def test_approving_changes_that_became_invalid_says_why_instead_of_failing(organizer_client):
    organization = OrganizationFactory(
        name="Edited", pending_changes={"website": "not a url"}, pending_changes_status="submitted"
    )

    response = organizer_client.post(
        CHANGELIST, {"action": "approve", "_selected_action": [organization.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "“Edited”: Enter a valid URL." in [str(m) for m in response.context["messages"]]
    organization.refresh_from_db()
    assert organization.pending_changes_status == "submitted"
