"""Prove that the portal runs on two app servers: `make cluster-check`.

On 127.0.0.1 only, it starts nginx (its own configuration and prefix in a temporary directory,
free ports) in front of two gunicorn servers, one Celery worker with its scheduler, and a local
SMTP server that counts what it receives; the servers share this machine's PostgreSQL (a
database of their own, recreated) and Redis (two database indexes of their own, emptied), and a
media directory. Then it shows, printing each point as it goes:

1. a change made in the admin through one server is on the other's public page at once;
2. a logo uploaded through one server is on the other's page and served (nginx, shared media);
3. a person signed in through one server is signed in on the other;
4. the worker delivers the mails that either server queued;
5. the open-data files are rebuilt by the worker after the change;
6. the rate limit counts the attempts made on both servers together;
7. stopping one server in the middle of traffic gives visitors no error (nginx passes on).

Everything it started is stopped by its process id, also when a point fails or on Ctrl-C.
Settings (environment): CLUSTER_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/portal_cluster), CLUSTER_CACHE_URL (redis://127.0.0.1:6379/5),
CLUSTER_BROKER_URL (redis://127.0.0.1:6379/6), NGINX (nginx), CLUSTER_PORTS (free ports;
or four, comma-separated: nginx, server A, server B, SMTP).
"""

import contextlib
import html.parser
import http.client
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
DATABASE_URL = os.environ.get(
    "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_cluster"
)
CACHE_URL = os.environ.get("CLUSTER_CACHE_URL", "redis://127.0.0.1:6379/5")
BROKER_URL = os.environ.get("CLUSTER_BROKER_URL", "redis://127.0.0.1:6379/6")
NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
# The demo accounts (seeded with DEBUG on, into this check's own database only).
ORGANIZER = ("organizer", "organizer-demo")
MEMBER = ("demo-cso@example.org", "demo-cso-password")
# Documentation addresses (RFC 5737), only ever sent as X-Forwarded-For from our own proxy's
# address, so that each point has its own rate-limit counter. No traffic goes to them.
CLIENTS = {"admin": "192.0.2.10", "member": "192.0.2.11", "limit": "192.0.2.12"}


class CheckFailed(Exception):
    pass


def say(text):
    print(text, flush=True)


def point(number, text):
    say(f"  ✔ {number}. {text}")


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- A small HTTP client with its own cookies --------------------------------------------------


class Browser:
    """One person's browser: keeps cookies across servers, as behind one host name."""

    def __init__(self, client_ip):
        self.cookies = {}
        self.client_ip = client_ip

    def request(self, port, method, path, *, body=None, headers=None, timeout=30):
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        all_headers = {
            "Host": f"{HOST}:{port}",
            "X-Forwarded-For": self.client_ip,
            "Accept-Language": "en",
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def get(self, port, path, **kwargs):
        return self.request(port, "GET", path, **kwargs)

    def post(self, port, path, fields, files=None):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(port, "POST", path, body=body, headers={"Content-Type": content_type})

    def form(self, port, path, form_id=None):
        status, _headers, data = self.get(port, path)
        if status != 200:
            raise CheckFailed(f"GET {path} on :{port} answered {status}")
        parser = FormParser(form_id)
        parser.feed(data.decode())
        return parser.fields


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            )
            out.write(f"{value}\r\n".encode())
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class FormParser(html.parser.HTMLParser):
    """The values a browser would send for a form: inputs, checked boxes, selected options and
    text areas (file inputs left out)."""

    def __init__(self, form_id=None):
        super().__init__()
        self.form_id = form_id
        self.in_form = False
        self.fields = {}
        self._select = None
        self._textarea = None

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data


# --- Processes ----------------------------------------------------------------------------------


