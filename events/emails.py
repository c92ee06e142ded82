"""The emails to delegates: confirmed (with the event's calendar file), waiting, promoted,
cancelled, and a session seat that came free.

Each email is three templates, `emails/<name>_subject.txt`, `emails/<name>.txt` and
`emails/<name>.html`, like the organizations' emails, and is queued in the outbox in the
transaction of the change (outbox/). The delegate receives it in their language when the portal
knows it (their own account), else in the language of the organization's owner; the member who
registered them gets a copy.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from organizations.emails import absolute, portal_url
from organizations.i18n import language_for, language_for_email
from organizations.models import Membership

from . import ical


def delegate_language(delegate):
    """The delegate's own language (their account's), else that of the organization's owner."""
    own = language_for_email(delegate.email)
    if own is not None:
        return own
    owner = (
        Membership.objects.filter(
            organization_id=delegate.organization_id, role=Membership.Role.OWNER
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return language_for(owner.user) if owner is not None else "en"


def _copy_to(delegate):
    """The member who registered the delegate, if it is somebody else (not an organizer)."""
    person = delegate.created_by
    if person is None or not person.email or person.email.lower() == delegate.email.lower():
        return []
    if not Membership.objects.filter(
        user=person, organization_id=delegate.organization_id
    ).exists():
        return []
    return [person.email]


def _calendar(event):
    calendar = ical.build_calendar(event, [], build_url=absolute)
    return f"{event.slug}.ics", calendar.to_ical(), "text/calendar; charset=utf-8"


def send_delegate_email(name, delegate, **context):
    event = delegate.event
    with translation.override(delegate_language(delegate)):
        context = {
            "portal_url": portal_url(),
            "delegate": delegate,
            "event": event,
            "organization": delegate.organization,
            "event_url": absolute(event.get_absolute_url()),
            **context,
        }
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"emails/{name}.txt", context),
            to=[delegate.email],
            cc=_copy_to(delegate),
        )
        message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
        if name in ("delegate_confirmed", "delegate_promoted"):
            message.attach(*_calendar(event))
    message.send()
