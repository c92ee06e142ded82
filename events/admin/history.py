"""The history of changes in the admin: who changed what, when, from what to what.

Read only: reverting a delegate from an old version would bypass the seat rules of the
services, so the library's revert form answers GET only and never saves. The history of an object
is shown to whoever may see the object (a coordinator: their countries only, 404 otherwise).
"""

import dataclasses
import datetime

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class ReadableChanges(HistoricalRecordContextHelper):
    """Values as organizers read them: choice labels, local dates, a dash for nothing."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value in (None, ""):
            return EMPTY
        if getattr(field, "flatchoices", None) and not field.many_to_many:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return formats.date_format(value, "DATE_FORMAT")
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return super().prepare_delta_change_value(change, value)


def _nothing(value):
    return value is None or value == ""


def changes_between(record, before):
    """The fields that changed; "nothing" becoming "empty" (None to "") is no change."""
    delta = record.diff_against(before, foreign_keys_are_objs=True)
    changes = [c for c in delta.changes if not (_nothing(c.old) and _nothing(c.new))]
    return dataclasses.replace(
        delta, changes=changes, changed_fields=[change.field for change in changes]
    )


def with_changes(records, model):
    """Set `history_delta_changes` on each record: what changed since the one before it.

    `records` may mix several objects (an event's quotas), newest first, as the admin lists them.
    """
    previous_of = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous_of.get(record.id)
        if before is not None:
            delta = changes_between(record, before)
            record.history_delta_changes = ReadableChanges(model, record).context_for_delta_changes(
                delta
            )
        previous_of[record.id] = record
    return records


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_template = "admin/events/object_history.html"
    object_history_list_template = "admin/events/includes/_history_list.html"
    history_list_per_page = 50

    def _in_scope(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        self._in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, page_obj, foreign_keys_are_objs=True):
        with_changes(list(page_obj.object_list), self.model)

    def history_view_title(self, request, obj):
        return _("History of changes: %(object)s") % {"object": obj}

    def history_form_view_title(self, request, obj):
        return _("As it was: %(object)s") % {"object": obj}

    def revert_disabled(self, request, obj=None):
        return True
