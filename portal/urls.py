from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from organizations import urls as organizations_urls

from . import admin_views, i18n, twofactor, views
from .sitemaps import SITEMAPS

# The organizations' pages, and those of their pages that also show events (composed here).
organizations_patterns = [
    *organizations_urls.urlpatterns,
    path("countries/<str:iso2>/", views.country_detail, name="country"),
    path("my/data/", views.personal_data_overview, name="my-data"),
    path("my/data/export.json", views.personal_data_export_json, name="my-data-export-json"),
    path("my/data/export/", views.personal_data_export_page, name="my-data-export"),
    path("my/data/erase/", views.account_erase, name="my-data-erase"),
    # Last: a slug would otherwise shadow the fixed paths above.
    path("organizations/<slug:slug>/", views.OrganizationProfileView.as_view(), name="detail"),
]

admin_personal_data = [
    path(
        f"{kind}/<int:pk>/{suffix}",
        admin.site.admin_view(view),
        name=f"admin-personal-data-{kind}-{name}",
    )
    for kind, suffix, view, name in [
        ("organization", "export.json", admin_views.organization_export_json, "json"),
        ("organization", "export/", admin_views.organization_export_page, "page"),
        ("organization", "erase/", admin_views.organization_erase, "erase"),
        ("account", "export.json", admin_views.account_export_json, "json"),
        ("account", "erase/", admin_views.account_erase, "erase"),
    ]
]

admin.site.site_header = _("EU–Central Asia Civil Society Portal")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Organizers' backend")

urlpatterns = [
    path("", views.home, name="home"),
    # Readiness under both names: /healthz is what monitors already ask.
    path("healthz", views.healthz_ready, name="healthz"),
    path("healthz/ready", views.healthz_ready, name="healthz-ready"),
    path("healthz/live", views.healthz_live, name="healthz-live"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    # Exempt from CSRF: it only sets the visitor's language cookie (and redirects to a same-site
    # page), and a token in every page's header would keep public pages out of the page cache.
    # A signed-in person's choice is also kept in their account (portal/i18n.py).
    path("i18n/setlang/", csrf_exempt(i18n.set_language), name="set_language"),
    path("accounts/two-factor/", twofactor.verify, name="two-factor"),
    path("accounts/two-factor/setup/", twofactor.setup, name="two-factor-setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        twofactor.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("accounts/", include("organizations.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Personal data on request, from the organizers' backend (see portal/admin_views.py).
    path("admin/personal-data/", include(admin_personal_data)),
    path("admin/", admin.site.urls),
    path("", include((organizations_patterns, "organizations"))),
    path("", include("events.urls")),
    path("", include("logistics.urls")),
    path("", include("news.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
