"""What each public page shows, and which changes touch it.

A cached page is kept with the tokens of the dependencies it was rendered under (portal/cache.py);
a change replaces the tokens of the dependencies it touches, and only the pages that depend on
one of them render again:

- `event:<slug>`: an event's pages (event, agenda, sessions, speakers, calendar files, the
  printable programme);
- `events`: the list of events (event list, feed, home, country pages, profiles' attended events);
- `speaker:<slug>`: a speaker's page;
- `org:<slug>`: an organization's public profile;
- `directory`: what the public directory shows (directory, country pages, network, open data,
  home's figures);
- `directory-text`, `directory-text:<iso2>`: the public organizations' texts (description,
  website, public e-mail), of all and of one country's, which only their profiles, the
  directory's search (it matches descriptions) and open data show: an edit of those alone
  leaves the lists, counts and figures cached, and another country's search and open data;
- `programme`: any session or speaker (the sitemap);
- `news`: the published news (news list, feed, home, sitemap); `post:<slug>`: a post's page;
  `news-country:<iso2>`: a country page's latest news; `event-news:<slug>`: an event page's;
- `all`: every page, for a change whose effect is not mapped below (focus areas, SDGs, a model
  added later);
- `any`: pages this module does not map, touched by every change.

A delegate registering, a booking, a membership, a review log entry, an invitation or a member
editing a profile that is not public changes no public page, so they touch nothing. (Delegates
only show on a profile once the event is over: a change to a past event's confirmed delegate
touches that organization's profile.)
"""

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.urls import Resolver404, resolve
from simple_history.models import HistoricalChanges

ALL = "all"
ANY = "any"
CONTENT_APPS = {"organizations", "events", "news"}
# Models whose rows no public page shows.
PRIVATE_MODELS = {
    ("organizations", "membership"),
    ("organizations", "reviewlogentry"),
    ("organizations", "reviewreasontemplate"),
    ("organizations", "invitation"),
    ("organizations", "countrycoordinator"),
    ("events", "sessionbooking"),
    ("events", "countryquota"),
    # A person's own agenda, calendar address and feedback: never on a public page.
    ("events", "sessionstar"),
    ("events", "calendarfeed"),
    ("events", "sessionfeedback"),
    # Newsletters, their audiences and recipients, consents: never on a public page.
    ("news", "subscription"),
    ("news", "refusedaddress"),
    ("news", "newsletter"),
    ("news", "newsletterrecipient"),
}
# An organization's fields that only its profile, the directory's search and open data show.
ORGANIZATION_TEXT_FIELDS = {"description", "website", "public_email"}
# An organization's fields that never appear on a public page or in open data.
PRIVATE_ORGANIZATION_FIELDS = {
    "registration_number",
    "phone",
    "contact_position",
    "contact_phone",
    "consent_version",
    "consent_given_at",
    "pending_changes",
    "pending_changes_status",
    "reviewed_snapshot",
    "updated_at",
    "submitted_at",
}


def _event_pages(kwargs):
    return [f"event:{kwargs['slug']}"]


PAGES = {
    "home": lambda kwargs: ["events", "directory", "news"],
    "robots": lambda kwargs: [],
    "sitemap": lambda kwargs: ["events", "directory", "programme", "news"],
    "events:list": lambda kwargs: ["events"],
    "events:feed": lambda kwargs: ["events"],
    # The event's page also lists its latest news.
    "events:detail": lambda kwargs: [*_event_pages(kwargs), f"event-news:{kwargs['slug']}"],
    "events:agenda": _event_pages,
    "events:speakers": _event_pages,
    "events:calendar": _event_pages,
    "events:now": _event_pages,
    "events:schedule-xml": _event_pages,
    "events:schedule-json": _event_pages,
    "logistics:programme": _event_pages,
    "events:session": lambda kwargs: [f"event:{kwargs['event_slug']}"],
    "events:session-calendar": lambda kwargs: [f"event:{kwargs['event_slug']}"],
    "events:speaker": lambda kwargs: [f"speaker:{kwargs['slug']}"],
    "organizations:list": lambda kwargs: ["directory"],
    "organizations:network": lambda kwargs: ["directory"],
    "organizations:open-data-csv": lambda kwargs: ["directory"],
    "organizations:open-data-json": lambda kwargs: ["directory"],
    "organizations:country": lambda kwargs: [
        "directory",
        "events",
        f"news-country:{kwargs['iso2'].lower()}",
    ],
    "news:list": lambda kwargs: ["news", "events"],
    "news:feed": lambda kwargs: ["news"],
    # A post's page names its event and themes (changes to those touch `events` or `all`).
    "news:detail": lambda kwargs: [f"post:{kwargs['slug']}", "events"],
    "organizations:detail": lambda kwargs: [f"org:{kwargs['slug']}", "events"],
}


