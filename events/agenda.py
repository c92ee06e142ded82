"""The agenda's session rows and the event list's cards, built in Python.

The agenda of a large event lists hundreds of sessions; through the template engine each row (an
include with its own include, a loop of speakers, a dozen filters and translated labels) cost
about a millisecond, most of the page's time. These rows are the markup of
`events/includes/_session_item.html` (a test holds both to the same output), built from labels
translated once per page.
"""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from organizations.i18n import lang_attr, translated_html

from .models import Session, SessionSpeaker

SLUG = "__slug__"


class _Labels:
    """The translated labels, URL patterns and names a page's rows share."""

    def __init__(self, event, tracks, stars=None, csrf_token="", next_url=""):
        self.kinds = {value: escape(label) for value, label in Session.Kind.choices}
        self.languages = {
            value: escape(str(label))
            for value, label in Session._meta.get_field("language").flatchoices
        }
        self.roles = {
            value: escape(str(label).lower()) for value, label in SessionSpeaker.Role.choices
        }
        self.speakers = escape(gettext("Speakers:"))
        self.track = escape(gettext("Track:"))
        self.room = escape(gettext("Room:"))
        self.language = escape(gettext("Language:"))
        self.session_url = reverse("events:session", args=[event.slug, SLUG]).split(SLUG, 1)
        self.speaker_url = reverse("events:speaker", args=[SLUG]).split(SLUG, 1)
        self.tracks = {track.pk: translated_html(track, "name") for track in tracks}
        self.tz = event.tzinfo
        self.star_url = reverse("events:session-star", args=[event.slug, SLUG]).split(SLUG, 1)
        self.my_agenda = escape(gettext("My agenda:"))
        # None: a visitor's page (cacheable; the browser paints the stars it keeps).
        self.stars = stars
        self.star_hidden = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(next_url)}">'
            if stars is not None
            else ""
        )


def star_form(session, labels, title=None):
    """The star of `events/includes/_star_form.html`: a form that works without JavaScript."""
    before, after = labels.star_url
    if labels.stars is None:
        method, pressed = "get", "false"
    else:
        method, pressed = "post", "true" if session.pk in labels.stars else "false"
    return (
        f'<form class="star-form no-print" method="{method}" '
        f'action="{before}{escape(session.slug)}{after}" data-session="{session.pk}">'
        f"{labels.star_hidden}"
        f'<button type="submit" class="btn btn-sm star-button" aria-pressed="{pressed}">'
        f'<span class="star-icon" aria-hidden="true"></span><span class="visually-hidden">'
        f"{labels.my_agenda} {title if title is not None else escape(session.title)}</span>"
        "</button></form>"
    )


def _meta(session, labels):
    kind = escape(session.kind)
    items = [
        '<li class="list-inline-item">'
        f'<span class="badge session-kind session-kind-{kind}">'
        f"{labels.kinds.get(session.kind, kind)}</span></li>"
    ]
    if session.track_id:
        items.append(
            f'<li class="list-inline-item"><span class="visually-hidden">{labels.track} </span>'
            f"{labels.tracks[session.track_id]}</li>"
        )
    if session.room_id:
        items.append(
            f'<li class="list-inline-item"><span class="visually-hidden">{labels.room} </span>'
            f"{translated_html(session.room, 'name')}</li>"
        )
    if session.kind != Session.Kind.BREAK:
        language = labels.languages.get(session.language, escape(session.language))
        interpretation = (
            f", {translated_html(session, 'interpretation')}" if session.interpretation else ""
        )
        items.append(
            f'<li class="list-inline-item"><span class="visually-hidden">{labels.language} </span>'
            f'<span lang="{escape(session.language)}">{language}</span>{interpretation}</li>'
        )
    return f'<ul class="list-inline session-meta mb-1">{"".join(items)}</ul>'


def _speakers(appearances, labels):
    if not appearances:
        return ""
    before, after = labels.speaker_url
    names = ", ".join(
        f'<a href="{before}{escape(slug)}{after}">{escape(name)}</a> '
        f'<span class="text-body-secondary">({labels.roles.get(role, "")})</span>'
        for role, slug, name in appearances
    )
    return (
        f'<p class="agenda-speakers mb-0"><span class="visually-hidden">{labels.speakers} </span>'
        f"{names}</p>"
    )


def _row(session, appearances, labels):
    starts = timezone.localtime(session.starts_at, labels.tz)
    ends = timezone.localtime(session.ends_at, labels.tz)
    before, after = labels.session_url
    start_iso, end_iso, title = starts.isoformat(), ends.isoformat(), escape(session.title)
    return (
        f'<li class="agenda-session session-{escape(session.kind)}" data-session="{session.pk}" '
        f'data-start="{start_iso}" data-end="{end_iso}" data-room="{session.room_id or ""}">'
        f'<div class="agenda-time"><time datetime="{start_iso}">{starts:%H:%M}</time>–'
        f'<time datetime="{end_iso}">{ends:%H:%M}</time></div>'
        f'<div class="agenda-body"><h3 class="h6 mb-1">'
        f'<a href="{before}{escape(session.slug)}{after}"{lang_attr(session, "title")}>'
        f"{title}</a></h3>"
        f"{_meta(session, labels)}{_speakers(appearances, labels)}</div>"
        f"{star_form(session, labels, title)}</li>"
    )


