from django.urls import path

from .views import directory, registration

app_name = "organizations"

urlpatterns = [
    # The public directory and the network in figures.
    path("organizations/", directory.OrganizationListView.as_view(), name="list"),
    path("network/", directory.network, name="network"),
    # Registration and the CSO's own pages.
    path("organizations/register/", registration.register, name="register"),
    # Last: a slug would otherwise shadow the fixed paths above.
    path("organizations/<slug:slug>/", directory.OrganizationDetailView.as_view(), name="detail"),
]
