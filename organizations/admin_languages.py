"""Translated fields in the admin, seven languages without a seven-fold form.

django-modeltranslation gives every translated field one input per language. The organizers'
forms keep English and Russian where the field stands, and gather the other languages in one
collapsed group each ("Қазақша (kk)", …), below the form: an organizer who writes the Kyrgyz
texts opens the Kyrgyz group and finds all of them together. Tables of inlines keep English and
Russian only (`MainLanguagesInlineMixin`): their other languages are on the object's own page.
"""

from django.conf import settings
from modeltranslation.translator import NotRegistered, translator

from .i18n import LOCAL_NAMES

# The languages whose inputs stay in place (the network's two working languages).
MAIN_LANGUAGES = ("en", "ru")


def _other_language_fields(model):
    """{language: [field names in declaration order]} for the languages beyond the main ones."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    languages = {
        field.name: field.language
        for translation_fields in options.all_fields.values()
        for field in translation_fields
        if field.language not in MAIN_LANGUAGES
    }
    others = {}
    for field in model._meta.get_fields():  # in the form's order
        if field.name in languages:
            others.setdefault(languages[field.name], []).append(field.name)
    return others


def _without(fields, names):
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            row = [name for name in field if name not in names]
            if row:
                kept.append(tuple(row) if isinstance(field, tuple) else row)
        elif field not in names:
            kept.append(field)
    return kept


class GroupedLanguagesMixin:
    """For a TranslationAdmin: the languages beyond English and Russian in a group each."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        others = _other_language_fields(self.model)
        if not others:
            return fieldsets
        names = {name for fields in others.values() for name in fields}
        shown = {
            name
            for _title, options in fieldsets
            for field in options.get("fields", ())
            for name in (field if isinstance(field, (list, tuple)) else [field])
        }
        grouped = []
        for title, options in fieldsets:
            fields = _without(options.get("fields", ()), names)
            if fields:
                grouped.append((title, {**options, "fields": fields}))
        for code, _name in settings.LANGUAGES:
            fields = [name for name in others.get(code, ()) if name in shown]
            if fields:
                title = f"{LOCAL_NAMES[code]} ({code})"
                grouped.append((title, {"fields": fields, "classes": ["collapse"]}))
        return grouped


class MainLanguagesInlineMixin:
    """For a translated tabular inline: the English and Russian columns only."""

    def get_fieldsets(self, request, obj=None):
        names = {name for fields in _other_language_fields(self.model).values() for name in fields}
        return [
            (title, {**options, "fields": _without(options.get("fields", ()), names)})
            for title, options in super().get_fieldsets(request, obj)
        ]
