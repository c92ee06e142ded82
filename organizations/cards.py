"""The directory's organization cards, built in Python.

A page of the directory shows 24 cards, a country page a few more; through the template engine
each card (an include with its own include for the logo, a loop of focus areas, filters and
translated labels) cost most of the page's time. These are the markup of
`organizations/includes/_card.html` (a test holds both to the same output), built from labels
translated once per page.
"""

from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .cities import city_name
from .i18n import lang_attr


def _logo(organization, logo_alt):
    if organization.logo:
        alt = escape(logo_alt % {"name": organization.name})
        return (
            f'<img src="{escape(organization.logo.url)}" alt="{alt}" '
            'class="organization-logo organization-logo-card" loading="lazy" width="56" '
            'height="56">'
        )
    initials = (organization.acronym or organization.name)[:3].upper()
    return (
        '<span class="organization-logo organization-logo-card organization-logo-placeholder" '
        f'aria-hidden="true">{escape(initials)}</span>'
    )


def organization_cards(organizations):
    """Each organization's card as `organization.card` (focus areas prefetched); returns them."""
    organizations = list(organizations)
    logo_alt = gettext("Logo of %(name)s")
    verified = (
        '<span class="verified-mark"><span aria-hidden="true">✓</span> '
        f"{escape(gettext('Verified'))}</span>"
    )
    network_only = (
        f' <span class="badge text-bg-secondary ms-1">{escape(gettext("Network only"))}</span>'
    )
    areas_label = escape(gettext("Focus areas"))
    for organization in organizations:
        acronym = (
            f' <span class="text-body-secondary fw-normal">({escape(organization.acronym)})</span>'
            if organization.acronym
            else ""
        )
        areas = "".join(
            '<li class="list-inline-item"><span class="badge theme-badge"'
            f"{lang_attr(area, 'name')}>{escape(area.name)}</span></li>"
            for area in organization.focus_areas.all()
        )
        organization.card = SafeString(
            '<article class="card h-100 organization-card"><div class="card-body d-flex gap-3">'
            f"{_logo(organization, logo_alt)}"
            '<div class="flex-grow-1 min-w-0">'
            f'<h3 class="h5 card-title mb-1"><a href="{escape(organization.get_absolute_url())}" '
            f'class="stretched-link">{escape(organization.name)}</a>{acronym}</h3>'
            '<p class="card-text text-body-secondary mb-2">'
            f"{escape(city_name(organization.city))}, {escape(str(organization.country.name))}</p>"
            '<p class="mb-2 small">'
            f"{verified if organization.is_verified else ''}"
            f"{network_only if organization.visibility == 'network' else ''}</p>"
            + (
                f'<ul class="list-inline mb-0" aria-label="{areas_label}">{areas}</ul>'
                if areas
                else ""
            )
            + "</div></div></article>"
        )
    return organizations
