"""History of changes of events, sessions, country quotas and delegates (django-simple-history).

Registered from the app's `ready()`, after modeltranslation has added the per-language fields,
so that a change of the Russian title is recorded like one of the English title. Every save
through the ORM leaves one historical row with its author: the signed-in person of the request
(`HistoryRequestMiddleware`) or the `by` a service was given (`record_author`). Bulk writes
(`bulk_create`, `update`) leave none: seeding and the event lock stay as fast as before.
"""

from contextlib import contextmanager

from django.test.utils import override_settings
from modeltranslation.translator import NotRegistered, translator
from simple_history import register

# Noise in every diff: changes on their own with each save.
NOT_TRACKED = ["updated_at"]


def _translated_fields(model):
    """The original field of each translated one: its `_en` and `_ru` twins carry the values."""
    try:
        return list(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return []


def register_history():
    from .models import CountryQuota, Delegate, Event, Session

    for model in (Event, Session, CountryQuota, Delegate):
        own = {field.name for field in model._meta.get_fields()}
        excluded = [name for name in NOT_TRACKED if name in own] + _translated_fields(model)
        register(model, app="events", excluded_fields=excluded)


def record_author(instance, by):
    """Name `by` as the author of the next save of `instance` (when a service knows who)."""
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by
    return instance


@contextmanager
def history_paused():
    """Writes that are no one's change (loading the demo content again) leave no history.

    For management commands: the switch is the whole process's while it lasts.
    """
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        yield
