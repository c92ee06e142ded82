"""The organizations' own pages. portal/urls.py includes them under the "organizations"
namespace, together with the pages that also show events: a country's page and the profile."""

from django.urls import path

from .views import directory, my, registration

urlpatterns = [
    # The public directory and the network in figures.
    path("organizations/", directory.OrganizationListView.as_view(), name="list"),
    path("network/", directory.network, name="network"),
    path("open-data/organizations.csv", directory.open_data_csv, name="open-data-csv"),
    path("open-data/organizations.json", directory.open_data_json, name="open-data-json"),
    # Registration and the CSO's own pages.
    path("organizations/register/", registration.register, name="register"),
    path("organizations/register/done/", registration.register_done, name="register-done"),
    path("organizations/register/verify/<str:token>/", registration.verify, name="verify"),
    path(
        "organizations/register/resend/",
        registration.resend_verification,
        name="resend-verification",
    ),
    path("organizations/join/<str:token>/", registration.join, name="join"),
    path("my/", my.dashboard, name="my"),
    path("my/edit/", my.edit, name="my-edit"),
    path("my/resubmit/", my.resubmit, name="my-resubmit"),
    path("my/verification/", my.resend_verification, name="my-resend-verification"),
    path("my/members/invite/", my.invite, name="my-invite"),
    path("my/members/<int:pk>/remove/", my.member_remove, name="my-member-remove"),
    path("my/invitations/<int:pk>/cancel/", my.invitation_cancel, name="my-invitation-cancel"),
]
