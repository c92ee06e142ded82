from django.views.generic import DetailView, ListView

from .models import Event, Speaker


class EventListView(ListView):
    template_name = "events/event_list.html"

    def get_queryset(self):
        return Event.objects.published().prefetch_related("themes").order_by("-start_date")


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).prefetch_related("themes")


class SpeakerDetailView(DetailView):
    template_name = "events/speaker_detail.html"
    model = Speaker
