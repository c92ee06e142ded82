"""Template helpers for the portal's languages (organizations/i18n.py).

`{% translated event "title" %}` is the title, in `<span lang="ru">` when it is shown in a
fallback language (`{% translated event "description" "linebreaks" %}`: its paragraphs, in a
`<div lang="ru">`); `{% lang_attr event "title" %}` inside an element's tag gives the element
` lang="ru"` instead; `{% local_language_names as languages %}` lists (code, name in
itself) for the language switcher.
"""

from django import template

from .. import i18n

register = template.Library()


@register.simple_tag
def lang_attr(obj, field):
    return i18n.lang_attr(obj, field)


@register.simple_tag
def translated(obj, field, filter_name=""):
    if filter_name not in ("", "linebreaks"):
        raise template.TemplateSyntaxError("translated: the only filter is linebreaks")
    return i18n.translated_html(obj, field, block=filter_name == "linebreaks")


@register.filter
def lang_of(obj, field):
    """The language `obj.<field>` is shown in (for an attribute the element has anyway)."""
    return i18n.content_language(obj, field) or ""


@register.simple_tag
def local_language_names():
    return list(i18n.LOCAL_NAMES.items())
