"""Organizers' large exports, prepared by the worker with their progress, downloaded when ready.

An export of more than EXPORT_BACKGROUND_ROWS rows (about a second's work) is not built in the
request: the admin records an `ExportJob` with the list's filters and the organizer's language
and sends the organizer to its page, which shows the progress and then the download. The worker
rebuilds the admin list for the organizer (their own filters and, for a country coordinator,
their countries), so the file holds exactly what they may see; only they can download it.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponseRedirect
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import ExportJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 250


@dataclass(frozen=True)
class Spec:
    model: str
    extension: str
    content_type: str
    build: Any  # (queryset, progress) -> bytes


def _delegates_csv(queryset, progress):
    from events import reports

    return reports.export_csv(queryset, progress=progress)


def _delegates_xlsx(queryset, progress):
    from events import reports

    return reports.export_xlsx(queryset, _("Delegates"), progress=progress)


def _organizations_csv(queryset, progress):
    import io

    from organizations import admin_export

    output = io.StringIO()
    admin_export.write_csv(queryset, output, progress=progress)
    return output.getvalue().encode("utf-8")


SPECS = {
    ExportJob.Kind.DELEGATES_CSV: Spec(
        "events.Delegate", "csv", "text/csv; charset=utf-8", _delegates_csv
    ),
    ExportJob.Kind.DELEGATES_XLSX: Spec(
        "events.Delegate",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _delegates_xlsx,
    ),
    ExportJob.Kind.ORGANIZATIONS_CSV: Spec(
        "organizations.Organization", "csv", "text/csv; charset=utf-8", _organizations_csv
    ),
}


def in_background(total):
    return total > settings.EXPORT_BACKGROUND_ROWS


def background_response(request, kind, total):
    """For the admin's export views: start a long export and send the organizer to its page;
    None when it is short enough to answer at once."""
    if not in_background(total):
        return None
    job = start(request, ExportJob.Kind(kind), total=total)
    return HttpResponseRedirect(reverse("admin:exports_exportjob_status", args=[job.pk]))


def start(request, kind, *, total):
    """Record the export of the admin list `request` shows and queue it; returns the job."""
    delete_expired()
    job = ExportJob.objects.create(
        kind=kind,
        requested_by=request.user,
        query=request.GET.urlencode(),
        total=total,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from . import tasks

    try:
        tasks.run_export_job.delay(str(job_id))
    except Exception:  # a broker that does not answer: say so rather than wait forever
        logger.exception("Could not queue export %s", job_id)
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
            status=ExportJob.Status.FAILED,
            error=gettext_noop("The background queue did not answer; nothing was exported."),
            finished_at=timezone.now(),
        )


def _admin_request(job, model):
    """The admin list's request as the organizer made it, for the model admin to filter."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(f"{url}?{job.query}" if job.query else url)
    request.user = job.requested_by
    request.LANGUAGE_CODE = job.language
    return request


def run(job_id):
    """The task's work: build the file (from scratch if a worker died halfway) and store it."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.DONE:
        return
    spec = SPECS[job.kind]
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done=0)

    def progress(count):
        if count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(done=count)

    try:
        with translation.override(job.language):
            model = apps.get_model(spec.model)
            model_admin = admin.site._registry[model]
            request = _admin_request(job, model)
            if not job.requested_by.is_active or not job.requested_by.is_staff:
                raise PermissionDenied
            queryset = model_admin.export_queryset(request)  # checks the permission again
            total = queryset.count()
            ExportJob.objects.filter(pk=job.pk).update(total=total)
            content = spec.build(queryset, progress)
            filename = model_admin.export_filename(request, spec.extension)
        if job.file:
            job.file.delete(save=False)
        job.file.save(f"{job.pk}.{spec.extension}", ContentFile(content), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE,
            file=job.file.name,
            filename=filename,
            done=total,
            total=total,
            error="",
            finished_at=timezone.now(),
        )
    except PermissionDenied:
        _fail(job, gettext_noop("The person who asked for it may no longer see this list."))
    except Exception as error:
        logger.exception("Export %s failed", job.pk)
        _fail(job, f"{type(error).__name__}: {error}")


def _fail(job, reason):
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def delete_expired():
    cutoff = timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS)
    for job in ExportJob.objects.filter(created_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)
        job.delete()


def may_download(user, job):
    """Only the organizer who asked, while they may still see the list it comes from."""
    spec = SPECS[job.kind]
    app_label, model_name = spec.model.lower().split(".")
    return (
        user.is_active
        and user.is_staff
        and job.requested_by_id == user.pk
        and user.has_perm(f"{app_label}.view_{model_name}")
    )