def appearances_by_session(sessions):
    """Each session's speakers in protocol order: (role, slug, name) by session id, one query."""
    appearances = {}
    rows = (
        SessionSpeaker.objects.filter(session__in=sessions.values("pk"))
        .in_protocol_order()
        .values_list("session_id", "role", "speaker__slug", "speaker__honorific", "speaker__name")
    )
    for session_id, role, slug, honorific, name in rows:
        full_name = f"{honorific} {name}" if honorific else name  # Speaker.full_name
        appearances.setdefault(session_id, []).append((role, slug, full_name))
    return appearances


class AgendaRows:
    """Builds the rows of an event's sessions (each with its room at hand).

    `stars`: the ids a signed-in person starred (their rows then post the star with the
    `csrf_token`, back to `next_url`); None for a visitor's page, which holds nothing personal."""

    def __init__(self, event, tracks, appearances, *, stars=None, csrf_token="", next_url=""):
        self.labels = _Labels(event, tracks, stars, csrf_token, next_url)
        self.appearances = appearances

    def __call__(self, sessions):
        labels, appearances = self.labels, self.appearances
        return SafeString(
            "".join(_row(session, appearances.get(session.pk, ()), labels) for session in sessions)
        )


def plenary_items(event, sessions):
    """The event page's list of plenary sessions (`<li>` each: title, day, time, room), built in
    Python as the agenda's rows are: the page lists some fifty of them."""
    before, after = reverse("events:session", args=[event.slug, SLUG]).split(SLUG, 1)
    items = []
    for session in sessions:
        starts = timezone.localtime(session.starts_at, event.tzinfo)
        room = f" · {translated_html(session.room, 'name')}" if session.room_id else ""
        items.append(
            f'<li class="mb-2"><a href="{before}{escape(session.slug)}{after}"'
            f"{lang_attr(session, 'title')}>{escape(session.title)}</a><br>"
            f'<span class="small text-body-secondary"><time datetime="{starts.isoformat()}">'
            f"{escape(date_format(starts, 'DATE_FORMAT'))}, {starts:%H:%M}</time>{room}</span></li>"
        )
    return SafeString("".join(items))


def with_theme_lists(events):
    """`events` as a list, each with `theme_list`, its themes in their order.

    Two small queries, the pairs and each theme once, where a prefetch makes an instance of a
    theme for every event that has it (most of the event list's time)."""
    from organizations.models import FocusArea

    from .models import Event

    events = list(events)
    pairs = list(
        Event.themes.through.objects.filter(event_id__in=[event.pk for event in events])
        .order_by()
        .values_list("event_id", "focusarea_id")
    )
    themes = FocusArea.objects.filter(pk__in={theme_id for _event_id, theme_id in pairs})
    rank = {theme.pk: (number, theme) for number, theme in enumerate(themes)}
    by_event = {}
    for event_id, theme_id in pairs:
        by_event.setdefault(event_id, []).append(rank[theme_id])
    for event in events:
        event.theme_list = [theme for _number, theme in sorted(by_event.get(event.pk, []))]
    return events


def event_cards(events):
    """Each event's `events/includes/_event_card.html`, built in Python, as `event.card`.

    The event list shows every event the network held: a hundred cards through the template
    engine were most of its time. `events` have their themes prefetched, as a list in
    `theme_list` (a related manager per event costs more than its card)."""
    from .templatetags.dates import date_range

    before, after = reverse("events:detail", args=[SLUG]).split(SLUG, 1)
    cancelled = f'<span class="badge text-bg-danger">{escape(gettext("Cancelled"))}</span>'
    for event in events:
        themes = " ".join(
            f'<span class="badge theme-badge"{lang_attr(theme, "name")}>{escape(theme.name)}</span>'
            for theme in event.theme_list
        )
        event.card = SafeString(
            '<article class="card h-100 event-card"><div class="card-body">'
            f'<h3 class="h5 card-title"><a href="{before}{escape(event.slug)}{after}" '
            f'class="stretched-link"{lang_attr(event, "title")}>{escape(event.title)}</a></h3>'
            f'<p class="card-text mb-1"><time datetime="{event.start_date:%Y-%m-%d}">'
            f"{escape(date_range(event.start_date, event.end_date))}</time></p>"
            f'<p class="card-text text-body-secondary mb-2">{translated_html(event, "city")}, '
            f"{escape(str(event.country.name))}</p>"
            f"{cancelled if event.is_cancelled else ''}{themes}</div></article>"
        )
    return events
