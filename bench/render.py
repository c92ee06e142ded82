"""Time each public page rendered without the page cache, in-process, at the benchmark's size.

    DATABASE_URL=postgres://…/portal_bench python -m bench.render [--runs 20] [--profile PATH]

Runs against an already seeded benchmark database (bench/run.py creates and seeds it). Every
request goes through the whole middleware stack with the test client, anonymously, with
PAGE_CACHE_SECONDS=0; prints the median and the best time of each page, and the median CPU time
of this process (the database's own work not included: on a busy machine, the steadier
figure). With --profile, prints a cProfile of that one path instead.
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
        print(
            f"| {label:<24} | {statistics.median(timings):>9.1f} | {min(timings):>7.1f} "
            f"| {statistics.median(cpu):>6.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
