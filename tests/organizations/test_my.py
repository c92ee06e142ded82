"""/my/: a member's own organization. Object permissions, status in words, editing, colleagues."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organizations import services
from organizations.models import Invitation, Membership, Organization
from tests.factories import FocusAreaFactory, MembershipFactory, OrganizationFactory, UserFactory
from tests.organizations.registration_helpers import PASSWORD

pytestmark = pytest.mark.django_db

Status = Organization.Status

# Every URL under /my/: (name, method, whether it names another object by id).
MY_URLS = [
    ("organizations:my", "get", None),
    ("organizations:my-edit", "get", None),
    ("organizations:my-edit", "post", None),
    ("organizations:my-resubmit", "post", None),
    ("organizations:my-resend-verification", "post", None),
    ("organizations:my-invite", "get", None),
    ("organizations:my-invite", "post", None),
    ("organizations:my-member-remove", "post", "membership"),
    ("organizations:my-invitation-cancel", "post", "invitation"),
    ("organizations:my-data", "get", None),
    ("organizations:my-data-export", "get", None),
    ("organizations:my-data-export-json", "get", None),
    ("organizations:my-data-erase", "get", None),
    ("organizations:my-data-erase", "post", None),
]


def _names_under_my(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names |= (
                _names_under_my(pattern, route)
                if pattern.namespace is None
                else {f"{pattern.namespace}:{name}" for name in _names_under_my(pattern, route)}
            )
        elif isinstance(pattern, URLPattern) and route.startswith("my/") and pattern.name:
            names.add(pattern.name)
    return names


@pytest.fixture
def organization_a(focus_areas):
    organization = OrganizationFactory(name="Alpha Steppe", focus_areas=focus_areas[:1])
    owner = MembershipFactory(organization=organization, user__email="owner-a@example.org").user
    return organization, owner


@pytest.fixture
def organization_b(focus_areas):
    organization = OrganizationFactory(
        name="Beta Confidential",
        status=Status.CHANGES_REQUESTED,
        registration_number="302004567",
        country="UZ",
        contact_phone="+998 90 999 99 99",
        focus_areas=focus_areas[:1],
    )
    owner = MembershipFactory(organization=organization, user__email="owner-b@example.org").user
    editor = MembershipFactory(organization=organization, role="editor")
    invitation = Invitation.objects.create(
        organization=organization, email="guest-b@example.org", invited_by=owner
    )
    organization.review_log.create(
        from_status=Status.SUBMITTED, to_status=Status.CHANGES_REQUESTED, reason="Beta reason"
    )
    return organization, {"membership": editor, "invitation": invitation}


def _request(client, name, method, url_kwargs=None, data=None):
    url = reverse(name, kwargs=url_kwargs or {})
    return getattr(client, method)(url, data or {})


def _fingerprint(organization):
    organization.refresh_from_db()
    return (
        organization.status,
        organization.name,
        organization.pending_changes,
        sorted(organization.memberships.values_list("pk", flat=True)),
        sorted(organization.invitations.values_list("pk", flat=True)),
        organization.review_log.count(),
    )


def test_the_permission_tests_cover_every_url_under_my():
    # The organization's own pages; other apps' pages under /my/ (an event's delegates) are
    # checked by those apps' tests.
    ours = {name for name in _names_under_my() if name.startswith("organizations:")}
    assert ours == {name for name, _method, _target in MY_URLS}


@pytest.mark.parametrize(("name", "method", "target"), MY_URLS)
def test_member_of_a_gets_404_on_everything_of_b(
    client, organization_a, organization_b, name, method, target
):
    _, owner_a = organization_a
    organization, objects = organization_b
    before = _fingerprint(organization)
    client.force_login(owner_a)

    response = _request(
        client,
        name,
        method,
        {"pk": objects[target].pk} if target else None,
        {"name": "Hijacked", "email": "intruder@example.org"},
    )

    if target:
        assert response.status_code == 404
    else:
        # Without an id in the URL, the page can only be about A: nothing of B shows.
        assert response.status_code in (200, 302, 400)
        content = response.content.decode()
        for secret in ("Beta Confidential", "302004567", "+998 90 999 99 99", "Beta reason"):
            assert secret not in content
    assert _fingerprint(organization) == before


@pytest.mark.parametrize(("name", "method", "target"), MY_URLS)
def test_account_without_organization_gets_404_except_the_dashboard(
    client, organization_b, name, method, target
):
    _, objects = organization_b
    client.force_login(UserFactory())

    response = _request(client, name, method, {"pk": objects[target].pk} if target else None)

    if name == "organizations:my":
        assert response.status_code == 200
        assert "not linked to an organization" in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(("name", "method", "target"), MY_URLS)
def test_anonymous_visitor_is_sent_to_log_in(client, organization_b, name, method, target):
    _, objects = organization_b

    response = _request(client, name, method, {"pk": objects[target].pk} if target else None)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/my/")


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("organizations:my-invite", None),
        ("organizations:my-member-remove", "membership"),
        ("organizations:my-invitation-cancel", "invitation"),
    ],
)
def test_an_editor_cannot_manage_colleagues(client, organization_b, name, target):
    organization, objects = organization_b
    before = _fingerprint(organization)
    client.force_login(objects["membership"].user)

    response = _request(client, name, "post", {"pk": objects[target].pk} if target else None)

    assert response.status_code == 404
    assert _fingerprint(organization) == before


@pytest.mark.parametrize(
    ("status", "pending", "words"),
    [
        ("unverified", "", "Confirm your email address"),
        ("submitted", "", "the organizers are reviewing your registration"),
        ("changes_requested", "", "The reviewer asked for changes"),
        ("approved", "", "verified member of the network"),
        ("approved", "submitted", "Your latest changes are with the reviewers"),
        ("approved", "changes_requested", "asked for changes to your latest edit"),
        ("rejected", "", "did not accept the registration"),
        ("suspended", "", "is suspended and visible to nobody"),
    ],
)
def test_dashboard_says_the_status_in_words_and_what_happens_next(client, status, pending, words):
    organization = OrganizationFactory(
        status=status,
        pending_changes={"city": "Astana"} if pending else {},
        pending_changes_status=pending,
    )
    organization.review_log.create(to_status=status, reason="Please add your BIN.")
    client.force_login(MembershipFactory(organization=organization).user)

    content = client.get("/my/").content.decode()

    assert words in content
    shows_reason = status in ("changes_requested", "rejected", "suspended") or (
        pending == "changes_requested"
    )
    assert ("Please add your BIN." in content) == shows_reason
    assert ('href="/my/edit/"' in content) == (status not in ("rejected", "suspended"))
    assert ('action="/my/resubmit/"' in content) == (
        status == "changes_requested" or pending == "changes_requested"
    )


def test_stored_markup_in_every_text_field_renders_escaped(client):
    script = '<script>alert("x")</script>'
    organization = OrganizationFactory(
        **dict.fromkeys(
            (
                "name",
                "name_local",
                "acronym",
                "city",
                "description",
                "phone",
                "contact_position",
                "contact_phone",
            ),
            script,
        ),
        registration_number=script[:20],
        website='https://example.org/"><script>alert(1)</script>',
        public_email="x@example.org",
    )
    organization.review_log.create(to_status=Status.SUSPENDED, reason=script)
    organization.status = Status.SUSPENDED
    organization.save()
    client.force_login(MembershipFactory(organization=organization, user__first_name=script).user)

    content = client.get("/my/").content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


def test_editing_before_approval_saves_directly(client, focus_areas):
    organization = OrganizationFactory(status=Status.SUBMITTED, focus_areas=focus_areas[:1])
    client.force_login(MembershipFactory(organization=organization).user)
    form = client.get("/my/edit/").context["form"]
    data = {
        key: value
        for key, value in {**form.initial, "city": "Shymkent"}.items()
        if value not in (None, "") and key in form.fields
    }
    data["focus_areas"] = [area.pk for area in focus_areas[:2]]

    response = client.post("/my/edit/", data)

    assert response.status_code == 302, response.context["form"].errors
    organization.refresh_from_db()
    assert organization.city == "Shymkent"
    assert organization.focus_areas.count() == 2
    assert organization.status == Status.SUBMITTED


def _edit_data(client, **changes):
    form = client.get("/my/edit/").context["form"]
    data = {}
    for key in form.fields:
        value = form.initial.get(key)
        if value in (None, "") or key in ("logo", "logo_token", "remove_logo"):
            continue
        if hasattr(value, "all"):
            value = [item.pk for item in value.all()]
        elif isinstance(value, list):
            value = [getattr(item, "pk", item) for item in value]
        data[key] = value
    data.update(changes)
    return data


def test_the_whole_path_through_the_pages_and_the_admin(
    client, admin_client, focus_areas, django_capture_on_commit_callbacks
):
    """register → verify → submitted → changes requested → edit → resubmit → approved →
    edit again → back in review, each step through the page a person uses."""
    from tests.organizations.registration_helpers import registration_data

    FocusAreaFactory(slug="climate-environment")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/organizations/register/", registration_data())
    organization = Organization.objects.get()
    link = mail.outbox[-1].body.split("http://testserver", 1)[1].split()[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    organization.refresh_from_db()
    assert organization.status == Status.SUBMITTED
    # The confirmation page links to /my/, which asks to sign in.
    login = client.get("/my/", follow=True)
    assert login.redirect_chain[-1][0] == "/accounts/login/?next=/my/"
    client.post(
        "/accounts/login/?next=/my/",
        {"username": "aigerim@steppe.example.org", "password": PASSWORD},
    )

    change_list = reverse("admin:organizations_organization_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            change_list,
            {
                "action": "request_changes",
                "_selected_action": [organization.pk],
                "confirm": "1",
                "reason": "Please say what you do in Shymkent.",
            },
        )
    organization.refresh_from_db()
    assert organization.status == Status.CHANGES_REQUESTED
    dashboard = client.get("/my/").content.decode()
    assert "Please say what you do in Shymkent." in dashboard

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/my/edit/",
            _edit_data(client, description="Trees in Almaty and Shymkent.", resubmit="1"),
        )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.status == Status.SUBMITTED
    assert organization.description == "Trees in Almaty and Shymkent."

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change_list, {"action": "approve", "_selected_action": [organization.pk]})
    organization.refresh_from_db()
    assert organization.status == Status.APPROVED
    assert client.get(organization.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my/edit/", _edit_data(client, city="Astana"), follow=True)
    assert "Your changes are with the reviewers" in response.content.decode()
    organization.refresh_from_db()
    assert organization.pending_changes == {"city": "Astana"}
    assert organization.city == "Almaty"
    assert organization in Organization.objects.awaiting_review()
    assert "Astana" not in client.get(organization.get_absolute_url()).content.decode()
    # The edit page shows the proposed version, not the public one.
    assert client.get("/my/edit/").context["form"].initial["city"] == "Astana"


def test_resubmit_button(client, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(status=Status.CHANGES_REQUESTED)
    client.force_login(MembershipFactory(organization=organization).user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my/resubmit/", follow=True)

    assert "back with the reviewers" in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == Status.SUBMITTED
    # A second click is refused with a message, not an error page.
    again = client.post("/my/resubmit/", follow=True)
    assert "can be resubmitted only after" in again.content.decode()


def test_rejected_organization_cannot_be_edited(client):
    organization = OrganizationFactory(status=Status.REJECTED)
    client.force_login(MembershipFactory(organization=organization).user)

    response = client.get("/my/edit/", follow=True)

    assert "its profile cannot be edited" in response.content.decode()


def test_edit_with_a_bad_logo_keeps_everything_and_never_500(client, focus_areas):
    organization = OrganizationFactory(focus_areas=focus_areas[:1])
    client.force_login(MembershipFactory(organization=organization).user)
    data = _edit_data(client, city="Astana")
    data["logo"] = SimpleUploadedFile("fake.png", b"not an image at all", "image/png")

    response = client.post("/my/edit/", data)

    assert response.status_code == 200
    assert "not a PNG, JPEG or WebP image" in response.context["form"].errors["logo"][0]
    assert 'value="Astana"' in response.content.decode()


def test_owner_invites_an_editor_who_joins_with_a_new_account(
    client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(name="Alpha Steppe")
    client.force_login(MembershipFactory(organization=organization).user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my/members/invite/", {"email": "colleague@example.org"})
    assert response.status_code == 302
    assert "colleague@example.org" in client.get("/my/").content.decode()
    link = mail.outbox[-1].body.split("http://testserver", 1)[1].split()[0]
    client.logout()

    page = client.get(link)
    assert "Join Alpha Steppe" in page.content.decode()
    response = client.post(
        link,
        {"first_name": "Dana", "last_name": "K", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="colleague@example.org")
    assert (membership.organization, membership.role) == (organization, "editor")
    assert client.get("/my/").context["organization"] == organization
    # The link is used up.
    assert client.get(link).status_code == 400


def test_invitation_link_tampered_or_cancelled_is_refused(client):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization).user
    invitation = services.membership_invite(
        organization=organization, by=owner, email="c@example.org", language="en"
    )
    token = services.invitation_token(invitation)
    client.force_login(owner)

    assert client.get(f"/organizations/join/{token}x/").status_code == 400
    client.post(f"/my/invitations/{invitation.pk}/cancel/")
    assert not Invitation.objects.exists()
    assert client.get(f"/organizations/join/{token}/").status_code == 400


def test_join_with_an_address_that_has_an_account_asks_to_log_in(client):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization).user
    UserFactory(email="known@example.org")
    invitation = services.membership_invite(
        organization=organization, by=owner, email="known@example.org", language="en"
    )

    content = client.get(
        f"/organizations/join/{services.invitation_token(invitation)}/"
    ).content.decode()

    assert "log in with it to accept the invitation" in content
    assert 'name="password1"' not in content


def test_owner_removes_an_editor_but_not_themselves(client):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization)
    editor = MembershipFactory(organization=organization, role="editor")
    client.force_login(owner.user)

    client.post(f"/my/members/{editor.pk}/remove/")
    response = client.post(f"/my/members/{owner.pk}/remove/", follow=True)

    assert list(organization.memberships.all()) == [owner]
    assert "You cannot remove yourself." in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_history(client, django_assert_max_num_queries):
    organization = OrganizationFactory()
    client.force_login(MembershipFactory(organization=organization).user)
    organization.review_log.create(to_status=Status.APPROVED)
    with django_assert_max_num_queries(12) as first:
        client.get("/my/")
    editors = []
    for _ in range(10):
        organization.review_log.create(to_status=Status.APPROVED)
        editors.append(MembershipFactory(organization=organization, role="editor").user)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/my/")

    assert response.status_code == 200
    assert response.context["organization"] == organization
    assert len(response.context["log"]) == 11
    content = response.content.decode()
    assert all(editor.email in content for editor in editors)
