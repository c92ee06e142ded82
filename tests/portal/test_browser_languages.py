"""Every public page, the registration and the /my/ pages in Kazakh, Kyrgyz, Tajik, Turkmen and
Uzbek, in Chromium at a phone's width (360 px), over the demo content:

- no string of the English interface is left on the page. The page's visible text (text nodes,
  and the aria-label, placeholder, title and alt that a screen reader or a form shows) is
  compared with the English and the Russian renderings of the same page: a text that the English
  page shows and the Russian one does not is the English interface; one that both show is
  content, a name or a number, the same in every language. Text marked with another language
  (`lang="ru"`: content shown from a fallback language) is content too;
- nothing scrolls sideways (the page is exactly as wide as the screen);
- axe-core (vendored from npm under tests/vendor/) finds no serious or critical violation.
"""

import os
import re
from pathlib import Path
from pprint import pformat

import pytest

from organizations.cities import RUSSIAN
from organizations.models import LanguagePreference
from tests.portal.test_browser_phone import (  # noqa: F401 (the demo fixture)
    PASSWORD,
    WIDTH,
    demo,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
LANGUAGES = os.environ.get("BROWSER_LANGUAGES", "kk ky tg tk uz").split()
MEMBER = "member@example.org"
# Words that are the same in the language and in English and differ in Russian: not a string
# left in English. Only what a test run showed and a speaker confirmed.
SAME_AS_ENGLISH = {"uz": {"Moderator", "(moderator)"}, "tk": {"Moderator", "(moderator)"}}
# Cities as an organization typed them are content (Russian pages write them in Russian:
# organizations/cities.py): a text that is only city names is left out.
CITIES = {latin for latin, _russian in RUSSIAN}

# The visible texts of the page, without those in an element marked with another language.
TEXTS = """(language) => {
  const texts = new Set();
  const visible = (element) => element && element.getClientRects().length > 0
    && getComputedStyle(element).visibility !== "hidden";
  const own = (element) => {
    const marked = element.closest("[lang]");
    return !marked || marked.getAttribute("lang") === language
      || marked === document.documentElement;
  };
  const add = (text) => {
    const clean = (text || "").replace(/\\s+/g, " ").trim();
    if (/[A-Za-zÀ-ɏЀ-ӿ]{2,}/.test(clean)) texts.add(clean);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(parent.tagName)) continue;
    const label = parent.closest(".visually-hidden, .visually-hidden-focusable");
    if ((visible(parent) || label) && own(parent)) add(walker.currentNode.nodeValue);
  }
  const labelled = "[aria-label], [placeholder], [title], img[alt]";
  for (const element of document.querySelectorAll(labelled)) {
    if (!own(element)) continue;
    for (const name of ["aria-label", "placeholder", "title", "alt"]) {
      add(element.getAttribute(name));
    }
  }
  add(document.title);
  return [...texts];
}"""


def _axe_violations(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => [v.id, v.nodes.slice(0, 3).map(n => n.target.join(' '))])"
    )
    return result


def _context(browser, live_server, language, member=None):
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": WIDTH, "height": 740}
    )
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    if member is not None:
        # The account's own language: the one it signs in with.
        LanguagePreference.objects.update_or_create(user=member, defaults={"language": language})
        page.goto("/accounts/login/")
        page.locator("main input[name=username]").fill(MEMBER)
        page.locator("main input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/my/**")
    return context, page


def _registration_with_errors(page):
    """The registration form sent empty: the errors next to the fields."""
    page.goto("/organizations/register/")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()


def _texts(page, path, language):
    if path == "register-errors":
        _registration_with_errors(page)
    else:
        response = page.goto(path)
        assert response.status == (404 if path == "/no-such-page/" else 200), (language, path)
    assert page.locator("html").get_attribute("lang") == language, path
    return {text for text in page.evaluate(TEXTS, language) if not _only_cities(text)}


def _only_cities(text):
    return all(word in CITIES for word in re.findall(r"[^\W\d_][\w'-]*", text))


def test_every_page_speaks_each_language_fits_a_phone_and_passes_axe(
    browser,
    live_server,
    demo,  # noqa: F811 (the fixture imported above)
):
    from django.contrib.auth import get_user_model

    public, mine = demo
    public = [*public, "register-errors"]
    member = get_user_model().objects.get(email=MEMBER)

    reference = {}
    for language in ("en", "ru"):
        anonymous, page = _context(browser, live_server, language)
        for path in public:
            reference[language, path] = _texts(page, path, language)
        anonymous.close()
        signed_in, page = _context(browser, live_server, language, member)
        for path in mine:
            reference[language, path] = _texts(page, path, language)
        signed_in.close()

    english_left, widths, serious = {}, {}, {}
    for language in LANGUAGES:
        allowed = SAME_AS_ENGLISH.get(language, set())
        for signed_in, paths in ((None, public), (member, mine)):
            context, page = _context(browser, live_server, language, signed_in)
            for path in paths:
                texts = _texts(page, path, language)
                left = (texts & reference["en", path]) - reference["ru", path] - allowed
                if left:
                    english_left[language, path] = sorted(left)
                widths[language, path] = page.evaluate("document.documentElement.scrollWidth")
                violations = _axe_violations(page)
                if violations:
                    serious[language, path] = violations
            context.close()

    assert english_left == {}, pformat(english_left)
    assert widths == dict.fromkeys(widths, WIDTH), pformat(widths)
    assert serious == {}, pformat(serious)