def directory_texts(query):
    """The texts a page of organizations shows: one country's, when it is filtered to one."""
    countries = query.getlist("country") if hasattr(query, "getlist") else [query.get("country")]
    if len(countries) == 1 and countries[0] and len(countries[0]) == 2:
        return [f"directory-text:{countries[0].lower()}"]
    return ["directory-text"]


def may_show_later(name):
    """Whether a change to `name` may reach its pages one render later: the organizations'
    texts, which change all day on the search and in filtered open data. While one request
    renders such a page again, the others get the copy from before the change (the texts'
    own profile, and every other dependency, are waited for)."""
    return name == "directory-text" or name.startswith("directory-text:")


# What a page's query string adds: the directory's search matches descriptions; open data has
# them all.
QUERY_PAGES = {
    "organizations:list": lambda query: (
        directory_texts(query) if query.get("q", "").strip() else []
    ),
    "organizations:open-data-csv": directory_texts,
    "organizations:open-data-json": directory_texts,
}


def of_path(path, query=None):
    """The dependencies of the page at `path` with `query` (its GET parameters), `all` always
    among them; None for no page."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    dependencies = PAGES.get(match.view_name)
    names = dependencies(match.kwargs) if dependencies else [ANY]
    extra = QUERY_PAGES.get(match.view_name)
    if extra is not None:
        names = [*names, *extra(query or {})]
    return (ALL, *names)


# --- Changes -----------------------------------------------------------------------------------


def _touch(names):
    """Replace the tokens of `names` now and again once the transaction commits.

    Now, so that the writer's own next request sees the change; after the commit, so that a page
    rendered meanwhile from the rows before the change is not kept under the new token."""
    from .cache import bump

    if not names:
        return
    names = {*names, ANY}
    bump(names)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: bump(names))


def _slugs(queryset):
    return list(queryset.values_list("slug", flat=True).distinct())


def _event_slug(event_id, instance=None):
    from events.models import Event

    cached = getattr(instance, "_state", None) and instance._state.fields_cache.get("event")
    if cached is not None:
        return cached.slug
    return Event.objects.filter(pk=event_id).values_list("slug", flat=True).first()


def _speakers_of_event(event_id):
    from events.models import Speaker

    return [
        f"speaker:{slug}"
        for slug in _slugs(Speaker.objects.filter(appearances__session__event_id=event_id))
    ]


def _session_names(session_id, event_id):
    from events.models import Speaker

    names = ["programme"]
    slug = _event_slug(event_id)
    if slug:
        names.append(f"event:{slug}")
    names += [
        f"speaker:{slug}"
        for slug in _slugs(Speaker.objects.filter(appearances__session_id=session_id))
    ]
    return names


def _organization_is_public(values):
    from organizations.models import Organization

    return bool(values) and (
        values["status"] == Organization.Status.APPROVED
        and values["visibility"] == Organization.Visibility.PUBLIC
    )


def _organization_fields():
    from organizations.models import Organization

    return [
        field.attname
        for field in Organization._meta.concrete_fields
        if field.attname not in PRIVATE_ORGANIZATION_FIELDS
    ]


def _organization_names(organization_id, slugs, *, text_only=False, country=None):
    """What a change to a public organization touches; `text_only`: only its texts changed
    (those of an organization of `country`)."""
    profiles = [f"org:{slug}" for slug in slugs if slug]
    if text_only:
        return ["directory-text", f"directory-text:{str(country).lower()}", *profiles]
    from events.models import Speaker

    speakers = Speaker.objects.filter(organization_id=organization_id)
    return [
        "directory",
        "directory-text",
        *profiles,
        *(f"speaker:{slug}" for slug in _slugs(speakers)),
    ]


def _before_save(sender, instance, raw=False, **kwargs):
    """What the row was: an organization's public fields, an event's or a speaker's slug."""
    if raw or not _is_content(sender) or instance.pk is None:
        return
    label = (sender._meta.app_label, sender._meta.model_name)
    if label == ("organizations", "organization"):
        instance._page_cache_before = (
            sender.objects.filter(pk=instance.pk).values(*_organization_fields()).first()
        )
    elif label == ("news", "post"):
        instance._page_cache_before = _post_state(
            sender.objects.filter(pk=instance.pk)
            .values("slug", "status", "published_at", "countries", "event_id")
            .first()
        )
    elif label in {("events", "event"), ("events", "speaker")}:
        instance._page_cache_before = (
            sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


def _names_for_row(sender, instance, deleted=False):
    """The dependencies a saved or deleted row touches; None where it touches every page."""
    label = (sender._meta.app_label, sender._meta.model_name)
    if label in PRIVATE_MODELS:
        return []
    before = getattr(instance, "_page_cache_before", None)
    match label:
        case ("organizations", "organization"):
            changed = set()
            if deleted:
                was_public = now_public = True
            else:
                now = {name: getattr(instance, name) for name in _organization_fields()}
                was_public = _organization_is_public(before)
                now_public = _organization_is_public(now)
                changed = set(now) if before is None else {n for n in now if before[n] != now[n]}
            if not (was_public or now_public) or not (deleted or changed):
                return []
            return _organization_names(
                instance.pk,
                {instance.slug, (before or {}).get("slug")},
                text_only=(
                    not deleted
                    and was_public
                    and now_public
                    and changed <= ORGANIZATION_TEXT_FIELDS
                ),
                country=getattr(instance.country, "code", instance.country),
            )
        case ("events", "event"):
            return [
                "events",
                "programme",
                *(f"event:{slug}" for slug in {instance.slug, before} if slug),
                *_speakers_of_event(instance.pk),
            ]
        case ("events", "track") | ("events", "room"):
            # Speakers' pages show the room of each of their sessions.
            slug = _event_slug(instance.event_id, instance)
            speakers = _speakers_of_event(instance.event_id)
            return [f"event:{slug}", *speakers] if slug else speakers
        case ("events", "session"):
            return _session_names(instance.pk, instance.event_id)
        case ("events", "sessionspeaker"):
            from events.models import Session

            event_id = (
                Session.objects.filter(pk=instance.session_id)
                .values_list("event_id", flat=True)
                .first()
            )
            names = ["programme"]
            from events.models import Speaker

            names += [
                f"speaker:{slug}" for slug in _slugs(Speaker.objects.filter(pk=instance.speaker_id))
            ]
            slug = _event_slug(event_id) if event_id else None
            return [*names, f"event:{slug}"] if slug else names
        case ("events", "speaker"):
            from events.models import Event

            events = Event.objects.filter(sessions__appearances__speaker_id=instance.pk)
            return [
                "programme",
                *(f"speaker:{slug}" for slug in {instance.slug, before} if slug),
                *(f"event:{slug}" for slug in _slugs(events)),
            ]
        case ("events", "delegate"):
            return _delegate_names(instance)
        case ("news", "post"):
            now = _post_state(
                {
                    "slug": instance.slug,
                    "status": instance.status,
                    "published_at": instance.published_at,
                    "countries": instance.countries,
                    "event_id": instance.event_id,
                }
            )
            return _post_names(before, now, deleted=deleted)
    return None


def _post_state(values):
    """What of a post decides which pages show it: (slug, shown, country codes, event id)."""
    if values is None:
        return None
    from news.models import Post

    countries = values["countries"]
    if isinstance(countries, str):
        countries = [code for code in countries.split(",") if code]
    # A post published for a later time is touched now; the pages cached before that time
    # show it once they expire (PAGE_CACHE_SECONDS at most).
    shown = values["status"] == Post.Status.PUBLISHED and values["published_at"] is not None
    return (
        values["slug"],
        shown,
        frozenset(str(getattr(code, "code", code)).lower() for code in countries),
        values["event_id"],
    )


def _post_names(before, now, *, deleted=False):
    """A post shows on the news pages, its own page, its countries' and its event's pages:
    a draft that stays a draft touches nothing."""
    states = [state for state in (before, now) if state is not None]
    if not any(shown for _slug, shown, _countries, _event in states):
        return []
    names = ["news"]
    event_ids = set()
    for slug, _shown, countries, event_id in states:
        names.append(f"post:{slug}")
        names += [f"news-country:{code}" for code in countries]
        if event_id:
            event_ids.add(event_id)
    from events.models import Event

    names += [
        f"event-news:{slug}"
        for slug in Event.objects.filter(pk__in=event_ids).values_list("slug", flat=True)
    ]
    return names


def _delegate_names(delegate):
    """A profile lists the finished events its confirmed delegates attended: nothing else."""
    from django.utils import timezone

    from events.models import Event
    from organizations.models import Organization

    ended = Event.objects.filter(pk=delegate.event_id, end_date__lt=timezone.localdate()).exists()
    if not ended:
        return []
    slug = (
        Organization.objects.filter(pk=delegate.organization_id)
        .values_list("slug", flat=True)
        .first()
    )
    return [f"org:{slug}"] if slug else []


def _is_content(sender):
    # Migrations' historical models live in their own registry: their rows predate any cache.
    # The history of changes shows on no public page: its rows change nothing there.
    return (
        sender._meta.app_label in CONTENT_APPS
        and sender._meta.apps is global_apps
        and not issubclass(sender, HistoricalChanges)
    )


def _saved(sender, instance, raw=False, **kwargs):
    if _is_content(sender) and not raw:
        names = _names_for_row(sender, instance)
        _touch([ALL] if names is None else names)


def _deleted(sender, instance, **kwargs):
    if _is_content(sender):
        names = _names_for_row(sender, instance, deleted=True)
        _touch([ALL] if names is None else names)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not _is_content(sender) or not action.startswith("post_"):
        return
    from events.models import Event, Session
    from news.models import Post
    from organizations.models import Organization

    if sender._meta.app_label == "news" and not isinstance(instance, Post) and model is not Post:
        return  # a newsletter's audience: on no page
    if isinstance(instance, Post) and not reverse:
        _touch(_post_names(None, _post_state(_post_values(instance))))
    elif not reverse and isinstance(instance, Organization):
        if _organization_is_public({"status": instance.status, "visibility": instance.visibility}):
            _touch(_organization_names(instance.pk, {instance.slug}))
    elif not reverse and isinstance(instance, Event):
        _touch(["events", f"event:{instance.slug}"])
    elif not reverse and isinstance(instance, Session):
        _touch(_session_names(instance.pk, instance.event_id))
    else:
        _touch([ALL])


def _post_values(post):
    return {
        "slug": post.slug,
        "status": post.status,
        "published_at": post.published_at,
        "countries": post.countries,
        "event_id": post.event_id,
    }


def connect_signals():
    pre_save.connect(_before_save, dispatch_uid="page-cache-before-save")
    post_save.connect(_saved, dispatch_uid="page-cache-saved")
    post_delete.connect(_deleted, dispatch_uid="page-cache-deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="page-cache-m2m")
