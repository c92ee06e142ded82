from django.contrib import admin
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import jobs
from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Each organizer's own exports: progress while prepared, then the download."""

    list_display = ["__str__", "status", "progress", "total", "created_at", "download"]
    list_filter = ["kind", "status"]
    list_display_links = ["__str__"]

    # Every organizer sees their own exports, whatever their other permissions.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.requested_by_id == request.user.pk
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    # Deleting an export deletes its file too.
    def delete_model(self, request, obj):
        if obj.file:
            obj.file.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for job in queryset:
            if job.file:
                job.file.delete(save=False)
        super().delete_queryset(request, queryset)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(requested_by=request.user)

    @admin.display(description=_("progress"))
    def progress(self, job):
        return f"{job.percent} %"

    @admin.display(description=_("download"))
    def download(self, job):
        if job.status != ExportJob.Status.DONE:
            return "—"
        url = reverse("admin:exports_exportjob_download", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, job.filename)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<uuid:job_id>/", view(self.status_view), name="exports_exportjob_status"),
            path(
                "<uuid:job_id>/download/",
                view(self.download_view),
                name="exports_exportjob_download",
            ),
            *super().get_urls(),
        ]

    def _own_job(self, request, job_id):
        job = ExportJob.objects.filter(pk=job_id).first()
        # Anyone else's export does not exist for this person: 404, not 403.
        if job is None or not jobs.may_download(request.user, job):
            raise Http404
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self.status_view(request, object_id)

    def status_view(self, request, job_id):
        job = self._own_job(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": job.get_kind_display(),
            "opts": self.model._meta,
            "job": job,
            "refresh": not job.finished,
        }
        return TemplateResponse(request, "admin/exports/exportjob/status.html", context)

    def download_view(self, request, job_id):
        job = self._own_job(request, job_id)
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404
        try:
            handle = job.file.open("rb")
        except OSError as error:
            raise Http404 from error
        response = FileResponse(handle, as_attachment=True, filename=job.filename)
        response["Content-Type"] = jobs.SPECS[job.kind].content_type
        response["Cache-Control"] = "private, no-store"
        return response
