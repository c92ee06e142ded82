import datetime

import pytest
from django.utils import translation

from events.templatetags.dates import date_range

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "english", "russian"),
    [
        (D(2025, 1, 28), D(2025, 1, 30), "28–30 January 2025", "28–30 января 2025"),
        (
            D(2027, 1, 30),
            D(2027, 2, 2),
            "30 January – 2 February 2027",
            "30 января – 2 февраля 2027",
        ),
        (D(2026, 12, 30), D(2027, 1, 2), "30 December 2026 – 2 January 2027", None),
        (D(2025, 5, 4), D(2025, 5, 4), "4 May 2025", "4 мая 2025"),
    ],
)
def test_date_range_reads_naturally_in_both_languages(start, end, english, russian):
    assert date_range(start, end) == english
    if russian:
        with translation.override("ru"):
            assert date_range(start, end) == russian