class Processes:
    """What this check started, each in its own process group, stopped by its pid."""

    def __init__(self, logs):
        self.logs = logs
        self.started = {}

    def start(self, name, args, env):
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(  # noqa: S603
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started[name] = (process, log)
        return process

    def kill(self, name, sig=signal.SIGTERM, wait=15):
        process, log = self.started.pop(name, (None, None))
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        log.close()

    def alive(self, name):
        return name in self.started and self.started[name][0].poll() is None

    def stop_all(self):
        for name in list(self.started):
            self.kill(name)

    def tail(self, name, lines=30):
        path = self.logs / f"{name}.log"
        if path.exists():
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def wait_until(what, condition, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if condition():
                return
        time.sleep(interval)
    raise CheckFailed(f"{what} did not happen within {timeout} s")


def status_of(port, path="/healthz/ready"):
    return Browser("127.0.0.1").get(port, path, timeout=5)[0]


# --- Set-up ---------------------------------------------------------------------------------------


def recreate_database():
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database():
    import psycopg

    parts = urlsplit(DATABASE_URL)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def flush_redis():
    import redis

    for url in (CACHE_URL, BROKER_URL):
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def sql(query, *params):
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        return connection.execute(query, params).fetchall()


class Mailbox:
    """A real SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self, port):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname=HOST, port=port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"

    def to(self, address):
        with self.lock:
            return [content for rcpts, content in self.messages if address in rcpts]


NGINX_CONF = """\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/nginx-error.log warn;
daemon off;
events {{ worker_connections 512; }}
http {{
    access_log {prefix}/nginx-access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    types {{ image/png png; image/jpeg jpg jpeg; image/webp webp; }}
    upstream portal {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=30s;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 6m;
        location /media/ {{ alias {media}/; add_header X-Content-Type-Options nosniff; }}
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A server that is gone: the request goes to the other one.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def logo_png():
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (96, 96), (20, 110, 70)).save(output, "PNG")
    return output.getvalue()


# --- The points -----------------------------------------------------------------------------------


def admin_login(browser, port):
    browser.get(port, "/admin/login/")
    status, headers, _ = browser.post(
        port,
        "/admin/login/?next=/admin/",
        {"username": ORGANIZER[0], "password": ORGANIZER[1], "next": "/admin/"},
    )
    if status != 302 or headers["Location"] != "/admin/":
        raise CheckFailed(f"the organizer could not sign in to the admin on :{port} ({status})")


def change_in_admin_shows_on_the_other(a, b, organizer):
    focus_area_id, old_name = sql(
        "SELECT id, name_en FROM organizations_focusarea ORDER BY id LIMIT 1"
    )[0]
    new_name = f"Clean water and air {secrets.token_hex(3)}"
    # The other server's public page, once before: now in the shared page cache.
    visitor = Browser("127.0.0.1")
    status, _, before = visitor.get(b, "/organizations/")
    if status != 200 or old_name.encode() not in before:
        raise CheckFailed(f"the directory on :{b} does not list {old_name!r}")
    path = f"/admin/organizations/focusarea/{focus_area_id}/change/"
    fields = organizer.form(a, path, "focusarea_form")
    fields["name_en"] = [new_name]
    status, _, body = organizer.post(a, path, {**fields, "_save": "Save"})
    if status != 302:
        raise CheckFailed(f"saving the focus area on :{a} answered {status}: {body[:300]!r}")
    status, _, after = visitor.get(b, "/organizations/")
    if new_name.encode() not in after:
        raise CheckFailed(f"the directory on :{b} still shows the old name")
    point(1, f"focus area renamed in the admin on :{a} → {new_name!r} on :{b}'s directory at once")


def logo_uploaded_on_one_is_served_by_the_other(a, b, nginx, organizer, media):
    slug, organization_id = sql(
        "SELECT slug, id FROM organizations_organization WHERE status = 'approved' "
        "AND visibility = 'public' ORDER BY id LIMIT 1"
    )[0]
    path = f"/admin/organizations/organization/{organization_id}/change/"
    fields = organizer.form(a, path, "organization_form")
    png = logo_png()
    status, _, body = organizer.post(
        a, path, {**fields, "_save": "Save"}, files={"logo": ("logo.png", png, "image/png")}
    )
    if status != 302:
        errors = re.findall(rb'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body)[:3]
        raise CheckFailed(f"uploading a logo on :{a} answered {status}: {errors}")
    status, _, page = Browser("127.0.0.1").get(b, f"/organizations/{slug}/")
    found = re.search(rb'src="(/media/logos/[^"]+)"', page)
    if status != 200 or not found:
        raise CheckFailed(f"the profile on :{b} shows no uploaded logo")
    logo_url = found.group(1).decode()
    status, headers, image = Browser("127.0.0.1").get(nginx, logo_url)
    if status != 200 or not image.startswith(b"\x89PNG") or "image/" not in headers["Content-Type"]:
        raise CheckFailed(f"{logo_url} is not served through nginx ({status})")
    stored = media / logo_url.removeprefix("/media/")
    point(
        2,
        f"logo uploaded on :{a} → on :{b}'s profile as {logo_url}, served ({len(image)} bytes, "
        f"{headers['Content-Type']}) from the shared media directory ({stored.exists()})",
    )


def signed_in_on_one_is_signed_in_on_the_other(a, b):
    member = Browser(CLIENTS["member"])
    member.get(a, "/accounts/login/")
    status, headers, _ = member.post(
        a, "/accounts/login/", {"username": MEMBER[0], "password": MEMBER[1]}
    )
    if status != 302:
        raise CheckFailed(f"the member could not sign in on :{a} ({status})")
    status, headers, page = member.get(b, "/my/")
    if status != 200 or b"Sign out" not in page and b"Log out" not in page:
        raise CheckFailed(f"/my/ on :{b} answered {status} {headers.get('Location', '')}")
    point(3, f"signed in on :{a} → /my/ on :{b} answers 200 with the member's dashboard")
    return member


def mails_from_both_servers_are_sent(a, b, mailbox):
    sent_before = len(mailbox.to(MEMBER[0]))
    for port, client in ((a, "192.0.2.21"), (b, "192.0.2.22")):
        visitor = Browser(client)
        visitor.get(port, "/accounts/password_reset/")
        status, _, _ = visitor.post(port, "/accounts/password_reset/", {"email": MEMBER[0]})
        if status != 302:
            raise CheckFailed(f"the password reset on :{port} answered {status}")
    wait_until(
        "the delivery of both mails", lambda: len(mailbox.to(MEMBER[0])) >= sent_before + 2, 30
    )
    time.sleep(1)  # and no third one
    received = len(mailbox.to(MEMBER[0])) - sent_before
    if received != 2:
        raise CheckFailed(f"the SMTP server received {received} mails, not 2")
    point(4, f"password resets asked on :{a} and :{b} → the worker delivered 2 mails over SMTP")


def open_data_is_rebuilt_by_the_worker(nginx):
    def current():
        rows = sql(
            "SELECT count(*) FROM exports_preparedexport p, exports_opendataversion v "
            "WHERE v.id = 1 AND p.version = v.value"
        )
        return rows[0][0] == 2

    wait_until("the open-data rebuild", current, 30, 0.5)
    status, headers, body = Browser("127.0.0.1").get(nginx, "/open-data/organizations.csv")
    if status != 200 or not body.startswith(b"identifier,"):
        raise CheckFailed(f"the prepared CSV answered {status}")
    point(
        5,
        f"the worker rebuilt the open data after the changes: CSV {len(body)} bytes, "
        f"ETag {headers['ETag']}",
    )


def rate_limit_counts_across_servers(a, b):
    attacker = Browser(CLIENTS["limit"])
    attacker.get(a, "/accounts/login/")
    answers = []
    for attempt in range(11):
        port = (a, b)[attempt % 2]
        status, _, _ = attacker.post(
            port, "/accounts/login/", {"username": MEMBER[0], "password": "wrong-password"}
        )
        answers.append((port, status))
    # The lockout (LOGIN_FAILURE_LIMIT, 10 by default) refuses the failure that reaches the
    # limit and every attempt after it, on whichever server it lands.
    statuses = [status for _, status in answers]
    if statuses[:9] != [200] * 9 or statuses[9:] != [429, 429]:
        raise CheckFailed(f"the rate limit did not hold across servers: {answers}")
    point(
        6,
        f"failed sign-ins alternating :{a}/:{b} → the 10th (on :{answers[9][0]}) and the 11th "
        f"(on :{answers[10][0]}) are refused with 429",
    )


def stopping_one_server_gives_no_error(nginx, processes, a):
    results = []
    stop = threading.Event()

    def traffic():
        visitor = Browser("127.0.0.1")
        paths = ["/", "/organizations/", "/events/", "/network/"]
        while not stop.is_set():
            path = paths[len(results) % len(paths)]
            try:
                status = visitor.get(nginx, path, timeout=10)[0]
            except Exception as error:  # a refused, reset or truncated answer: an error
                status = f"error {type(error).__name__}: {error}"
            results.append(status)

    threads = [threading.Thread(target=traffic) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    before = len(results)
    # Stopped as an operator stops it (SIGTERM): it finishes the requests it has and takes no
    # new ones, which nginx passes to the other server.
    processes.kill("gunicorn-a", signal.SIGTERM)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(15)
    with socket.socket() as probe:
        if probe.connect_ex((HOST, a)) == 0:
            raise CheckFailed(f"server :{a} still answers after it was stopped")
    errors = [status for status in results if status != 200]
    if errors or len(results) == before:
        raise CheckFailed(f"{len(errors)} of {len(results)} requests failed: {errors[:5]}")
    point(
        7,
        f"server :{a} stopped during traffic: {len(results)} requests through nginx, "
        f"{len(results) - before} after it stopped (its port now refuses), 0 errors",
    )


# --- Main -----------------------------------------------------------------------------------------


def main():
    started_at = time.monotonic()
    if not Path(NGINX).exists():
        sys.exit("nginx is not installed (apt-get install -y nginx).")
    temp = Path(tempfile.mkdtemp(prefix="portal-cluster-"))
    os.chmod(temp, 0o755)  # noqa: S103 (nginx's workers, another user, read the media)
    media, private, logs = temp / "media", temp / "private", temp / "logs"
    for directory in (media, private, logs, temp / "tmp"):
        directory.mkdir()
        os.chmod(directory, 0o755)  # noqa: S103 (as above)
    names = ("nginx", "a", "b", "smtp")
    fixed = os.environ.get("CLUSTER_PORTS", "")  # e.g. "8150,8151,8152,8153"
    ports = dict(zip(names, map(int, fixed.split(",")), strict=True)) if fixed else {}
    ports = ports or {name: free_port() for name in names}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS_ONLY": "0",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_URL": f"smtp://{HOST}:{ports['smtp']}",
        "MEDIA_ROOT": str(media),
        "PRIVATE_ROOT": str(private),
        "PORTAL_URL": f"http://{HOST}:{ports['nginx']}",
        "OPEN_DATA_REBUILD_DELAY": "1",
        # The check signs an organizer in with a password; two-factor has its own tests.
        "STAFF_TWO_FACTOR_REQUIRED": "0",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": str(logs / "access.log"),
    }
    processes = Processes(logs)
    mailbox = Mailbox(ports["smtp"])
    say(
        f"Cluster check: nginx :{ports['nginx']} → gunicorn :{ports['a']} and :{ports['b']}, "
        f"PostgreSQL {urlsplit(DATABASE_URL).path.lstrip('/')}, Redis {CACHE_URL} (cache) and "
        f"{BROKER_URL} (broker), SMTP :{ports['smtp']}"
    )
    failed = False
    try:
        # Stopped by Ctrl-C or by CI's timeout: clean up as on any failure.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        recreate_database()
        flush_redis()
        say("  release step (migrate, collectstatic) and demo content ...")
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "release", "--verbosity", "0"], cwd=ROOT, env=env, check=True
        )
        # Demo accounts are made only with DEBUG on: into this check's own database.
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "seed_demo"],
            cwd=ROOT,
            env={**env, "DEBUG": "1", "CELERY_BROKER_URL": "", "EMAIL_URL": "dummymail://"},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        mailbox.controller.start()
        gunicorn = [
            str(BIN / "gunicorn"),
            "portal.wsgi:application",
            "-c",
            "portal/gunicorn.conf.py",
        ]
        for name in ("a", "b"):
            processes.start(
                f"gunicorn-{name}", gunicorn, {**env, "GUNICORN_BIND": f"{HOST}:{ports[name]}"}
            )
        processes.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "--beat",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(temp / "beat-schedule"),
            ],
            env,
        )
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        (temp / "nginx.conf").write_text(
            NGINX_CONF.format(
                user=user,
                prefix=temp,
                a=ports["a"],
                b=ports["b"],
                port=ports["nginx"],
                media=media,
            )
        )
        processes.start(
            "nginx",
            [
                NGINX,
                "-p",
                str(temp),
                "-c",
                str(temp / "nginx.conf"),
                "-e",
                str(temp / "nginx-error.log"),
            ],
            env,
        )
        for name, process in (("a", "gunicorn-a"), ("b", "gunicorn-b"), ("nginx", "nginx")):

            def ready(name=name, process=process):
                if not processes.alive(process):
                    raise CheckFailed(f"{process} stopped at its start")
                return status_of(ports[name]) == 200

            wait_until(f"server :{ports[name]} ready", ready, 60)
        say(f"  everything is up after {time.monotonic() - started_at:.0f} s")

        a, b, nginx = ports["a"], ports["b"], ports["nginx"]
        organizer = Browser(CLIENTS["admin"])
        admin_login(organizer, a)
        change_in_admin_shows_on_the_other(a, b, organizer)
        logo_uploaded_on_one_is_served_by_the_other(a, b, nginx, organizer, media)
        signed_in_on_one_is_signed_in_on_the_other(a, b)
        mails_from_both_servers_are_sent(a, b, mailbox)
        open_data_is_rebuilt_by_the_worker(nginx)
        rate_limit_counts_across_servers(a, b)
        stopping_one_server_gives_no_error(nginx, processes, a)
        say(f"Cluster check passed in {time.monotonic() - started_at:.0f} s.")
    except (CheckFailed, subprocess.CalledProcessError) as error:
        failed = True
        say(f"  ✘ {error}")
        for name in ("gunicorn-a", "gunicorn-b", "worker", "nginx"):
            tail = processes.tail(name)
            if tail:
                say(f"--- {name} (last lines) ---\n{tail}")
        error_log = temp / "nginx-error.log"
        if error_log.exists():
            say(f"--- nginx error log ---\n{error_log.read_text()[-2000:]}")
    finally:
        processes.stop_all()
        with contextlib.suppress(Exception):
            mailbox.controller.stop()
        with contextlib.suppress(Exception):
            flush_redis()
        with contextlib.suppress(Exception):
            drop_database()
        shutil.rmtree(temp, ignore_errors=True)
    if failed:
        say("Cluster check FAILED.")
        sys.exit(1)


if __name__ == "__main__":
    main()
