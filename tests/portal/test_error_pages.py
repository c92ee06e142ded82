import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_404_in_the_portal_frame(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert '<main id="main"' in content


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("400.html", "Bad request"),
        ("403.html", "Access denied"),
        ("404.html", "Page not found"),
        ("500.html", "Something went wrong"),
    ],
)
def test_error_templates_render_in_the_frame(template, heading):
    # 500.html is rendered without a request context by Django; it must still render.
    request = RequestFactory().get("/") if template != "500.html" else None

    content = render_to_string(template, request=request)

    assert heading in content
    assert "Skip to main content" in content


def test_server_error_answers_500_in_the_portal_frame(client, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.portal.urls_failing"

    response = client.get("/fail/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
