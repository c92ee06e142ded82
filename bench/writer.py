"""The benchmark's writer: content changing all through a run, as in the forum's busiest weeks.

    python -m bench.writer STATE_FILE

Each second it saves one approved, public organization (a new sentence in its description) and
registers one delegate for the next event; every ten seconds it renames a session of the
benchmarked event. It runs until it is sent SIGTERM, then writes the last change of each kind to
STATE_FILE (JSON) for the freshness check that follows the run (bench/run.py).
"""

import json
import os
import signal
import sys
import time

import django

SESSION_EVERY = 10


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from django.contrib.auth import get_user_model
    from django.db import close_old_connections

    from events.models import Event, Session
    from events.services import DelegateRefused, delegate_register
    from organizations.models import Organization

    state_file = sys.argv[1]
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))

    organizer = get_user_model().objects.get(username="bench-organizer")
    organization = Organization.objects.public().order_by("pk").first()
    event = Event.objects.public().order_by("-start_date").first()
    registering = list(Organization.objects.public().order_by("-pk")[:2000])
    sessions = list(Session.objects.filter(event__slug="bench-largest-event").order_by("pk")[:50])
    state = {"writes": 0, "registrations": 0, "refused": 0, "session_changes": 0}
    number = 0
    started = time.monotonic()
    while not stop["now"]:
        number += 1
        marker = f"bench-write-{os.getpid()}-{number}"
        organization.description = f"Works with communities across the region. {marker}."
        organization.save()
        state.update(organization=organization.slug, organization_marker=marker)
        state["writes"] += 1
        try:
            delegate_register(
                event=event,
                organization=registering[number % len(registering)],
                by=organizer,
                full_name=f"Bench Delegate {marker}",
                email=f"{marker}@example.org",
                position="Programme officer",
                check_window=False,
            )
            state["registrations"] += 1
        except DelegateRefused:
            state["refused"] += 1
        if number % SESSION_EVERY == 1:
            session = sessions[(number // SESSION_EVERY) % len(sessions)]
            session.title_en = f"Session moved {marker}"
            session.save()
            state.update(session=session.slug, session_marker=marker)
            state["session_changes"] += 1
        close_old_connections()
        time.sleep(max(0.0, started + number - time.monotonic()))
    with open(state_file, "w") as out:
        json.dump(state, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
