"""During the forum: a person's own agenda, their private calendar, online links and feedback.

Nothing here reaches a cached page: stars, delegates-only links and feedback are answered by
views that are never cached (signed-in pages, or responses marked `_page_cache_skip`), and the
anonymous agenda only carries the forms the browser paints from its own storage.
"""

from django.db.models import Q
from django.utils import timezone

from .models import (
    Delegate,
    Event,
    OnlineAccess,
    Session,
    SessionBooking,
    SessionStar,
    can_preview_drafts,
)

MAX_MERGED_STARS = 500


def confirmed_delegate_events(user):
    """Ids of the events this person is a confirmed delegate of (by their email address)."""
    if not user.is_authenticated or not user.email:
        return set()
    return set(
        Delegate.objects.confirmed()
        .filter(email__iexact=user.email)
        .values_list("event_id", flat=True)
    )


def is_confirmed_delegate(user, event):
    return event.pk in confirmed_delegate_events(user)


def starred_ids(user, event=None):
    if not user.is_authenticated:
        return set()
    stars = SessionStar.objects.filter(user=user)
    if event is not None:
        stars = stars.filter(session__event=event)
    return set(stars.values_list("session_id", flat=True))


def set_star(user, session, starred):
    if starred:
        SessionStar.objects.get_or_create(user=user, session=session)
    else:
        SessionStar.objects.filter(user=user, session=session).delete()


def merge_stars(user, session_ids):
    """Add a visitor's stars (kept in their browser) to their account; the ids that exist and
    are public count, anything else is ignored. Returns every starred id of the person."""
    wanted = set()
    for value in list(session_ids)[:MAX_MERGED_STARS]:
        try:
            wanted.add(int(value))
        except (TypeError, ValueError):
            continue
    if wanted:
        public = Session.objects.public().filter(pk__in=wanted).values_list("pk", flat=True)
        SessionStar.objects.bulk_create(
            [SessionStar(user=user, session_id=pk) for pk in public], ignore_conflicts=True
        )
    return starred_ids(user)


def booked_sessions_q(user):
    """The sessions in which this person, as a confirmed delegate, has a booked seat."""
    if not user.is_authenticated or not user.email:
        return Q(pk__in=[])
    return Q(
        pk__in=SessionBooking.objects.filter(
            status=SessionBooking.Status.CONFIRMED,
            delegate__status=Delegate.Status.CONFIRMED,
            delegate__email__iexact=user.email,
        ).values("session_id")
    )


def personal_sessions(user):
    """The starred and booked sessions of public events (drafts stay out), in time order."""
    return (
        Session.objects.filter(event__in=Event.objects.public())
        .filter(Q(stars__user=user) | booked_sessions_q(user))
        .distinct()
        .select_related("event", "room", "track")
        .order_by("starts_at", "room__name", "pk")
    )


# --- Online links ------------------------------------------------------------------------------


def online_state(session, user, now=None):
    """What this person may see of the session's online link.

    Returns (state, url): "none" (no link), "open" (url given), "sign_in" and "delegates"
    (confirmed delegates only: not signed in, or not one of them), "later" (shown from
    `session.online_opens_at()`)."""
    if not session.online_url:
        return "none", None
    now = now or timezone.now()
    if session.online_access == OnlineAccess.PUBLIC:
        return "open", session.online_url
    if session.online_access == OnlineAccess.BEFORE_START:
        if now >= session.online_opens_at():
            return "open", session.online_url
        return "later", None
    if not user.is_authenticated:
        return "sign_in", None
    if can_preview_drafts(user) or is_confirmed_delegate(user, session.event):
        return "open", session.online_url
    return "delegates", None


# --- Feedback ----------------------------------------------------------------------------------


def feedback_state(session, user, feedback=None, now=None):
    """ "open" (may give or change feedback), "not_yet" (the session has not ended), "sign_in",
    "not_delegate", "closed" (given, and the time to change it is over), "none" (a break)."""
    now = now or timezone.now()
    if session.kind == Session.Kind.BREAK:
        return "none"
    if session.ends_at > now:
        return "not_yet"
    if not user.is_authenticated:
        return "sign_in"
    if not is_confirmed_delegate(user, session.event):
        return "not_delegate"
    if feedback is not None and not feedback.is_editable:
        return "closed"
    return "open"
