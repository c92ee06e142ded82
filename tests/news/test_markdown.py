"""Post and newsletter bodies: Markdown rendered, and nothing that runs or restyles survives.

Checked on the HTML as a browser reads it (tags and attributes, parsed), through both layers:
`render` (Markdown with raw HTML off, then the sanitizer) and `sanitize` alone (raw HTML, as if
the Markdown let it through).
"""

from html.parser import HTMLParser

import pytest

from news.markdown import plain_text, render, sanitize


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    return Elements(html).elements


def dangerous(html):
    """What of `html` could run or restyle: script/style tags, on* handlers, style attributes,
    links or sources to javascript:, vbscript: or data: addresses."""
    found = []
    for tag, attrs in elements(html):
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "math", "form"}:
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"{tag}[{name}]")
            if name in {"href", "src", "xlink:href", "action", "formaction"}:
                address = "".join((value or "").split()).lower()
                if address.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"{tag}[{name}={value}]")
    return found


BOTH = pytest.mark.parametrize("clean", [render, sanitize], ids=["markdown", "sanitizer"])


def test_markdown_renders_the_usual_formatting():
    html = render(
        "# Title\n\nSome **bold**, *italic* and [a link](https://example.org/).\n\n- one\n- two"
    )
    assert "<h2>Title</h2>" in html  # the page's own title is the only h1
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert 'href="https://example.org/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "<li>one</li>" in html


CASES = {
    "script": [
        "<script>alert(1)</script>",
        "Hello <script src='https://evil.example/x.js'></script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        "```\n</code><script>alert(1)</script>\n```",
        "<scr<script>ipt>alert(1)</script>",
    ],
    "javascript: links": [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](<java\nscript:alert(1)>)",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        "[click](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        "[ref]\n\n[ref]: javascript:alert(1)",
    ],
    "event handlers": [
        '<img src="x" onerror="alert(1)">',
        '![x](https://example.org/a.png "t" onerror=alert(1))',
        '<p onclick="alert(1)">hi</p>',
        '<svg onload="alert(1)"></svg>',
        '<a href="https://example.org/" onmouseover="alert(1)">x</a>',
    ],
    "styles": [
        '<p style="color:red">red</p>',
        '<span style="background:url(javascript:alert(1))">x</span>',
        "<style>body{display:none}</style>",
        '<div style="position:fixed;inset:0">cover</div>',
    ],
    "data: URIs": [
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[x](data:text/html,<script>alert(1)</script>)",
        '<img src="data:image/png;base64,AAAA">',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    ],
}


@BOTH
@pytest.mark.parametrize(
    "source",
    [source for sources in CASES.values() for source in sources],
)
def test_nothing_that_runs_or_restyles_survives(clean, source):
    html = str(clean(source))
    assert dangerous(html) == [], html


def test_the_sanitizer_keeps_the_harmless_part():
    assert sanitize('<p style="color:red" onclick="x()">red</p>') == "<p>red</p>"
    assert (
        sanitize('<a href="javascript:alert(1)">x</a>')
        == '<a rel="noopener noreferrer nofollow">x</a>'
    )
    assert sanitize("<script>alert(1)</script>ok") == "ok"


def test_typed_html_is_shown_as_text_not_run():
    html = render('<img src="x" onerror="alert(1)">')
    assert elements(html) == [("p", {})]
    assert "&lt;img" in html


def test_images_from_the_web_are_kept_with_their_description():
    html = render("![The plenary hall](https://example.org/hall.jpg)")
    assert '<img src="https://example.org/hall.jpg" alt="The plenary hall">' in html


def test_plain_text_drops_the_tags():
    assert plain_text("Some **bold** text") == "Some bold text"
