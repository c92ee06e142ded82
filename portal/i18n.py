"""The portal's languages, for code outside the apps (the newsletter, commands, scripts).

`language_for(user)` is the language to write to a person in; to render a mail in it:

    with translation.override(language_for(user)):
        subject = render_to_string(...)

The implementation lives in organizations/i18n.py, where the apps below the portal can use it.
"""

from organizations.i18n import (  # noqa: F401 (re-exported)
    LOCAL_NAMES,
    content_language,
    lang_attr,
    language_for,
    language_for_email,
    remember_language,
)

__all__ = [
    "LOCAL_NAMES",
    "content_language",
    "lang_attr",
    "language_for",
    "language_for_email",
    "remember_language",
]
