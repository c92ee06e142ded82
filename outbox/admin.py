from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from . import queue
from .models import Mail


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    """What the portal sent or is sending, and why a mail failed. Organizers see the envelope
    and the reason, not the text: it may hold a person's sign-in or password link."""

    list_display = [
        "created_at",
        "recipient_list",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["subject", "to", "message_id"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "status",
        "recipient_list",
        "subject",
        "from_email",
        "message_id",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=pgettext_lazy("email", "to"))
    def recipient_list(self, obj):
        return ", ".join(obj.recipients)

    @admin.display(description=_("reason of the last failure"))
    def short_error(self, obj):
        return obj.last_error[:120]

    @admin.action(description=_("Send the selected emails again"), permissions=["change"])
    def send_again(self, request, queryset):
        """Queue failed (or still waiting) mails for a new round of attempts."""
        with transaction.atomic():
            ids = list(
                queryset.filter(status__in=[Mail.Status.FAILED, Mail.Status.QUEUED])
                .select_for_update()
                .values_list("pk", flat=True)
            )
            Mail.objects.filter(pk__in=ids).update(
                status=Mail.Status.QUEUED,
                attempts=0,
                next_attempt_at=timezone.now(),
                sent_at=None,
            )
            transaction.on_commit(lambda: queue.schedule(ids), robust=True)
        skipped = queryset.exclude(pk__in=ids).count()
        if ids:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email is queued to be sent again.",
                    "%(count)d emails are queued to be sent again.",
                    len(ids),
                )
                % {"count": len(ids)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was left as it was: it is sent or being sent.",
                    "%(count)d emails were left as they were: they are sent or being sent.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
