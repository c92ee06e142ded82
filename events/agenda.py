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
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from organizations.i18n import lang_attr, translated_html

from .models import Session, SessionSpeaker

SLUG = "__slug__"


class _Labels:
    """The translated labels, URL patterns and names a page's rows share."""

    def __init__(self, event, tracks):
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
    return (
        f'<li class="agenda-session session-{escape(session.kind)}">'
        f'<div class="agenda-time"><time datetime="{starts.isoformat()}">{starts:%H:%M}</time>–'
        f'<time datetime="{ends.isoformat()}">{ends:%H:%M}</time></div>'
        f'<div class="agenda-body"><h3 class="h6 mb-1">'
        f'<a href="{before}{escape(session.slug)}{after}"{lang_attr(session, "title")}>'
        f"{escape(session.title)}</a></h3>"
        f"{_meta(session, labels)}{_speakers(appearances, labels)}</div></li>"
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
    """Builds the rows of an event's sessions (each with its room at hand)."""

    def __init__(self, event, tracks, appearances):
        self.labels = _Labels(event, tracks)
        self.appearances = appearances

    def __call__(self, sessions):
        labels, appearances = self.labels, self.appearances
        return SafeString(
            "".join(_row(session, appearances.get(session.pk, ()), labels) for session in sessions)
        )


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
