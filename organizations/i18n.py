"""The portal's languages: their names, the language of a person, and that of translated content.

- `LOCAL_NAMES`: each language named in itself, for the language switcher.
- `language_for(user)`: the language the portal speaks to a person in (pages after sign-in, every
  email): the one they chose while signed in, else the one they registered in, else English.
- `content_language(obj, field)`: the language a translated field (django-modeltranslation) is
  shown in, once its fallbacks (settings.CONTENT_FALLBACK_LANGUAGES) are applied; `lang_attr`
  makes of it the ` lang="ru"` a page puts on the text when it is not in the page's language.
"""

from html import escape

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.safestring import SafeString
from modeltranslation.utils import build_localized_fieldname, resolution_order

# Django's own names in the language itself, where they are the ones a switcher uses; the
# others ("Қазақ", "oʻzbek tili") are the adjective or the noun phrase rather than the name of
# the language as a menu offers it.
_OWN_NAMES = {
    "kk": "Қазақша",
    "tg": "Тоҷикӣ",
    "uz": "Oʻzbekcha",  # Latin script; ʻ is U+02BB, as the Uzbek alphabet writes it
}
LOCAL_NAMES = {
    code: _OWN_NAMES.get(code) or LANG_INFO[code]["name_local"]
    for code, _name in settings.LANGUAGES
}
LANGUAGE_CODES = frozenset(LOCAL_NAMES)


def supported(language):
    """The portal's language for a code ("uz-latn" → "uz"), or None."""
    if not language:
        return None
    language = language.lower().replace("_", "-")
    for candidate in (language, language.split("-")[0]):
        if candidate in LANGUAGE_CODES:
            return candidate
    return None


def active_language():
    return supported(translation.get_language()) or settings.LANGUAGE_CODE


def known_language(user):
    """The language `user` chose while signed in, else the one they registered in, else None."""
    if user is None or not getattr(user, "pk", None):
        return None
    from .models import LanguagePreference, Membership

    chosen = LanguagePreference.objects.filter(user=user).values_list("language", flat=True)
    registered = Membership.objects.filter(user=user).values_list("language", flat=True)
    return supported(chosen.first()) or supported(registered.first())


def language_for(user):
    """The language to write to `user` in (a User; None or an anonymous user: the default)."""
    return known_language(user) or settings.LANGUAGE_CODE


def language_for_email(email):
    """The known language of the account with this address, or None (no such account, or it
    never chose nor registered in one)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
    return known_language(user)


def remember_language(user, language):
    """Keep `language` as the signed-in person's own (a switch of language while signed in)."""
    from .models import LanguagePreference

    language = supported(language)
    if language and getattr(user, "is_authenticated", False):
        LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})


def content_language(obj, field, language=None):
    """The language whose text `obj.<field>` shows in `language` (the active one), or None when
    every language along the fallback chain is empty."""
    language = supported(language) or active_language()
    for candidate in resolution_order(language):
        value = getattr(obj, build_localized_fieldname(field, candidate), None)
        if value not in (None, ""):
            return candidate
    return None


def lang_attr(obj, field, language=None):
    """' lang="ru"' when `obj.<field>` is shown in another language than the page's, else ''."""
    language = supported(language) or active_language()
    shown = content_language(obj, field, language)
    if shown is None or shown == language:
        return SafeString("")
    return SafeString(f' lang="{escape(shown)}"')


def translated_html(obj, field, *, block=False, language=None):
    """`obj.<field>` escaped, in `<span lang="…">` (with `block`: paragraphs as the linebreaks
    filter makes them, in `<div lang="…">`) only when it is shown in a fallback language: text in
    the page's own language keeps its markup as it was."""
    from django.utils.html import linebreaks

    language = supported(language) or active_language()
    value = getattr(obj, field, None) or ""
    html = linebreaks(value, autoescape=True) if block else escape(str(value))
    attribute = lang_attr(obj, field, language)
    if not attribute:
        return SafeString(html)
    tag = "div" if block else "span"
    return SafeString(f"<{tag}{attribute}>{html}</{tag}>")
