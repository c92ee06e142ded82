"""Benchmark every public page against a bare "hello" view, the production way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal make bench [BENCH_ARGS=--quick]

Creates (or recreates) a separate database named after DATABASE_URL's with a `_bench` suffix,
migrates and seeds it (bench/seed.py), collects static files, starts gunicorn with DEBUG off,
drives each page with wrk on 127.0.0.1 and prints a table; the same lands as JSON in
bench/results/. Every request goes to this machine only.
"""

import argparse
import contextlib
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
# What every browser sends; cached pages are then served from their gzip copy.
BROWSER_HEADERS = ["Accept-Encoding: gzip, deflate, br"]

# (label, path); {event}, {session}, {speaker}, {organization} are filled from the database.
PAGES = [
    ("hello (baseline)", "/bench/hello/"),
    ("home", "/"),
    ("directory", "/organizations/"),
    ("directory: country", "/organizations/?country=KZ"),
    ("directory: search", "/organizations/?q=green+steppe"),
    ("profile", "/organizations/{organization}/"),
    ("country page", "/countries/kz/"),
    ("network", "/network/"),
    ("event list", "/events/"),
    ("event page", "/events/{event}/"),
    ("agenda (300 sessions)", "/events/{event}/agenda/"),
    ("session", "/events/{event}/sessions/{session}/"),
    ("speaker", "/speakers/{speaker}/"),
    ("event calendar (.ics)", "/events/{event}/calendar.ics"),
    # The whole directory: a prepared file (exports/opendata_files.py) with its gzip copy.
    ("open data CSV (prepared file)", "/open-data/organizations.csv"),
    # A filtered export is built for the request (then kept by the page cache).
    ("open data CSV: country", "/open-data/organizations.csv?country=KZ"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs: under 3 minutes")
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, help="seconds per page (default 10, quick 4)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--only",
        help="comma-separated words: measure only the pages whose label has one (and hello)",
    )
    return parser.parse_args()


def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs DATABASE_URL pointing at PostgreSQL (see README, Performance).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "portal"
    bench_name = name if name.endswith("_bench") else f"{name}_bench"
    return url, urlunsplit(parts._replace(path=f"/{bench_name}")), bench_name


def recreate_database(admin_url, name):
    import psycopg

    parts = urlsplit(admin_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_is_seeded(url):
    import psycopg

    with contextlib.suppress(psycopg.Error), psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM organizations_organization").fetchone()
        return row[0] >= 10_000
    return False


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def lookup_paths(env):
    script = (
        "import django; django.setup();"
        "from events.models import Event, Session, Speaker;"
        "from organizations.models import Organization;"
        "event = Event.objects.get(slug='bench-largest-event');"
        "print(event.slug, event.sessions.order_by('pk').first().slug,"
        " Speaker.objects.filter(appearances__session__event=event).first().slug,"
        " Organization.objects.public().order_by('pk').first().slug)"
    )
    output = run([PYTHON, "-c", script], env, capture_output=True, text=True).stdout.split()
    return dict(zip(["event", "session", "speaker", "organization"], output, strict=True))


def admin_session_cookie(env):
    script = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY,"
        " HASH_SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "user = get_user_model().objects.get(username='bench-organizer');"
        "s = SessionStore(); s[SESSION_KEY] = str(user.pk);"
        "from django.conf import settings;"
        "s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0];"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    return run([PYTHON, "-c", script], env, capture_output=True, text=True).stdout.split()[-1]


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=min(timeout, 120)) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


def assert_status(url, expected, cookie):
    """The admin must really answer with its page, not a redirect to the login form."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        status = opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != expected:
        raise RuntimeError(f"{url} answered {status}, not {expected}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def drive(url, connections, duration, headers=()):
    """wrk against one URL; returns requests/s, p50 and p99 in ms, and errors."""
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    latencies = {p: float(v) * UNITS[u] for p, v, u in LATENCY.findall(output)}
    errors = 0
    for match in re.finditer(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(match.group(1)) if match else 0
    requests = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return {
        "rps": requests,
        "p50_ms": latencies.get("50"),
        "p99_ms": latencies.get("99"),
        "errors": errors,
    }


def worker_peak_memory_mb(master_pid):
    peak = 0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            status = (child / "status").read_text()
            if f"PPid:\t{master_pid}\n" in status:
                peak = max(peak, int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)))
    return round(peak / 1024, 1)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is missing: sudo apt-get install -y wrk")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607


def main():
    args = parse_args()
    duration = args.duration or (4 if args.quick else 10)
    ensure_wrk()
    admin_url, url, name = bench_database_url()
    static_root = Path(tempfile.mkdtemp(prefix="portal-bench-static-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "HTTPS_ONLY": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_STATIC_ROOT": str(static_root),
        "PYTHONPATH": str(ROOT),
    }

    if args.reuse and database_is_seeded(url):
        print(f"Reusing the seeded database {name}")
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    else:
        print(f"Creating the database {name}")
        recreate_database(admin_url, name)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "-m", "bench.seed"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    paths = lookup_paths(env)
    cookie = admin_session_cookie(env)

    if not port_is_free(args.port):
        sys.exit(f"Port {args.port} is taken: pass --port")
    base = f"http://{HOST}:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "portal.wsgi:application",
            "--config",
            "portal/gunicorn.conf.py",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "/dev/null",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    results = []
    try:
        wait_for(f"{base}/bench/hello/")
        words = [word.strip().lower() for word in (args.only or "").split(",") if word.strip()]
        pages = [
            (label, template)
            for index, (label, template) in enumerate(PAGES)
            if index == 0 or not words or any(word in label.lower() for word in words)
        ]
        for label, template in pages:
            page_url = base + template.format(**paths)
            # One request alone first (it builds a prepared file that is not there yet), then
            # warm every worker's cache (a local-memory cache is per process) and connections.
            wait_for(page_url, timeout=300)
            drive(page_url, args.connections, 2, BROWSER_HEADERS)
            result = drive(page_url, args.connections, duration, BROWSER_HEADERS)
            results.append({"page": label, "path": template.format(**paths), **result})
            print(f"  {label:<30} {result['rps']:>8.0f} req/s", flush=True)
        admin_url = f"{base}/admin/organizations/organization/"
        assert_status(admin_url, 200, f"sessionid={cookie}")
        admin = drive(
            admin_url,
            1,
            max(3, duration // 2),
            headers=[f"Cookie: sessionid={cookie}"],
        )
        memory = worker_peak_memory_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    hello = results[0]["rps"]
    for result in results:
        result["ratio"] = round(result["rps"] / hello, 2) if hello else None
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "connections": args.connections,
        "duration_s": duration,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "pages": results,
        "admin_changelist_10000": admin,
        "worker_peak_memory_mb": memory,
    }
    print_table(report)
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    out = results_dir / f"bench-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {out.relative_to(ROOT)}")
    failures = [
        r["page"]
        for r in results[1:]
        if r["errors"] or (r["ratio"] or 0) < 0.3 or (r["p99_ms"] or 0) >= 100
    ]
    if failures:
        print("Below target (30% of hello, p99 < 100 ms, no errors): " + ", ".join(failures))
    if (admin["p50_ms"] or 0) >= 300:
        print(f"Admin changelist above target: p50 {admin['p50_ms']:.0f} ms (target < 300 ms)")
    return 1 if failures or (admin["p50_ms"] or 0) >= 300 else 0


def print_table(report):
    print(
        f"\n{report['connections']} connections, {report['duration_s']} s a page, "
        f"{report['workers']} gunicorn workers on {report['cpus']} CPUs\n"
    )
    header = ("page", "req/s", "p50 ms", "p99 ms", "errors", "× hello")
    print("| {:<30} | {:>8} | {:>7} | {:>7} | {:>6} | {:>7} |".format(*header))
    print(f"|{'-' * 32}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 9}|")
    for r in report["pages"]:
        print(
            f"| {r['page']:<30} | {r['rps']:>8.0f} | {r['p50_ms'] or 0:>7.1f} | "
            f"{r['p99_ms'] or 0:>7.1f} | {r['errors']:>6} | {r['ratio'] or 0:>7.2f} |"
        )
    admin = report["admin_changelist_10000"]
    print(
        "\nAdmin changelist of 10,000 organizations (1 connection): "
        f"p50 {admin['p50_ms'] or 0:.0f} ms, p99 {admin['p99_ms'] or 0:.0f} ms, "
        f"errors {admin['errors']}"
    )
    print(f"Peak memory of a gunicorn worker: {report['worker_peak_memory_mb']} MB")


if __name__ == "__main__":
    sys.exit(main())
