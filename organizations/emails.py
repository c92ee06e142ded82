"""The emails the portal sends about an organization, each in its reader's language.

Each email is three templates: `emails/<name>_subject.txt`, `emails/<name>.txt` and
`emails/<name>.html`. Services send them inside the transaction of the change that causes them:
they are written to the outbox with it (outbox/) and delivered by a worker once it commits.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .i18n import language_for, supported
from .origin import portal_url

__all__ = ["absolute", "portal_url", "send"]


def absolute(path):
    return f"{portal_url()}{path}"


def send(name, *, to, language, context):
    """Render the email in `language` (the recipient's: `i18n.language_for`) and queue it."""
    with translation.override(supported(language) or "en"):
        context = {
            "portal_url": portal_url(),
            "dashboard_url": absolute(reverse("organizations:my")),
            **context,
        }
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"emails/{name}.txt", context),
            to=[to],
        )
        message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    message.send()


def send_to_members(name, organization, **context):
    """One email to each member of the organization, in their own language."""
    for membership in organization.memberships.select_related("user"):
        if membership.user.email and membership.user.is_active:
            send(
                name,
                to=membership.user.email,
                language=language_for(membership.user),
                context={"organization": organization, "person": membership.user, **context},
            )
