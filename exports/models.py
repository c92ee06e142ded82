import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OpenDataVersion(models.Model):
    """A counter that every change to what the open data shows increments (one row).

    A prepared file built from version N is current while the counter is still N."""

    value = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "open data version"

    def __str__(self):
        return str(self.value)


class PreparedExport(models.Model):
    """The latest prepared open-data file of one format, in the default storage."""

    kind = models.CharField(max_length=10, unique=True)
    version = models.PositiveBigIntegerField()
    # How many organizations, last changed when: also catches a bulk update that sent no signal.
    state = models.CharField(max_length=100, default="")
    path = models.CharField(max_length=200)
    gzip_path = models.CharField(max_length=200)
    previous_paths = models.JSONField(default=list)
    etag = models.CharField(max_length=64)
    # When the data it shows last changed (none for an empty directory), as the dynamic file says.
    last_modified = models.DateTimeField(null=True)
    size = models.PositiveBigIntegerField()
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = "prepared open data file"

    def __str__(self):
        return f"{self.kind} v{self.version}"


def export_storage():
    return storages["exports"]


class ExportJob(models.Model):
    """An organizer's export prepared in the background, downloaded from the admin."""

    class Kind(models.TextChoices):
        DELEGATES_CSV = "delegates-csv", _("Delegates (CSV)")
        DELEGATES_XLSX = "delegates-xlsx", _("Delegates (Excel)")
        ORGANIZATIONS_CSV = "organizations-csv", _("Organizations (CSV)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", pgettext_lazy("export status", "Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("export"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    # The admin list's filters and search, as its URL had them.
    query = models.TextField(_("filters"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    file = models.FileField(_("file"), storage=export_storage, upload_to="exports/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The requester's language: column names and values are written in it.
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
