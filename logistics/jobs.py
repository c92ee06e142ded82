"""Bulk work of the forum's logistics, run by the worker (in the process without a broker):
print jobs (badges, certificates), letters and certificates sent by e-mail."""

import logging

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from events.emails import delegate_language
from exports.models import export_storage
from organizations.emails import absolute, portal_url

from . import pdf, services
from .models import Badge, Certificate, Letter, PrintJob

logger = logging.getLogger(__name__)

# The header that ties a queued mail to the letter it carries (the erasure of passport data
# empties those attachments).
LETTER_HEADER = "X-Portal-Letter"


def _queue(task, *args):
    """Run the task after the commit (in this process when there is no broker)."""

    def send():
        try:
            task.delay(*args)
        except Exception:
            logger.warning("The task broker did not take %s%s.", task.name, args, exc_info=True)

    transaction.on_commit(send, robust=True)


# --- Print jobs --------------------------------------------------------------------------------


def start_print_job(*, kind, ids, by):
    from . import tasks

    with transaction.atomic():
        job = PrintJob.objects.create(kind=kind, ids=list(ids), count=len(ids), created_by=by)
        _queue(tasks.run_print_job, job.pk)
    return job


def _render(job):
    if job.kind == PrintJob.Kind.CERTIFICATES:
        certificates = Certificate.objects.filter(pk__in=job.ids).select_related(
            "delegate__event", "delegate__organization"
        )
        return pdf.certificates_pdf(certificates.order_by("delegate__full_name"))
    badges = (
        Badge.objects.filter(pk__in=job.ids)
        .select_related("event")
        .order_by("organization_name", "full_name")
    )
    return pdf.badges_pdf(badges, one_per_page=job.kind == PrintJob.Kind.BADGE_PAGES)


def run(job_id):
    job = PrintJob.objects.filter(pk=job_id, status=PrintJob.Status.WAITING).first()
    if job is None:
        return None
    try:
        content = _render(job)
        name = export_storage().save(
            f"print/{job.kind}-{timezone.now():%Y%m%d-%H%M%S}-{job.pk}.pdf", ContentFile(content)
        )
    except Exception as error:
        logger.exception("Print job %s failed.", job.pk)
        job.status, job.error = PrintJob.Status.FAILED, str(error)[:1000]
    else:
        job.status, job.path = PrintJob.Status.READY, name
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "path", "error", "finished_at"])
    return job.pk


# --- Mail --------------------------------------------------------------------------------------


def _mail(name, delegate, context, attachment, headers=None):
    with translation.override(delegate_language(delegate)):
        context = {
            "portal_url": portal_url(),
            "delegate": delegate,
            "event": delegate.event,
            "organization": delegate.organization,
            "event_url": absolute(delegate.event.get_absolute_url()),
            **context,
        }
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"emails/{name}.txt", context),
            to=[delegate.email],
            headers=headers or {},
        )
        message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
        message.attach(*attachment)
    message.send()


def queue_letters(letters):
    from . import tasks

    ids = [letter.pk for letter in letters]
    if ids:
        _queue(tasks.send_letters, ids)


def send_letters(letter_ids):
    sent = 0
    letters = Letter.objects.filter(pk__in=letter_ids, status=Letter.Status.ISSUED).select_related(
        "delegate__event", "delegate__organization", "delegate__travel"
    )
    for letter in letters:
        with transaction.atomic():
            content = pdf.letter_pdf(letter)
            _mail(
                "letter",
                letter.delegate,
                {"letter": letter, "verify_url": absolute(letter.get_verify_url())},
                (f"letter-{letter.reference}.pdf", content, "application/pdf"),
                headers={LETTER_HEADER: letter.reference},
            )
            Letter.objects.filter(pk=letter.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def send_certificates(event_id):
    from events.models import Event

    event = Event.objects.get(pk=event_id)
    certificates = services.certificates_issue(event)
    sent = 0
    for certificate in Certificate.objects.filter(
        pk__in=[c.pk for c in certificates], emailed_at__isnull=True
    ).select_related("delegate__event", "delegate__organization"):
        with transaction.atomic():
            with translation.override(delegate_language(certificate.delegate)):
                content = pdf.certificates_pdf([certificate], language=translation.get_language())
            _mail(
                "certificate",
                certificate.delegate,
                {"certificate": certificate},
                (f"certificate-{certificate.reference}.pdf", content, "application/pdf"),
            )
            Certificate.objects.filter(pk=certificate.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def queue_certificates(event):
    from . import tasks

    _queue(tasks.send_certificates, event.pk)
