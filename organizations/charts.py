"""Bar charts drawn on the server as SVG, so that they need no script (and no inline style:
the colours come from classes in static/css/portal.css).

A chart here is its numbers plus the geometry the SVG templates need, computed in Python
because templates cannot do arithmetic. Each chart is shown with a table of the same numbers
(templates/organizations/includes/_chart.html), which is what screen readers read.
"""

import math
import textwrap
from dataclasses import dataclass, field


@dataclass
class Row:
    label: str
    value: int
    url: str = ""
    # A second number for the table only, e.g. the running total.
    extra: int | None = None


@dataclass
class Chart:
    key: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    rows: list[Row]
    extra_heading: str = ""
    kind: str = "bars"
    height: int = 0
    baseline: int = 0
    shapes: list[dict] = field(default_factory=list)

    @property
    def total(self):
        return sum(row.value for row in self.rows)

    @property
    def is_empty(self):
        return self.total == 0

    @property
    def template_name(self):
        return f"organizations/includes/_chart_{self.kind}.svg"


def _round(number):
    return round(number, 2)


# Horizontal positions are percentages of the chart's width and vertical ones pixels, so that
# the chart fills its column on any screen while its text keeps a readable size.

# Horizontal bars: one row per value, its label on a line above the bar so that long names
# ("Women's empowerment and gender equality", in Russian too) never get cut.
ROW_HEIGHT = 40
LABEL_BASELINE = 15
LINE_HEIGHT = 16
BAR_TOP = 21
BAR_HEIGHT = 13
# Room left at the end of the longest bar for its number.
BAR_SPAN = 86
# SVG text does not wrap: longer labels are broken into lines that fit a phone-wide chart.
LABEL_LINE_LENGTH = 36


def bar_chart(*, key, title, description, label_heading, value_heading, rows):
    chart = Chart(key, title, description, label_heading, value_heading, list(rows))
    largest = max((row.value for row in chart.rows), default=0) or 1
    top = 0
    for row in chart.rows:
        lines = textwrap.wrap(row.label, LABEL_LINE_LENGTH) or [""]
        extra = (len(lines) - 1) * LINE_HEIGHT
        chart.shapes.append(
            {
                "row": row,
                "label_lines": [
                    {"text": line, "y": top + LABEL_BASELINE + index * LINE_HEIGHT}
                    for index, line in enumerate(lines)
                ],
                "bar_y": top + extra + BAR_TOP,
                "bar_height": BAR_HEIGHT,
                "bar_width": _round(BAR_SPAN * row.value / largest),
                "value_y": top + extra + BAR_TOP + BAR_HEIGHT - 2,
            }
        )
        top += ROW_HEIGHT + extra
    chart.height = max(top, ROW_HEIGHT)
    return chart


# Vertical columns, for a time series: years along the bottom.
COLUMN_AREA_TOP = 22
COLUMN_AREA_HEIGHT = 180
AXIS_SPACE = 26
MAX_YEAR_LABELS = 10


def column_chart(*, key, title, description, label_heading, value_heading, rows, extra_heading=""):
    chart = Chart(
        key,
        title,
        description,
        label_heading,
        value_heading,
        list(rows),
        extra_heading=extra_heading,
        kind="columns",
    )
    count = len(chart.rows)
    largest = max((row.value for row in chart.rows), default=0) or 1
    slot = 100 / max(count, 1)
    column_width = min(slot * 0.6, 12)
    label_every = math.ceil(count / MAX_YEAR_LABELS) if count else 1
    baseline = COLUMN_AREA_TOP + COLUMN_AREA_HEIGHT
    for index, row in enumerate(chart.rows):
        height = _round(COLUMN_AREA_HEIGHT * row.value / largest)
        chart.shapes.append(
            {
                "row": row,
                "x": _round(index * slot + (slot - column_width) / 2),
                "y": _round(baseline - height),
                "column_width": _round(column_width),
                "column_height": height,
                "centre": _round(index * slot + slot / 2),
                "value_y": _round(baseline - height - 6),
                # The latest year always has its label; earlier ones at even steps.
                "show_label": (count - 1 - index) % label_every == 0,
            }
        )
    chart.height = baseline + AXIS_SPACE
    chart.baseline = baseline
    return chart
