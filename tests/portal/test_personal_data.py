"""Personal data on request: the owner's export, a person's erasure, and the organizers' side."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Delegate
from events.reports import delegate_report
from organizations.models import Invitation, Membership, Organization, PersonalDataRequest
from organizations.roles import ORGANIZERS, coordinator_appoint
from tests.factories import (
    DelegateFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionBookingFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
User = get_user_model()


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def past_forum(db):
    return EventFactory(title_en="Fourth Forum", start_date=_days(-400), end_date=_days(-398))


@pytest.fixture
def next_forum(db):
    now = timezone.now()
    return EventFactory(
        title_en="Sixth Forum",
        capacity=2,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=30),
    )


@pytest.fixture
def alpha(past_forum, next_forum):
    """An organization with an owner, an editor, an invitation, a review and delegates."""
    organization = OrganizationFactory(
        name="Alpha Steppe",
        country="KZ",
        registration_number="123456789012",
        contact_position="Director",
        contact_phone="+7 701 111 22 33",
    )
    owner = MembershipFactory(
        organization=organization,
        user__email="owner@alpha.example",
        user__first_name="Aigerim",
        user__last_name="Owner",
    ).user
    editor = MembershipFactory(
        organization=organization,
        role=Membership.Role.EDITOR,
        user__email="editor@alpha.example",
        user__first_name="Bolat",
        user__last_name="Editor",
    ).user
    Invitation.objects.create(organization=organization, email="guest@alpha.example")
    organization.review_log.create(to_status="approved", action="approved", reason="Looks right")
    past = DelegateFactory(
        event=past_forum,
        organization=organization,
        full_name="Bolat Editor",
        email="editor@alpha.example",
        gender="male",
        age_band="35-49",
        accessibility_needs="Step-free access",
    )
    SessionBookingFactory(delegate=past, session=SessionFactory(event=past_forum))
    DelegateFactory(
        event=past_forum,
        organization=organization,
        full_name="Dana Colleague",
        email="dana@alpha.example",
        gender="female",
        age_band="25-34",
    )
    coming = services.delegate_register(
        event=next_forum,
        organization=organization,
        by=owner,
        full_name="Bolat Editor",
        email="editor@alpha.example",
        position="Editor",
        gender="male",
    )
    return {"organization": organization, "owner": owner, "editor": editor, "coming": coming}


# --- Export ------------------------------------------------------------------------------------


def test_the_owner_downloads_everything_as_json(client, alpha):
    client.force_login(alpha["owner"])

    response = client.get(reverse("organizations:my-data-export-json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    data = json.loads(response.content)
    assert data["organization"]["registration_number"] == "123456789012"
    assert data["organization"]["contact_phone"] == "+7 701 111 22 33"
    assert {m["email"] for m in data["members"]} == {"owner@alpha.example", "editor@alpha.example"}
    assert [i["email"] for i in data["invitations"]] == ["guest@alpha.example"]
    assert data["review_log"][0]["reason"] == "Looks right"
    delegates = {(d["event"], d["full_name"], d["status"]) for d in data["delegates"]}
    assert delegates == {
        ("Fourth Forum", "Bolat Editor", "Confirmed"),
        ("Fourth Forum", "Dana Colleague", "Confirmed"),
        ("Sixth Forum", "Bolat Editor", "Confirmed"),
    }
    coming = next(d for d in data["delegates"] if d["event"] == "Sixth Forum")
    assert coming["history"][0]["by"] == "Aigerim Owner"
    log = PersonalDataRequest.objects.get()
    assert (log.kind, log.subject, log.organization, log.by) == (
        "export",
        "organization",
        alpha["organization"],
        alpha["owner"],
    )


def test_the_readable_page_shows_the_same_data(client, alpha):
    client.force_login(alpha["owner"])

    response = client.get(reverse("organizations:my-data-export"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Personal data held about Alpha Steppe" in page
    for value in ("+7 701 111 22 33", "editor@alpha.example", "Step-free access", "Looks right"):
        assert value in page
    assert PersonalDataRequest.objects.filter(kind="export").count() == 1


def _role(alpha, role):
    if role == "owner":
        return alpha["owner"]
    if role == "editor":
        return alpha["editor"]
    if role == "owner of another organization":
        return MembershipFactory(organization__name="Beta Elsewhere").user
    if role == "staff":
        return StaffFactory()
    return None


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", 200),
        ("editor", 404),
        ("owner of another organization", 200),
        ("staff", 404),
        ("visitor", 302),
    ],
)
@pytest.mark.parametrize(
    "name", ["organizations:my-data-export-json", "organizations:my-data-export"]
)
def test_only_an_owner_gets_the_export_and_only_of_their_organization(
    client, alpha, role, expected, name
):
    user = _role(alpha, role)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse(name))

    assert response.status_code == expected
    content = response.content.decode()
    if role != "owner":
        for secret in ("123456789012", "+7 701 111 22 33", "editor@alpha.example"):
            assert secret not in content
    assert PersonalDataRequest.objects.count() == (1 if expected == 200 else 0)


@pytest.mark.parametrize(("role", "sees_export"), [("owner", True), ("editor", False)])
def test_the_data_page_offers_the_export_to_owners_and_erasure_to_all(
    client, alpha, role, sees_export
):
    client.force_login(_role(alpha, role))

    page = client.get(reverse("organizations:my-data")).content.decode()

    assert (reverse("organizations:my-data-export-json") in page) is sees_export
    assert reverse("organizations:my-data-erase") in page


def test_the_dashboard_links_to_the_data_page(client, alpha):
    client.force_login(alpha["editor"])

    page = client.get(reverse("organizations:my")).content.decode()

    assert reverse("organizations:my-data") in page


# --- Erasure by the person ---------------------------------------------------------------------


def test_erasure_asks_for_the_password_and_keeps_what_was_typed(client, alpha):
    client.force_login(alpha["editor"])
    url = reverse("organizations:my-data-erase")

    assert "Alpha Steppe stays on the portal" in client.get(url).content.decode()
    wrong = client.post(url, {"password": "not-it", "understood": "on"})
    unticked = client.post(url, {"password": PASSWORD})

    assert wrong.status_code == unticked.status_code == 200
    assert "This is not your password." in wrong.content.decode()
    assert "Tick the box to confirm the erasure." in unticked.content.decode()
    assert User.objects.filter(pk=alpha["editor"].pk).exists()
    assert PersonalDataRequest.objects.count() == 0


def test_a_member_erases_their_account_and_the_organization_stays(client, alpha, next_forum):
    editor = alpha["editor"]
    waiting = services.delegate_register(
        event=next_forum,
        organization=alpha["organization"],
        by=alpha["owner"],
        full_name="Next In Line",
        email="next@alpha.example",
        position="Officer",
    )
    assert waiting.status == Delegate.Status.CONFIRMED
    third = services.delegate_register(
        event=next_forum,
        organization=alpha["organization"],
        by=alpha["owner"],
        full_name="Third Person",
        email="third@alpha.example",
        position="Officer",
    )
    assert third.status == Delegate.Status.WAITLISTED
    client.force_login(editor)

    response = client.post(
        reverse("organizations:my-data-erase"), {"password": PASSWORD, "understood": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=editor.pk).exists()
    assert "_auth_user_id" not in client.session
    organization = Organization.objects.get(pk=alpha["organization"].pk)
    assert organization.name == "Alpha Steppe"
    assert organization.erased_at is None
    # Their registration for the coming forum is gone; its seat went to the waiting list.
    assert not Delegate.objects.filter(email="editor@alpha.example").exists()
    assert Delegate.objects.get(pk=third.pk).status == Delegate.Status.CONFIRMED
    # Their line at the past forum stays, anonymous, with what the figures count.
    past = Delegate.objects.get(event__title_en="Fourth Forum", gender="male")
    assert (past.full_name, past.position, past.accessibility_needs) == ("—", "", "")
    assert (past.status, past.age_band, past.organization_id) == (
        "confirmed",
        "35-49",
        organization.pk,
    )
    # Nor does the history keep them.
    assert not Delegate.history.filter(email="editor@alpha.example").exists()
    assert not Delegate.history.filter(full_name="Bolat Editor").exists()
    log = PersonalDataRequest.objects.get()
    assert (log.kind, log.subject, log.by, log.organization) == (
        "erasure",
        "account",
        None,
        organization,
    )
    assert "Bolat" not in log.subject_label and "editor@" not in log.subject_label
    assert log.summary["delegates_anonymised"] == 1
    assert log.summary["delegates_removed"] == 1
    follow = client.get(response["Location"])
    assert "Your account is erased." in follow.content.decode()


def test_an_owner_who_leaves_hands_the_organization_to_the_next_member(alpha):
    from portal.personal_data import account_erase

    account_erase(user=alpha["owner"], by=alpha["owner"])

    organization = Organization.objects.get(pk=alpha["organization"].pk)
    assert organization.memberships.get().user == alpha["editor"]
    assert organization.memberships.get().role == Membership.Role.OWNER
    assert (organization.contact_position, organization.contact_phone) == ("", "")
    # The delegates the owner registered stay, without their author.
    assert Delegate.objects.get(pk=alpha["coming"].pk).created_by is None
    assert not Delegate.history.filter(history_user_id=alpha["owner"].pk).exists()


def test_the_last_member_takes_the_organization_with_them_but_not_the_figures(
    client, alpha, past_forum
):
    from portal.personal_data import account_erase

    before = delegate_report(Delegate.objects.all(), past_forum)
    account_erase(user=alpha["editor"], by=alpha["editor"])

    account_erase(user=alpha["owner"], by=alpha["owner"])

    organization = Organization.objects.get(pk=alpha["organization"].pk)
    assert organization.erased_at is not None
    assert organization.visibility == Organization.Visibility.HIDDEN
    assert "Alpha" not in organization.name and organization.registration_number == ""
    assert not organization.invitations.exists()
    assert not Delegate.objects.filter(email__contains="@alpha.example").exists()
    assert client.get(reverse("organizations:detail", args=[organization.slug])).status_code == 404
    after = delegate_report(Delegate.objects.all(), past_forum)
    labels_aside = ("organizations",)
    assert {k: v for k, v in after.items() if k not in labels_aside} == {
        k: v for k, v in before.items() if k not in labels_aside
    }
    assert [(r.count, r.share, r.extra) for r in after["organizations"]] == [
        (r.count, r.share, r.extra) for r in before["organizations"]
    ]


def test_the_donors_figures_are_identical_before_and_after_an_erasure(alpha, past_forum):
    from portal.personal_data import account_erase

    before = delegate_report(Delegate.objects.all(), past_forum)

    account_erase(user=alpha["editor"], by=alpha["editor"])

    assert delegate_report(Delegate.objects.all(), past_forum) == before


def test_an_organization_no_past_event_counts_is_deleted_with_its_last_member(next_forum):
    from portal.personal_data import account_erase

    membership = MembershipFactory(organization__name="Short Lived")
    DelegateFactory(event=next_forum, organization=membership.organization)

    account_erase(user=membership.user, by=membership.user)

    assert not Organization.objects.filter(name="Short Lived").exists()
    assert PersonalDataRequest.objects.get().summary["organization"] == "deleted"


def test_staff_cannot_erase_their_account_from_my(client, alpha):
    staff = StaffFactory()
    MembershipFactory(user=staff, organization=alpha["organization"], role="editor")
    client.force_login(staff)

    response = client.post(
        reverse("organizations:my-data-erase"), {"password": PASSWORD, "understood": "on"}
    )

    assert response.status_code == 302
    assert User.objects.filter(pk=staff.pk).exists()


# --- Organizers, on request --------------------------------------------------------------------


@pytest.fixture
def organizer_client(client):
    organizer = StaffFactory(username="organizer", first_name="Olga")
    organizer.groups.add(Group.objects.get(name=ORGANIZERS))
    client.force_login(organizer)
    client.organizer = organizer
    return client


def test_organizers_see_the_buttons_on_the_organization_and_the_user(organizer_client, alpha):
    org_page = organizer_client.get(
        reverse("admin:organizations_organization_change", args=[alpha["organization"].pk])
    ).content.decode()
    user_page = organizer_client.get(
        reverse("admin:auth_user_change", args=[alpha["owner"].pk])
    ).content.decode()

    pk = alpha["organization"].pk
    assert reverse("admin-personal-data-organization-json", args=[pk]) in org_page
    assert reverse("admin-personal-data-organization-erase", args=[pk]) in org_page
    assert reverse("admin-personal-data-account-json", args=[alpha["owner"].pk]) in user_page
    assert reverse("admin-personal-data-account-erase", args=[alpha["owner"].pk]) in user_page


def test_an_organizer_exports_on_request_and_it_is_logged(organizer_client, alpha):
    pk = alpha["organization"].pk

    data = json.loads(
        organizer_client.get(reverse("admin-personal-data-organization-json", args=[pk])).content
    )
    page = organizer_client.get(reverse("admin-personal-data-organization-page", args=[pk]))
    account = json.loads(
        organizer_client.get(
            reverse("admin-personal-data-account-json", args=[alpha["editor"].pk])
        ).content
    )

    assert data["organization"]["name"] == "Alpha Steppe"
    assert "+7 701 111 22 33" in page.content.decode()
    assert account["account"]["email"] == "editor@alpha.example"
    assert {d["event"] for d in account["delegates"]} == {"Fourth Forum", "Sixth Forum"}
    assert (
        PersonalDataRequest.objects.filter(by=organizer_client.organizer, by_organizer=True).count()
        == 3
    )
    log_page = organizer_client.get(
        reverse("admin:organizations_personaldatarequest_changelist")
    ).content.decode()
    assert "Alpha Steppe (#" in log_page


def test_an_organizer_erases_an_account_after_confirming(organizer_client, alpha):
    url = reverse("admin-personal-data-account-erase", args=[alpha["editor"].pk])

    confirm = organizer_client.get(url)
    assert "Alpha Steppe” stays with its other members." in confirm.content.decode()
    assert User.objects.filter(pk=alpha["editor"].pk).exists()
    response = organizer_client.post(url)

    assert response.status_code == 302
    assert not User.objects.filter(pk=alpha["editor"].pk).exists()
    log = PersonalDataRequest.objects.get()
    assert (log.kind, log.by, log.by_organizer) == ("erasure", organizer_client.organizer, True)


def test_an_organizer_erases_an_organization_with_its_members(organizer_client, alpha, past_forum):
    before = delegate_report(Delegate.objects.all(), past_forum)
    url = reverse("admin-personal-data-organization-erase", args=[alpha["organization"].pk])

    assert "The accounts of its 2 members are erased." in organizer_client.get(url).content.decode()
    organizer_client.post(url)

    assert not User.objects.filter(email__endswith="@alpha.example").exists()
    organization = Organization.objects.get(pk=alpha["organization"].pk)
    assert organization.erased_at is not None
    after = delegate_report(Delegate.objects.all(), past_forum)
    assert (after["confirmed"], after["by_gender"], after["by_age_band"]) == (
        before["confirmed"],
        before["by_gender"],
        before["by_age_band"],
    )
    log = PersonalDataRequest.objects.get()
    assert (log.subject, log.summary["accounts"]) == ("organization", 2)


def test_an_organizer_cannot_erase_a_staff_account(organizer_client):
    staff = StaffFactory()

    organizer_client.post(reverse("admin-personal-data-account-erase", args=[staff.pk]))

    assert User.objects.filter(pk=staff.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin-personal-data-organization-json",
        "admin-personal-data-organization-page",
        "admin-personal-data-organization-erase",
        "admin-personal-data-account-json",
        "admin-personal-data-account-erase",
    ],
)
@pytest.mark.parametrize(("role", "expected"), [("coordinator", 403), ("member", 302)])
def test_only_organizers_reach_personal_data_in_the_admin(client, alpha, name, role, expected):
    if role == "coordinator":
        user = UserFactory()
        coordinator_appoint(user=user, countries=["KZ"])
    else:
        user = alpha["owner"]
    client.force_login(user)
    pk = alpha["organization"].pk if "organization" in name else alpha["editor"].pk

    response = client.post(reverse(name, args=[pk]))

    assert response.status_code == expected
    assert User.objects.filter(pk=alpha["editor"].pk).exists()
    assert PersonalDataRequest.objects.count() == 0


def test_an_erased_organization_leaves_the_cached_directory_at_once(client, settings, alpha):
    from portal.personal_data import account_erase

    settings.PAGE_CACHE_SECONDS = 300
    url = reverse("organizations:list")
    assert "Alpha Steppe" in client.get(url).content.decode()
    assert "Alpha Steppe" in client.get(url).content.decode()  # now from the cache

    account_erase(user=alpha["editor"], by=alpha["editor"])
    account_erase(user=alpha["owner"], by=alpha["owner"])

    assert "Alpha Steppe" not in client.get(url).content.decode()


def test_an_erased_person_leaves_no_mail_in_the_outbox(alpha):
    from django.core.mail import EmailMessage

    from outbox.models import Mail
    from portal.personal_data import account_erase

    for to, cc in (("owner@alpha.example", []), ("other@example.org", ["owner@alpha.example"])):
        Mail.from_message(EmailMessage("About you", "Text", to=[to], cc=cc)).save()
    Mail.from_message(EmailMessage("Not about you", "Text", to=["x-owner@alpha.example"])).save()

    account_erase(user=alpha["owner"], by=None)

    assert list(Mail.objects.values_list("subject", flat=True)) == ["Not about you"]


def test_erasure_removes_the_failed_sign_ins_that_name_the_account(client):
    from axes.models import AccessAttempt

    from portal.personal_data import account_erase

    user = MembershipFactory(user__email="leaving@alpha.example").user
    for _ in range(2):
        client.post("/accounts/login/", {"username": "Leaving@Alpha.example", "password": "no"})
    client.post("/accounts/login/", {"username": "someone@else.example", "password": "no"})
    assert AccessAttempt.objects.filter(username="leaving@alpha.example").exists()

    account_erase(user=user, by=None)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "someone@else.example"
    ]
