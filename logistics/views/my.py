"""/my/: an organization's travel and stay of its delegates, their letters and certificates.

As in events/views/delegates.py, everything is reached through the signed-in member's
organization, so another organization's delegate, letter or certificate is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from events.models import Delegate, Event
from organizations.models import Membership

from .. import pdf
from ..forms import TravelStayForm
from ..models import PASSPORT_CONSENT_VERSION, PASSPORT_FIELDS, Certificate, Letter, TravelStay


def _organization(request):
    membership = Membership.objects.of_user(request.user)
    if membership is None:
        raise Http404
    return membership.organization


@never_cache
@login_required
def event_logistics(request, slug):
    organization = _organization(request)
    event = get_object_or_404(Event.objects.public(), slug=slug)
    delegates = list(
        organization.delegates.filter(event=event)
        .exclude(status=Delegate.Status.CANCELLED)
        .select_related("travel__room_block__hotel", "certificate")
        .prefetch_related(
            Prefetch(
                "letters",
                queryset=Letter.objects.filter(status=Letter.Status.ISSUED),
                to_attr="issued_letters",
            )
        )
        .order_by("full_name", "pk")
    )
    for delegate in delegates:
        try:
            delegate.stay = delegate.travel
        except TravelStay.DoesNotExist:
            delegate.stay = None
        try:
            delegate.attendance = delegate.certificate
        except Certificate.DoesNotExist:
            delegate.attendance = None
    return render(
        request,
        "logistics/my_event.html",
        {"organization": organization, "event": event, "delegates": delegates},
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def travel_edit(request, pk):
    organization = _organization(request)
    delegate = get_object_or_404(
        Delegate.objects.filter(organization=organization)
        .exclude(status=Delegate.Status.CANCELLED)
        .select_related("event"),
        pk=pk,
    )
    travel = TravelStay.objects.filter(delegate=delegate).first() or TravelStay(delegate=delegate)
    form = TravelStayForm(
        request.POST if request.method == "POST" else None, instance=travel, event=delegate.event
    )
    erased = travel.passport_erased_at is not None
    if request.method == "POST" and not erased and form.is_valid():
        with transaction.atomic():
            travel = form.save(commit=False)
            if form.cleaned_data.get("consent") and any(
                name in form.changed_data for name in PASSPORT_FIELDS
            ):
                travel.consent_confirmed_at = timezone.now()
                travel.consent_confirmed_by = request.user
                travel.consent_version = PASSPORT_CONSENT_VERSION
            travel.save()
        messages.success(
            request,
            _("The travel and stay of %(name)s are saved.") % {"name": delegate.full_name},
        )
        return redirect("logistics:my-event", slug=delegate.event.slug)
    return render(
        request,
        "logistics/travel_form.html",
        {
            "organization": organization,
            "delegate": delegate,
            "event": delegate.event,
            "travel": travel,
            "form": form,
            "erased": erased,
        },
    )


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def letter_download(request, reference):
    organization = _organization(request)
    letter = get_object_or_404(
        Letter.objects.filter(
            delegate__organization=organization,
            status=Letter.Status.ISSUED,
            delegate__travel__passport_erased_at__isnull=True,
        ).select_related("delegate__event", "delegate__organization", "delegate__travel"),
        reference=reference,
    )
    return _pdf(pdf.letter_pdf(letter), f"letter-{letter.reference}.pdf")


@never_cache
@login_required
def certificate_download(request, reference):
    organization = _organization(request)
    certificate = get_object_or_404(
        Certificate.objects.filter(delegate__organization=organization).select_related(
            "delegate__event", "delegate__organization"
        ),
        reference=reference,
    )
    content = pdf.certificates_pdf([certificate], language=request.LANGUAGE_CODE)
    return _pdf(content, f"certificate-{certificate.reference}.pdf")
