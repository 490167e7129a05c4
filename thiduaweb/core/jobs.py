"""Large Excel exports in the background, for any list.

A list registers an *export source* once (`@export_source("awards.nominations", "nomination.view")`):
a function `(unit, args) -> ExportSpec` that parses the list's filter arguments and describes the
export (columns, a lazy row generator, a cheap count, title, subtitle, file name). The list's view
then answers `export_or_enqueue("awards.nominations")`:

- fewer rows than `EXPORT_BACKGROUND_FROM` (default 5,000): the workbook at once;
- otherwise an `ExportJob` row is created with a serialisable description of the export (source
  name, filter arguments, unit id, user id) and the browser goes to the job's progress page.

The job is run by RQ on the queue `EXPORT_QUEUE` ("thiduaweb") when `REDIS_URL` is set (worker:
`flask --app app jobs worker`), by a worker thread in the web process otherwise. The worker rebuilds
the rows from the description with the user's access as it is *now* (a user who lost the
permission gets no file), writes the file into `EXPORT_DIR` (instance/exports by default) and
records progress on the job row. Files and rows older than a day are removed (`flask jobs purge`,
and at each new job).
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import abort, current_app, g, has_app_context, request, url_for
from sqlalchemy import DateTime, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict

from thiduaweb.extensions import db

KEEP = timedelta(days=1)
DEFAULT_BACKGROUND_FROM = 5000
DEFAULT_QUEUE = "thiduaweb"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXPORT_STATES = {"queued": "Đang chờ", "running": "Đang xuất", "done": "Đã xong", "failed": "Lỗi"}
FAILED_MESSAGE = "Không xuất được tệp. Vui lòng thử lại."


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ExportJob(db.Model):
    """A large Excel export made in the background; the file is kept for a day.

    The row is the user's own (not UnitOwned): only its user, on the page of the unit that started
    it, sees it. `source` + `params` + `started_in_unit_id` + `user_id` are enough for a worker in
    another process to rebuild the rows."""

    __tablename__ = "export_job"
    __table_args__ = (Index("ix_export_job_user", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    #: The unit whose page started the export (not an owner: the row is the user's own).
    started_in_unit_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(String(255))
    #: The registered export source (`SOURCES`) and the list's filter arguments (JSON, dict of lists).
    source: Mapped[str | None] = mapped_column(String(80))
    params: Mapped[str | None] = mapped_column(Text)
    #: The list the export came from (a path of this site), offered as "back".
    back_url: Mapped[str | None] = mapped_column(String(1000))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def state_label(self) -> str:
        return EXPORT_STATES.get(self.state, self.state)

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0

    @property
    def expires_at(self) -> datetime:
        return _aware(self.created_at) + KEEP

    @property
    def file_ready(self) -> bool:
        return self.state == "done" and bool(self.path) and Path(self.path).exists() and _now() < self.expires_at


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# --- The registry of export sources ---------------------------------------------------------

class ExportArgsError(Exception):
    """The arguments do not describe a list this user may export (→ 404 in a request)."""


@dataclass
class ExportSpec:
    """What an export writes. `rows` and `count` are called later (not when the spec is built)."""

    filename: str
    columns: Sequence[str]
    rows: Callable[[], Iterable[Sequence]]
    count: Callable[[], int]
    title: str = "Danh sách"
    subtitle: str = ""


@dataclass
class ExportSource:
    name: str
    permission: str
    build: Callable[..., ExportSpec] = field(repr=False)


#: name → source; filled at import of each feature's exports module.
SOURCES: dict[str, ExportSource] = {}


def export_source(name: str, permission: str):
    """Register `fn(unit, args) -> ExportSpec` under `name`. `args` is a MultiDict of the list's
    filter arguments; `g.unit`, `g.access` and `current_user` are bound as in the list's request
    (also in the worker). `permission` is checked again when a worker runs the job."""

    def register(fn):
        SOURCES[name] = ExportSource(name, permission, fn)
        return fn

    return register


def list_args(args=None) -> dict[str, list[str]]:
    """The list's filter arguments, serialisable: the query string without `format`, `page` and blanks."""
    args = request.args if args is None else args
    if isinstance(args, MultiDict):
        items = args.to_dict(flat=False)
    else:
        items = {k: v if isinstance(v, list) else [v] for k, v in dict(args).items()}
    out = {}
    for key, values in items.items():
        if key in ("format", "page"):
            continue
        values = [str(v)[:500] for v in values if v is not None and str(v) != ""]
        if values:
            out[str(key)[:80]] = values[:50]
    return out


