"""The unfiltered open-data CSV and JSON as prepared files, rebuilt in the background.

Every change to what the open data shows (an organization, a focus area, an SDG, their links)
bumps `OpenDataVersion` in the same transaction and, once committed, schedules one rebuild
`OPEN_DATA_REBUILD_DELAY` seconds later; further changes in that time join it (debounce through
the shared cache). The worker writes each file under a name made from its content, with a gzip
copy, to the default storage (local disk or object storage, so every server sees it), then
points `PreparedExport` at it. A request is served the file while it is current; otherwise (the
first request ever, or a rebuild that is overdue) it gets the dynamic response; for the seconds
the worker takes to rebuild after a change it gets the previous file. Without a worker (no
broker) the first request after a change builds the file itself.
"""

import contextlib
import datetime
import gzip
import hashlib
import logging
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from organizations import opendata
from organizations.models import FocusArea, Organization, SustainableDevelopmentGoal
from organizations.origin import portal_url

from .models import OpenDataVersion, PreparedExport

logger = logging.getLogger(__name__)

KINDS = {
    # kind: (file extension, content type, Content-Disposition)
    "csv": ("csv", "text/csv; charset=utf-8; header=present", "attachment"),
    "json": ("json", "application/json; charset=utf-8", "inline"),
}
SCHEDULED_KEY = "open-data:rebuild-scheduled"
BUILDING_KEY = "open-data:building:{kind}"
DIRECTORY = "open-data"


def runs_in_process():
    """True without a broker: tasks would run inside the request that queues them."""
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True))


# --- What changed -------------------------------------------------------------------------------


def _version():
    """(version, when it last changed)."""
    row = OpenDataVersion.objects.filter(pk=1).values_list("value", "changed_at").first()
    return row or (0, None)


def current_version():
    return _version()[0]


def bump_version():
    now = timezone.now()
    if not OpenDataVersion.objects.filter(pk=1).update(value=F("value") + 1, changed_at=now):
        OpenDataVersion.objects.get_or_create(pk=1, defaults={"value": 1, "changed_at": now})


def _summary():
    state = opendata.summary(Organization.objects.public())
    last = state["last_modified"].isoformat() if state["last_modified"] else "-"
    return f"{state['count']}|{last}", state["last_modified"]


def current_state():
    return _summary()[0]


def is_current(prepared, version=None):
    version = current_version() if version is None else version
    return prepared.version == version and prepared.state == current_state()


def _changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after: count the change once, after it
    bump_version()
    if not runs_in_process():
        transaction.on_commit(schedule_rebuild)


def connect_signals():
    through_models = [Organization.focus_areas.through, Organization.sdgs.through]
    for model in (Organization, FocusArea, SustainableDevelopmentGoal):
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model, dispatch_uid=f"open-data-{model.__name__}")
    for model in through_models:
        m2m_changed.connect(_changed, sender=model, dispatch_uid=f"open-data-{model.__name__}")


def schedule_rebuild():
    """Queue one rebuild in OPEN_DATA_REBUILD_DELAY seconds unless one is already queued.

    Returns whether this call queued it. A broker that is down queues nothing: the next change
    or the next request for the file asks again, and visitors get the dynamic file meanwhile."""
    from . import tasks

    delay = settings.OPEN_DATA_REBUILD_DELAY
    # The mark outlives the wait: a rebuild lost with a worker is asked for again after it.
    if not cache.add(SCHEDULED_KEY, 1, delay + 60):
        return False
    try:
        tasks.rebuild_open_data.apply_async(countdown=delay)
    except Exception:  # kombu raises several types for a broker that does not answer
        logger.warning("Could not queue the open-data rebuild", exc_info=True)
        cache.delete(SCHEDULED_KEY)
        return False
    return True


# --- Building -----------------------------------------------------------------------------------


def _content(kind):
    queryset = Organization.objects.public()
    base_url = portal_url()
    if kind == "csv":
        return opendata.csv_lines(queryset, base_url)
    meta = opendata.metadata(
        state=opendata.summary(queryset),
        source_url=base_url + reverse("organizations:list"),
        filters={},
    )
    return opendata.json_chunks(queryset, base_url, meta=meta)


