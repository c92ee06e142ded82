from django.shortcuts import render
from django.views.generic import DetailView, ListView

from ..models import Organization


class OrganizationListView(ListView):
    template_name = "organizations/organization_list.html"
    paginate_by = 24

    def get_queryset(self):
        return (
            Organization.objects.visible_to(self.request.user)
            .prefetch_related("focus_areas")
            .order_by("name")
        )


class OrganizationDetailView(DetailView):
    template_name = "organizations/organization_detail.html"

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user).prefetch_related(
            "focus_areas", "sdgs"
        )


def network(request):
    # Placeholder until the network in figures lands (issue 4).
    return render(request, "organizations/network.html")
