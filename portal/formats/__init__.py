"""One date, time and number style per language (FORMAT_MODULE_PATH): portal/formats/<code>/.

Month names with a day ("13 января", the "E" format) come from Django's catalogues, which
capitalise them in Kazakh, Kyrgyz, Turkmen and Uzbek ("13 Қаңтар"); in running text these
languages write them in lower case, as Russian and Tajik do. `lower_case_month_names` (called once
at start, portal/apps.py) makes the "E" names follow the active language's rule.
"""

from django.utils import dates
from django.utils.functional import lazy
from django.utils.translation import get_language

# Languages whose month names are written in lower case after a day.
LOWER_CASE_MONTHS = frozenset({"kk", "ky", "tk", "uz"})


def _month_name(name):
    text = str(name)
    if (get_language() or "").split("-")[0] in LOWER_CASE_MONTHS:
        return text[:1].lower() + text[1:]
    return text


def lower_case_month_names():
    """Wrap the "E" month names once: the same dictionary is shared by django.utils.dateformat."""
    for month, name in list(dates.MONTHS_ALT.items()):
        if not getattr(name, "_portal_lower_case", False):
            wrapped = lazy(_month_name, str)(name)
            wrapped._portal_lower_case = True
            dates.MONTHS_ALT[month] = wrapped
