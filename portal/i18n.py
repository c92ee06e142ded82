"""The portal's languages, for code outside the apps (the newsletter, commands, scripts).

`language_for(user)` is the language to write to a person in; to render a mail in it:

    with translation.override(language_for(user)):
        subject = render_to_string(...)

The implementation lives in organizations/i18n.py, where the apps below the portal can use it.
"""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from organizations.i18n import (  # noqa: F401 (re-exported)
    LOCAL_NAMES,
    content_language,
    lang_attr,
    language_for,
    language_for_email,
    remember_language,
    supported,
)
from organizations.models import LanguagePreference

__all__ = [
    "LOCAL_NAMES",
    "AccountLanguageMiddleware",
    "apply_account_language",
    "set_language",
    "content_language",
    "lang_attr",
    "language_for",
    "language_for_email",
    "remember_language",
]


# --- A signed-in person's language: kept in the account, applied at sign-in ------------------


def set_language(request):
    """Django's language switch; for a signed-in person the choice is also kept in the account.

    The switch is exempt from CSRF (see portal/urls.py): a form posted from another site may
    change the cookie, as Django's view allows, but never the account's language."""
    response = django_set_language(request)
    language = supported(request.POST.get("language"))
    same_site = request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
    if language and same_site and request.user.is_authenticated and response.status_code == 302:
        remember_language(request.user, language)
    return response


def apply_account_language(sender, request, user, **kwargs):
    """At sign-in, the language the person chose while signed in becomes the page's (the
    middleware below sets its cookie). Someone who never chose keeps the page's language."""
    if request is None:
        return
    chosen = LanguagePreference.objects.filter(user=user).values_list("language", flat=True)
    language = supported(chosen.first())
    if language is None:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.account_language = language


class AccountLanguageMiddleware:
    """Sets the language cookie to the account's language after a sign-in changed it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "account_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
