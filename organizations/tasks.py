"""Review decisions on many organizations at once, off the request (the admin's bulk actions)."""

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import services
from .models import Organization

logger = logging.getLogger(__name__)

SERVICES = {
    "approve": services.organization_approve,
    "request_changes": services.organization_request_changes,
    "reject": services.organization_reject,
    "suspend": services.organization_suspend,
}


def decide_each(decision, organizations, *, by, reason):
    """Take one decision on each organization, each checked, logged and emailed as alone.

    Returns (how many were decided, the refusals as sentences)."""
    service = SERVICES[decision]
    done, refusals = 0, []
    for organization in organizations:
        kwargs = {"note": reason} if decision == "approve" else {"reason": reason}
        try:
            service(organization=organization, by=by, **kwargs)
        except services.TransitionNotAllowed as error:
            refusals.append(str(error))
        except ValidationError as error:
            # The profile as it would become is not valid (say, an edit made elsewhere).
            refusals.append(
                _("“%(name)s”: %(errors)s")
                % {"name": organization.name, "errors": " ".join(error.messages)}
            )
        else:
            done += 1
    return done, refusals


@shared_task(name="organizations.decide")
def decide(decision, ids, by_id, reason):
    """A bulk decision of the admin, run by the worker: one transaction per organization."""
    by = get_user_model().objects.get(pk=by_id)
    organizations = Organization.objects.filter(pk__in=ids).order_by("pk")
    done, refusals = decide_each(decision, organizations, by=by, reason=reason)
    for refusal in refusals:
        logger.warning("Bulk decision %s by %s refused: %s", decision, by, refusal)
    return {"done": done, "refused": len(refusals)}
