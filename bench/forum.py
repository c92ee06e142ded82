"""Benchmark the forum's door: badges for 500 delegates drawn by the print task, and a check-in
(scan result to confirmation, server side) with 10,000 delegates registered.

    make bench-forum                     # SQLite, a fresh file under a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal make bench-forum

On PostgreSQL it recreates a separate database named after DATABASE_URL's with a `_forumbench`
suffix. In-process timings: the print task runs as the worker runs it (`logistics.jobs.run`),
the check-in as the check-in page's POST does (find the badge by its code, check it in).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DELEGATES = 10_000
BADGES = 500
CHECK_INS = 300


def _database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tempfile.mkdtemp()}/forum-bench.sqlite3"
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'portal'}_forumbench"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def main():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = _database()
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()
    os.environ["PRIVATE_ROOT"] = tempfile.mkdtemp()
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from events.models import Delegate
    from logistics import jobs, services
    from logistics.models import PrintJob
    from tests.factories import EventFactory, OrganizationFactory, StaffFactory

    event = EventFactory(slug="bench-forum")
    organizations = [OrganizationFactory(country=c) for c in ["KZ", "KG", "TJ", "TM", "UZ"] * 20]
    Delegate.objects.bulk_create(
        [
            Delegate(
                event=event,
                organization=organizations[n % len(organizations)],
                full_name=f"Delegate Benchmark {n}",
                email=f"d{n}@bench.example.org",
                position="Officer",
            )
            for n in range(DELEGATES)
        ],
        batch_size=1000,
    )
    started = time.perf_counter()
    badges = services.badges_for_delegates(Delegate.objects.filter(event=event))
    print(f"{len(badges)} badges created in {time.perf_counter() - started:.1f} s")
    staff = StaffFactory()

    job = PrintJob.objects.create(
        kind=PrintJob.Kind.BADGE_SHEETS,
        ids=[badge.pk for badge in badges[:BADGES]],
        count=BADGES,
        created_by=staff,
    )
    started = time.perf_counter()
    jobs.run(job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == PrintJob.Status.READY, job.error
    print(f"badges for {BADGES} delegates (A4 sheets) by the print task: {elapsed:.1f} s")

    timings = []
    codes = [badge.code for badge in badges[BADGES : BADGES + CHECK_INS]]
    for code in codes:
        started = time.perf_counter()
        badge = services.find_badge(event, code)
        result = services.check_in(badge=badge, by=staff)
        timings.append((time.perf_counter() - started) * 1000)
        assert result.created
    timings.sort()
    print(
        f"check-in at {DELEGATES:,} delegates: median {statistics.median(timings):.1f} ms, "
        f"95th percentile {timings[int(len(timings) * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
