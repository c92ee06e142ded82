"""Benchmark a newsletter to 7,000 recipients through a real worker to a local SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make bench-newsletter

Recreates a separate database named after DATABASE_URL's with a `_newsbench` suffix, seeds
1,000 approved organizations with 7 members each (7,000 accounts, every one opted in), starts
a real SMTP server (aiosmtpd) on a free local port that accepts and counts, and `celery worker`
(2 processes) the production way (DEBUG off), then sends one newsletter to all of them, as the
admin's *Send* does: the time to write the 7,000 recipient rows, until the SMTP server has
accepted every mail, and until every row is marked sent; mails a second; and the worker's peak
memory (the largest resident size of any of its processes, from /proc). `--rate N` sets
NEWSLETTER_RATE (default 0: as fast as the server takes them); `--recipients N` another size.
"""

import argparse
import contextlib
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (make bench-newsletter): the SMTP sink and database helpers of the mail
# benchmark are imported from the checkout.
sys.path.insert(0, str(ROOT))
from bench.mail import Counting, celery_worker, free_port, recreate_database  # noqa: E402
from bench.mail import database_urls as mail_database_urls  # noqa: E402

MEMBERS_PER_ORGANIZATION = 7


def database_urls():
    return mail_database_urls("The newsletter benchmark", "_newsbench")


def process_tree(pid):
    """The process and its descendants (from /proc)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in (task / "children").read_text().split()]
    return pids


def peak_memory_kib(pid):
    """The largest peak resident size (VmHWM) among the worker's processes, and their sum."""
    peaks = []
    for process in process_tree(pid):
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]))
        except OSError:
            pass
    return (max(peaks) if peaks else 0), sum(peaks)


def seed(recipients):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from news.models import Newsletter, Subscription
    from organizations.consent import NEWSLETTER_CONSENT_VERSION
    from organizations.models import Membership, Organization

    user_model = get_user_model()
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                name=f"Bench Organization {n}",
                slug=f"bench-organization-{n}",
                country=["KZ", "KG", "TJ", "TM", "UZ"][n % 5],
                city="Almaty",
                description="Works on clean air.",
                status=Organization.Status.APPROVED,
                normalized_name=f"bench organization {n}",
            )
            for n in range(-(-recipients // MEMBERS_PER_ORGANIZATION))
        ]
    )
    password = make_password(None)
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"member{n}@example.org",
                email=f"member{n}@example.org",
                password=password,
                first_name="Member",
                last_name=str(n),
            )
            for n in range(recipients)
        ],  # fmt: skip
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                organization=organizations[n // MEMBERS_PER_ORGANIZATION],
                role=Membership.Role.OWNER if n % MEMBERS_PER_ORGANIZATION == 0 else "editor",
                language="ru" if n % 2 else "en",
            )
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(
                email=user.email,
                user=user,
                subscribed=True,
                language="en",
                consent_version=NEWSLETTER_CONSENT_VERSION,
                consent_given_at=now,
            )
            for user in users
        ],  # fmt: skip
        batch_size=1000,
    )
    return Newsletter.objects.create(
        subject_en="Registration for the sixth forum is open",
        subject_ru="Открыта регистрация на шестой форум",
        body_en="Dear colleagues,\n\nregistration of **delegates** is open. " * 5,
        body_ru="Уважаемые коллеги,\n\nоткрыта регистрация **делегатов**. " * 5,
        people=Newsletter.People.MEMBERS,
        organization_statuses=["approved"],
    )


def wait_until(condition, timeout, sample=None):
    stop = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < stop:
        if sample:
            sample()
        time.sleep(0.05)
    return time.perf_counter()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=7000)
    parser.add_argument("--rate", type=float, default=0)
    options = parser.parse_args()
    maintenance, url, name = database_urls()
    queue_name = f"newsbench-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "HTTPS_ONLY": "0",
            "CELERY_QUEUE": queue_name,
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "NEWSLETTER_RATE": str(options.rate),
        }
    )
    print(f"Recreating {name}, migrating and seeding {options.recipients} recipients ...")
    recreate_database(maintenance, name)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    newsletter = seed(options.recipients)

    from aiosmtpd.controller import Controller

    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}", "CONN_MAX_AGE": "60"}
    peak = {"largest": 0, "sum": 0}
    try:
        with celery_worker(env) as worker:

            def sample():
                largest, total = peak_memory_kib(worker.pid)
                peak["largest"] = max(peak["largest"], largest)
                peak["sum"] = max(peak["sum"], total)

            time.sleep(5)  # the worker's start
            sample()
            idle = dict(peak)
            measure(newsletter, handler, options, sample, peak, idle)
    finally:
        controller.stop()
        import redis

        client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        keys = list(client.scan_iter(match=f"*{queue_name}*"))
        if keys:
            client.delete(*keys)


def measure(newsletter, handler, options, sample, peak, idle):
    from news import sending
    from news.models import NewsletterRecipient

    total = options.recipients
    start = time.perf_counter()
    written = sending.newsletter_send(newsletter.pk)
    committed = time.perf_counter()
    assert written == total, written
    delivered = wait_until(lambda: handler.count >= total, timeout=3600, sample=sample)
    sent = NewsletterRecipient.objects.filter(newsletter=newsletter, status="sent")
    marked = wait_until(lambda: sent.count() == total, timeout=60, sample=sample)
    sample()
    elapsed = delivered - committed
    print(
        f"Newsletter to {total} recipients (NEWSLETTER_RATE={options.rate:g}): "
        f"{total} rows written in {(committed - start):.2f} s (one transaction); "
        f"the SMTP server accepted all {handler.count} mails {elapsed:.1f} s after the commit "
        f"({handler.count / elapsed:.0f} mails/s), all marked sent "
        f"{marked - committed:.1f} s after it ({sent.count()} rows; "
        f"{len(handler.recipients)} distinct recipients at the server); worker peak memory: "
        f"largest process {peak['largest'] / 1024:.0f} MiB (idle {idle['largest'] / 1024:.0f}), "
        f"all processes {peak['sum'] / 1024:.0f} MiB; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
