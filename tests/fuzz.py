"""Generated bad input for every form and public query parameter (hypothesis).

Values are what a careless person, a broken client or an attacker sends: huge strings, NUL
bytes, bytes that are not UTF-8, lone surrogates, numbers where text goes and text where numbers
go, markup, fields missing or repeated, unknown fields. A request is built by hand (the test
client would refuse to encode some of these), and the answer must never be a server error; a
refused form must show again what was typed.

How many examples each test runs: the "ci" profile (CI=true) keeps CI fast; the "dev" profile
runs more; HYPOTHESIS_PROFILE chooses another.
"""

import html
import os
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

COMMON = {
    "deadline": None,
    "derandomize": False,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=12, **COMMON)
settings.register_profile("dev", max_examples=40, **COMMON)
settings.register_profile("thorough", max_examples=500, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\u202eevil",
    "\ufeff",
    "N" * 100_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE organizations_organization; --",
    "-1",
    "0",
    "9" * 40,
    "1e309",
    "NaN",
    "3.5",
    "١٢٣",
    "𝟘𝟙",
    "[]",
    "{}",
    '{"a": 1}',
    "true",
    "None",
    "../../etc/passwd",
    "%00",
    "%ff",
    "https://evil.example/",
    "javascript:alert(1)",
    "2025-02-30",
    "00:61",
    "KZ",
    "kz",
    "Жасыл Қала",
]
# Bytes as they arrive on the wire: not UTF-8 at all, or a surrogate encoded anyway.
RAW = [b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"abc\x80def", b"\xe2\x82"]

text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=50),
)
values = st.one_of(
    text_values.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from(RAW),
    st.binary(max_size=60),
)


def form_data(fields, extra=("unknown", "__proto__", "csrfmiddlewaretoken")):
    """A list of (name, value bytes) pairs: each field missing, once, or repeated."""
    one_field = st.tuples(
        st.sampled_from(list(fields) + list(extra)),
        st.lists(values, min_size=0, max_size=3),
    )
    return st.lists(one_field, max_size=len(fields) + 3).map(
        lambda chosen: [(name.encode(), value) for name, many in chosen for value in many]
    )


def encode(pairs):
    return "&".join(
        f"{quote_from_bytes(name)}={quote_from_bytes(value)}" for name, value in pairs
    ).encode("ascii")


def post(client, url, pairs):
    return client.generic(
        "POST", url, encode(pairs), content_type="application/x-www-form-urlencoded"
    )


def get(client, url, pairs):
    query = encode(pairs).decode("ascii")
    return client.get(f"{url}?{query}" if query else url)


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"


def shown_again(response, value):
    """Whether a form's page shows value again (as the browser would display it)."""
    return html.escape(value.strip(), quote=True) in response.content.decode()


# A plain value a person types, to look for in the refused form's page.
plain_text = st.text(
    alphabet=st.characters(categories=["L", "N"], max_codepoint=0x4FF), min_size=1, max_size=40
)
