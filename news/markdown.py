"""Markdown written by organizers, rendered to HTML that is safe to show and to email.

markdown-it-py renders CommonMark with raw HTML turned off (a `<script>` typed in the text is
shown as text), and nh3 (the Ammonia sanitizer) then keeps only the tags and attributes below:
no script, no inline style, no event handlers, and links and images only to http(s) and mailto
addresses (no `javascript:` or `data:`).
"""

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable("table")


def sanitize(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render(text):
    """The Markdown `text` as safe HTML (marked safe for templates)."""
    # A heading of level one is the page's own title: the text's headings start at two.
    html = _parser.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return mark_safe(sanitize(html))  # noqa: S308 (sanitized just above)


def plain_text(text):
    """The rendered text without its tags (feeds' summaries, the text part of a mail)."""
    return strip_tags(render(text)).strip()