def count_of(stmt) -> int:
    """Rows of an ORM list statement, counted in SQL (one statement)."""
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def background_from() -> int:
    value = current_app.config.get("EXPORT_BACKGROUND_FROM", DEFAULT_BACKGROUND_FROM)
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return DEFAULT_BACKGROUND_FROM


def _build(name: str, args: dict[str, list[str]]) -> ExportSpec:
    source = SOURCES[name]
    return source.build(g.unit, MultiDict(args))


def export_or_enqueue(name: str, args=None, *, back_url: str | None = None):
    """The list's export: the .xlsx at once below `EXPORT_BACKGROUND_FROM` rows, else a background
    job and a redirect to its progress page. Call it from the list's view (request context)."""
    from thiduaweb.core.excel import xlsx_response
    from thiduaweb.core.render import redirect_to

    params = list_args(args)
    try:
        spec = _build(name, params)
        total = spec.count()
    except ExportArgsError:
        abort(404)
    if total < background_from():
        return xlsx_response(spec.filename, spec.columns, spec.rows(), title=spec.title, subtitle=spec.subtitle)
    job = enqueue(name, params, spec=spec, back_url=back_url if back_url is not None else _back_url())
    return redirect_to(url_for("jobs.job", unit_slug=g.unit.slug, job_id=job.id))


def start_export(name: str, args=None, *, back_url: str | None = None):
    """Always in the background (a "run in the background" button): the job, or 404 for bad arguments."""
    params = list_args(args)
    try:
        spec = _build(name, params)
    except ExportArgsError:
        abort(404)
    return enqueue(name, params, spec=spec, back_url=back_url if back_url is not None else _back_url())


def _back_url() -> str | None:
    """The list page itself when the export is its `?format=xlsx` variant."""
    if request.args.get("format") != "xlsx" or request.endpoint is None:
        return None
    args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "format"}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


# --- Jobs -------------------------------------------------------------------------------------