def build(kind, version=None):
    """Write the current file of `kind` to the storage and point the database at it."""
    # Before reading the data: a change meanwhile leaves the file stale, to be built again.
    version = current_version() if version is None else version
    state, last_modified = _summary()
    extension = KINDS[kind][0]
    digest = hashlib.sha256()
    with (
        tempfile.TemporaryFile() as plain,
        tempfile.TemporaryFile() as packed,
    ):
        with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=6, mtime=0) as zipped:
            for piece in _content(kind):
                data = piece.encode()
                digest.update(data)
                plain.write(data)
                zipped.write(data)
        etag = digest.hexdigest()[:32]
        size = plain.tell()
        path = f"{DIRECTORY}/organizations-{etag}.{extension}"
        gzip_path = f"{path}.gz"
        for name, handle in ((path, plain), (gzip_path, packed)):
            if not default_storage.exists(name):  # same content as a build still stored
                handle.seek(0)
                saved = default_storage.save(name, File(handle))
                if saved != name:
                    raise RuntimeError(f"the storage renamed {name} to {saved}")
    now = timezone.now()
    with transaction.atomic():
        current = PreparedExport.objects.select_for_update().filter(kind=kind).first()
        obsolete = []
        if current is None:
            current = PreparedExport(kind=kind, previous_paths=[])
        elif current.path != path:
            # Keep the previous files a little: a server may be sending them right now.
            obsolete = [p for p in current.previous_paths if p not in (path, gzip_path)]
            current.previous_paths = [current.path, current.gzip_path]
        current.last_modified = last_modified
        current.version, current.state = version, state
        current.path, current.gzip_path, current.etag, current.size = path, gzip_path, etag, size
        current.built_at = now
        current.save()
        transaction.on_commit(lambda: _delete(obsolete))
    return current


def _delete(paths):
    for path in paths:
        with contextlib.suppress(OSError):
            default_storage.delete(path)


def rebuild():
    """The task's work: both formats, unless they are current already."""
    cache.delete(SCHEDULED_KEY)  # a change from now on schedules the next rebuild
    for kind in KINDS:
        prepared = PreparedExport.objects.filter(kind=kind).first()
        if prepared is None or not is_current(prepared):
            _remember(build(kind))


def _build_in_request(kind, version):
    """Without a worker: build the file in this request, one request at a time."""
    key = BUILDING_KEY.format(kind=kind)
    if not cache.add(key, 1, 300):
        return None
    try:
        prepared = build(kind, version)
        _remember(prepared)
        return prepared
    except Exception:
        logger.exception("Could not build the open-data %s file", kind)
        return None
    finally:
        cache.delete(key)


# --- Serving ------------------------------------------------------------------------------------

# After a change, the previous file is served this long beyond the rebuild delay while the worker
# rebuilds it; later (a worker that is down) the file is built for each request instead.
STALE_GRACE_SECONDS = 60


def _previous_while_rebuilt(kind, changed_at):
    if changed_at is None:
        return None
    grace = datetime.timedelta(seconds=settings.OPEN_DATA_REBUILD_DELAY + STALE_GRACE_SECONDS)
    if timezone.now() - changed_at > grace:
        return None
    return PreparedExport.objects.filter(kind=kind).first()


def _current_prepared(kind, version):
    """The current prepared file of `kind`, or None. No query when the shared cache knows the
    file for this version; the full check (which also catches a bulk update that sent no
    signal) at most every OPEN_DATA_CHECK_SECONDS."""
    key = _prepared_key(kind, version)
    prepared = cache.get(key)
    if prepared is not None:
        return prepared
    prepared = PreparedExport.objects.filter(kind=kind).first()
    if prepared is None or not is_current(prepared, version):
        return None
    _remember(prepared)
    return prepared


def _prepared_key(kind, version):
    return f"open-data:prepared:{kind}:{version}"


def _remember(prepared):
    if settings.OPEN_DATA_CHECK_SECONDS > 0:
        cache.set(
            _prepared_key(prepared.kind, prepared.version),
            prepared,
            settings.OPEN_DATA_CHECK_SECONDS,
        )


def response(request, kind, *, headers):
    """The prepared file's response, or None when the caller should answer dynamically."""
    version, changed_at = _version()
    prepared = _current_prepared(kind, version)
    if prepared is None:
        if runs_in_process():
            # Another request already building it: the previous file meanwhile, if any.
            prepared = _build_in_request(kind, version) or (
                PreparedExport.objects.filter(kind=kind).first()
            )
        else:
            schedule_rebuild()
            prepared = _previous_while_rebuilt(kind, changed_at)
    if prepared is None:
        return None

    extension, content_type, disposition = KINDS[kind]
    send_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    etag = f'"{prepared.etag}{"-gzip" if send_gzip else ""}"'
    last_modified = (
        int(prepared.last_modified.timestamp()) if prepared.last_modified is not None else None
    )
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answer is None:
        try:
            handle = default_storage.open(prepared.gzip_path if send_gzip else prepared.path)
        except OSError:
            # Lost (a restored database, another server's disk): forgotten, so that the next
            # request builds it again (or the worker does) instead of every one going without.
            logger.warning("The prepared open-data %s file is missing", kind, exc_info=True)
            PreparedExport.objects.filter(pk=prepared.pk).delete()
            cache.delete(_prepared_key(kind, prepared.version))
            if not runs_in_process():
                schedule_rebuild()
            return None
        answer = FileResponse(handle, content_type=content_type)
        if send_gzip:
            answer["Content-Encoding"] = "gzip"
        answer["Content-Disposition"] = f'{disposition}; filename="organizations.{extension}"'
    for name, value in headers.items():
        answer[name] = value
    answer["ETag"] = etag
    if last_modified is not None:
        answer["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(answer, ["Accept-Encoding"])
    # Already a file: the page cache would only copy it.
    answer._page_cache_skip = True
    return answer
