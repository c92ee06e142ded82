"""The event's printable programme, a PDF booklet (logistics/programme.py).

A public page like the agenda: kept by the page cache for visitors under the event's dependency
(portal/dependencies.py), so it is drawn once per change and language."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from events.models import Event

from ..programme import programme_pdf


@require_safe
def programme(request, slug):
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    agenda_url = request.build_absolute_uri(reverse("events:agenda", args=[event.slug]))
    response = HttpResponse(
        programme_pdf(event, agenda_url=agenda_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{event.slug}-programme.pdf"'
    return response
