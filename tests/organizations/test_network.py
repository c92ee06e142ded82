import datetime
import re

import pytest
from django.urls import reverse

from organizations import charts
from organizations.models import FocusArea, Organization, SustainableDevelopmentGoal
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

NETWORK_URL = reverse("organizations:network")


def chart(response, key):
    return next(chart for chart in response.context["charts"] if chart.key == key)


def numbers(response, key):
    return {row.label: row.value for row in chart(response, key).rows}


def approved_in(year):
    return datetime.datetime(year, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def network(db):
    climate = FocusArea.objects.get(slug="climate-environment")
    youth = FocusArea.objects.get(slug="youth")
    goal = SustainableDevelopmentGoal.objects.get(number=13)
    for country, year, areas in [
        ("KZ", 2021, [climate]),
        ("KZ", 2021, [climate, youth]),
        ("TJ", 2023, [youth]),
    ]:
        OrganizationFactory(
            country=country, approved_at=approved_in(year), focus_areas=areas
        ).sdgs.add(goal)


def test_network_counts_by_country_focus_area_sdg_and_year(client, network):
    response = client.get(NETWORK_URL)

    assert response.status_code == 200
    assert response.context["total"] == 3
    assert response.context["country_count"] == 2
    assert numbers(response, "countries") == {
        "Kazakhstan": 2,
        "Kyrgyz Republic": 0,
        "Tajikistan": 1,
        "Turkmenistan": 0,
        "Uzbekistan": 0,
    }
    by_area = numbers(response, "focus-areas")
    assert by_area["Climate and environment"] == 2
    assert by_area["Youth"] == 2
    assert by_area["Energy"] == 0
    by_goal = numbers(response, "sdgs")
    assert len(by_goal) == 17
    assert by_goal["SDG 13: Climate action"] == 3
    # Every year between the first and the last, with the running total.
    years = chart(response, "years").rows
    assert [(row.label, row.value, row.extra) for row in years] == [
        ("2021", 2, 2),
        ("2022", 0, 2),
        ("2023", 1, 3),
    ]


def test_network_draws_svg_charts_with_accessible_tables(client, network):
    content = client.get(NETWORK_URL).content.decode()

    assert content.count("<svg ") == 4
    assert content.count('role="img"') == 4
    assert '<title id="chart-countries-title">Organizations by country</title>' in content
    assert 'aria-labelledby="chart-countries-title chart-countries-desc"' in content
    assert content.count("<table") == 4
    assert "<caption>Organizations by country</caption>" in content
    assert '<th scope="col">Country</th>' in content
    assert '<th scope="row"><a href="/countries/kz/">Kazakhstan</a></th>' in content
    assert '<th scope="row"><a href="/organizations/?sdg=13">SDG 13: Climate action</a></th>' in (
        content
    )
    # No script and no inline style: the charts obey the Content-Security-Policy.
    assert "<script>" not in content
    assert "style=" not in content
    assert re.search(r'<script[^>]+src="(?!/static/)', content) is None


def test_network_charts_render_numbers_without_localisation(client, network):
    content = client.get(NETWORK_URL, headers={"accept-language": "ru"}).content.decode()

    # SVG lengths need a decimal point, whatever the language.
    assert re.search(r'width="\d+,\d+%"', content) is None
    assert "Казахстан" in content


def test_network_counts_only_public_approved_organizations(client, network):
    for visibility, status in [
        (Organization.Visibility.HIDDEN, Organization.Status.APPROVED),
        (Organization.Visibility.NETWORK, Organization.Status.APPROVED),
        (Organization.Visibility.PUBLIC, Organization.Status.SUBMITTED),
        (Organization.Visibility.PUBLIC, Organization.Status.SUSPENDED),
    ]:
        OrganizationFactory(
            country="UZ",
            visibility=visibility,
            status=status,
            approved_at=approved_in(2024),
            focus_areas=[FocusArea.objects.get(slug="energy")],
        ).sdgs.add(SustainableDevelopmentGoal.objects.get(number=7))

    response = client.get(NETWORK_URL)

    assert response.context["total"] == 3
    assert numbers(response, "countries")["Uzbekistan"] == 0
    assert numbers(response, "focus-areas")["Energy"] == 0
    assert numbers(response, "sdgs")["SDG 7: Affordable and clean energy"] == 0
    assert [row.label for row in chart(response, "years").rows] == ["2021", "2022", "2023"]


def test_network_without_organizations_says_so(client):
    response = client.get(NETWORK_URL)

    assert response.status_code == 200
    assert response.context["total"] == 0
    assert "<svg " not in response.content.decode()
    assert "Nothing to count yet." in response.content.decode()


def test_network_lists_partners_from_other_countries(client, network):
    OrganizationFactory(country="DE")

    countries = numbers(client.get(NETWORK_URL), "countries")

    assert countries["Germany"] == 1


def test_network_has_canonical_url_and_open_graph(client):
    content = client.get(NETWORK_URL).content.decode()

    assert '<link rel="canonical" href="http://testserver/network/">' in content
    assert '<meta property="og:title" content="The network in figures">' in content


def test_network_query_count_does_not_grow(client, django_assert_num_queries, steady_generation):
    climate = FocusArea.objects.get(slug="climate-environment")
    OrganizationFactory(focus_areas=[climate])
    # By country, by focus area, by goal, by year.
    with django_assert_num_queries(4):
        client.get(NETWORK_URL)
    for index in range(29):
        OrganizationFactory(
            country=["KZ", "KG", "TJ", "TM", "UZ"][index % 5],
            approved_at=approved_in(2015 + index % 10),
            focus_areas=list(FocusArea.objects.all()[: index % 4 + 1]),
        ).sdgs.set(SustainableDevelopmentGoal.objects.all()[: index % 17 + 1])
    with django_assert_num_queries(4):
        response = client.get(NETWORK_URL)

    assert response.status_code == 200
    assert response.context["total"] == 30
    by_country = {row.label: row.value for row in response.context["charts"][0].rows}
    assert by_country["Kazakhstan"] == 1 + 6
    assert sum(row.value for row in response.context["charts"][1].rows) == 30


def test_bar_chart_geometry_scales_to_the_largest_value():
    chart_ = charts.bar_chart(
        key="k",
        title="T",
        description="D",
        label_heading="L",
        value_heading="V",
        rows=[charts.Row("a", 10), charts.Row("b", 5), charts.Row("c", 0)],
    )

    assert [shape["bar_width"] for shape in chart_.shapes] == [charts.BAR_SPAN, 43.0, 0.0]
    assert chart_.height == 3 * charts.ROW_HEIGHT


def test_bar_chart_breaks_long_labels_into_lines():
    label = "Расширение прав и возможностей женщин и гендерное равенство"
    chart_ = charts.bar_chart(
        key="k",
        title="T",
        description="D",
        label_heading="L",
        value_heading="V",
        rows=[charts.Row(label, 3), charts.Row("Youth", 2)],
    )

    first, second = chart_.shapes
    assert [line["text"] for line in first["label_lines"]] == [
        "Расширение прав и возможностей",
        "женщин и гендерное равенство",
    ]
    assert first["bar_y"] == charts.BAR_TOP + charts.LINE_HEIGHT
    assert second["label_lines"][0]["y"] == (
        charts.ROW_HEIGHT + charts.LINE_HEIGHT + charts.LABEL_BASELINE
    )
    assert chart_.height == 2 * charts.ROW_HEIGHT + charts.LINE_HEIGHT


def test_column_chart_labels_at_most_ten_years_and_always_the_last():
    rows = [charts.Row(str(2000 + index), index) for index in range(25)]

    chart_ = charts.column_chart(
        key="y", title="T", description="D", label_heading="L", value_heading="V", rows=rows
    )

    labelled = [shape["row"].label for shape in chart_.shapes if shape["show_label"]]
    assert len(labelled) <= 10
    assert labelled[-1] == "2024"
    assert chart_.shapes[0]["column_height"] == 0
    assert chart_.shapes[-1]["y"] == charts.COLUMN_AREA_TOP