def export_dir() -> Path:
    configured = current_app.config.get("EXPORT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def purge_old(now: datetime | None = None) -> int:
    """Delete the files and rows of jobs older than a day."""
    now = now or _now()
    removed = 0
    for job in db.session.scalars(select(ExportJob).where(ExportJob.created_at < now - KEEP)):
        if job.path:
            Path(job.path).unlink(missing_ok=True)
        db.session.delete(job)
        removed += 1
    db.session.commit()
    return removed


def enqueue(name: str, params: dict, *, spec: ExportSpec, back_url: str | None = None) -> ExportJob:
    """Create the job (or find the same one still under way) and hand it to RQ or a thread."""
    from flask_login import current_user

    purge_old()
    encoded = json.dumps(params, ensure_ascii=False, sort_keys=True)
    same = db.session.scalar(select(ExportJob).where(
        ExportJob.user_id == current_user.id, ExportJob.started_in_unit_id == g.unit.id, ExportJob.source == name,
        ExportJob.params == encoded, ExportJob.state.in_(("queued", "running"))).order_by(ExportJob.id.desc()).limit(1))
    if same is not None:
        return same
    job = ExportJob(user_id=current_user.id, started_in_unit_id=g.unit.id, source=name, params=encoded,
                    title=spec.title[:255], filename=spec.filename[:255], back_url=(back_url or None) and back_url[:1000])
    db.session.add(job)
    db.session.commit()
    job_id = job.id
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        try:
            _rq_queue(app).enqueue_call("thiduaweb.core.jobs.run_export", args=(job_id,), job_id=f"export-{job_id}",
                                        timeout=3 * 3600, result_ttl=int(KEEP.total_seconds()),
                                        failure_ttl=int(KEEP.total_seconds()),
                                        description=f"Xuất Excel #{job_id}: {name}")
            return job
        except Exception:  # noqa: BLE001 - Redis down: the export still runs, in this process
            app.logger.exception("RQ unavailable, export %s runs in a thread", job_id)
    thread = threading.Thread(target=_thread_main, args=(app, job_id), daemon=True, name=f"export-{job_id}")
    thread.start()
    if app.config.get("TESTING"):
        thread.join(timeout=60)
    return job


def _rq_queue(app):
    from redis import Redis
    from rq import Queue

    return Queue(app.config.get("EXPORT_QUEUE") or DEFAULT_QUEUE, connection=Redis.from_url(app.config["REDIS_URL"]))


def _thread_main(app, job_id: int) -> None:
    with app.app_context():
        run_export(job_id)


_worker_app = None


def _app():
    """The Flask app: the current one (thread, `flask jobs worker`), else one built for a bare `rq worker`."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from thiduaweb import create_app

        _worker_app = create_app()
    return _worker_app


def run_export(job_id: int) -> None:
    """Run one job (the function RQ calls, and the thread's body): rebuild the rows, write the file."""
    app = _app()
    with app.app_context():
        try:
            _run(app, job_id)
        finally:
            db.session.remove()


def _run(app, job_id: int) -> None:
    from flask_login import login_user

    from thiduaweb.accounts.models import User
    from thiduaweb.core.excel import _write_workbook
    from thiduaweb.core.tenancy import bind_scope
    from thiduaweb.units.models import Unit
    from thiduaweb.units.services import access_for

    job = db.session.get(ExportJob, job_id)
    if job is None or job.state != "queued":
        return
    try:
        source = SOURCES.get(job.source or "")
        user = db.session.get(User, job.user_id)
        unit = db.session.get(Unit, job.started_in_unit_id)
        access = access_for(user, unit) if user is not None and unit is not None and user.is_active else None
        if source is None or access is None or source.permission not in access.permissions:
            _fail(job_id, "Không còn quyền xuất danh sách này.")
            return
        params = json.loads(job.params or "{}")
        with app.test_request_context(job.back_url or "/"):
            g.unit, g.access = unit, access
            login_user(user)
            bind_scope(db.session(), access.readable_unit_ids, access.writable_unit_ids)
            spec = source.build(unit, MultiDict(params))
            total = spec.count()
            job.state, job.total = "running", total
            db.session.commit()
            final = export_dir() / f"{job_id}-{os.urandom(8).hex()}.xlsx"
            partial = final.with_suffix(".part")
            _write_workbook(str(partial), spec.columns, _counted(app, job_id, spec.rows()),
                            title=spec.title, subtitle=spec.subtitle)
            partial.replace(final)
        job = db.session.get(ExportJob, job_id)
        job.state, job.done, job.path = "done", total, str(final)
        job.finished_at = _now()
        db.session.commit()
    except ExportArgsError:
        db.session.rollback()
        _fail(job_id, "Danh sách không còn như lúc yêu cầu xuất.")
    except Exception:  # noqa: BLE001 - recorded on the job, shown to the user
        db.session.rollback()
        app.logger.exception("Export %s failed", job_id)
        _fail(job_id, FAILED_MESSAGE)


def _fail(job_id: int, message: str) -> None:
    job = db.session.get(ExportJob, job_id)
    if job is not None:
        job.state, job.error, job.finished_at = "failed", message, _now()
        db.session.commit()


def _counted(app, job_id: int, rows: Iterable[Sequence], every: int = 1000):
    done = 0
    for row in rows:
        done += 1
        if done % every == 0:
            _progress(app, job_id, done)
        yield row


def _progress(app, job_id: int, done: int) -> None:
    """Progress on its own connection (the export's read is still open); skipped when the database is
    one shared in-memory connection or busy."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return
    try:
        with db.engine.begin() as conn:
            conn.execute(ExportJob.__table__.update().where(ExportJob.__table__.c.id == job_id).values(done=done))
    except Exception:  # noqa: BLE001 - a progress figure is not worth failing the export
        app.logger.debug("progress of %s not recorded", job_id)


def visible_job(job_id: int) -> ExportJob:
    """The job of the current user started on this unit's pages, else 404."""
    from flask_login import current_user

    job = db.session.get(ExportJob, job_id)
    if job is None or job.user_id != current_user.id or job.started_in_unit_id != g.unit.id:
        abort(404)
    return job
