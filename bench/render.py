"""Time each public page rendered without the page cache, in-process, at the benchmark's size.

    DATABASE_URL=postgres://…/portal_bench python -m bench.render [--runs 20] [--profile PATH]

Runs against an already seeded benchmark database (bench/run.py creates and seeds it). Every
request goes through the whole middleware stack with the test client, anonymously, with
PAGE_CACHE_SECONDS=0; prints the median and the best time of each page, and the median CPU time
of this process (the database's own work not included: on a busy machine, the steadier
figure). With --profile, prints a cProfile of that one path instead.

Then the pages of a signed-in person, never cached whatever the setting: the agenda of 300
sessions with 40 of them starred (each row a form posting the star) and their My agenda; the
schedule exports for conference apps are timed with the anonymous pages.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

import django


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", metavar="PATH", help="profile one path instead")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    django.setup()

    from django.test import Client

    from bench.paths import page_paths
    from bench.run import PAGES

    client = Client(headers={"accept-encoding": "gzip"})
    if args.profile:
        client.get(args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return 0
    paths = page_paths()
    print(f"| {'page':<24} | {'median ms':>9} | {'best ms':>7} | {'CPU ms':>6} |")
    print(f"|{'-' * 26}|{'-' * 11}|{'-' * 9}|{'-' * 8}|")
    for label, template in PAGES:
        path = template.format(**paths)
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        timings, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        _print_row(label, timings, cpu)
    _time_signed_in(paths, args.runs)
    return 0


def _print_row(label, timings, cpu):
    print(
        f"| {label:<24} | {statistics.median(timings):>9.1f} | {min(timings):>7.1f} "
        f"| {statistics.median(cpu):>6.1f} |"
    )


def _time_signed_in(paths, runs):
    """A signed-in person with stars: the agenda and My agenda, rendered for them."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from events.models import Event, SessionStar

    user, _ = get_user_model().objects.get_or_create(
        username="bench-stars", defaults={"email": "bench-stars@example.org"}
    )
    event = Event.objects.get(slug=paths["event"])
    SessionStar.objects.bulk_create(
        [
            SessionStar(user=user, session=session)
            for session in event.sessions.order_by("starts_at")[::7][:40]
        ],
        ignore_conflicts=True,
    )
    client = Client(headers={"accept-encoding": "gzip"})
    client.force_login(user)
    for label, path in [
        ("agenda, signed in, stars", f"/events/{paths['event']}/agenda/"),
        ("my agenda (40 stars)", "/my/agenda/"),
    ]:
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        timings, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        _print_row(label, timings, cpu)


if __name__ == "__main__":
    sys.exit(main())
