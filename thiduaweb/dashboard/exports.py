"""Large Excel exports in the background: a worker thread in the web process (RQ is not a
dependency yet), progress kept on the job row, the file kept for a day in instance/exports/."""
from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app

from thiduaweb.core.excel import _write_workbook
from thiduaweb.dashboard.models import ExportJob
from thiduaweb.extensions import db

#: Exports with more rows than this run in the background.
INLINE_LIMIT = 5000
KEEP = timedelta(days=1)


def export_dir() -> Path:
    path = Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def purge_old(now: datetime | None = None) -> int:
    """Delete the files and rows of jobs older than a day."""
    now = now or datetime.now(timezone.utc)
    removed = 0
    for job in db.session.scalars(db.select(ExportJob)):
        created = job.created_at if job.created_at.tzinfo else job.created_at.replace(tzinfo=timezone.utc)
        if now - created > KEEP:
            if job.path:
                Path(job.path).unlink(missing_ok=True)
            db.session.delete(job)
            removed += 1
    db.session.commit()
    return removed


def start(*, user_id: int, unit_id: int, title: str, filename: str, drill: tuple) -> ExportJob:
    """Queue the export of a drill-down list: drill = (metric key, unit id, year)."""
    purge_old()
    job = ExportJob(user_id=user_id, started_in_unit_id=unit_id, title=title, filename=filename)
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()
    thread = threading.Thread(target=_run, args=(app, job.id, drill), daemon=True, name=f"export-{job.id}")
    thread.start()
    if app.config.get("TESTING"):
        thread.join(timeout=60)
    return job


def _run(app, job_id: int, drill: tuple) -> None:
    from thiduaweb.dashboard import drill as presenters
    from thiduaweb.dashboard import services
    from thiduaweb.units.models import Unit

    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        try:
            key, unit_id, year = drill
            unit = db.session.get(Unit, unit_id)
            found = services.drill_rows(key, unit_id, year, limit=1)
            model, total = found[0], found[1]
            job.state, job.total = "running", total
            db.session.commit()
            headers, fn = presenters.PRESENTERS[model]
            _, objects = services.iter_drill(key, unit_id, year)
            path = export_dir() / f"{job_id}-{os.urandom(8).hex()}.xlsx"

            def rows():
                done = 0
                with app.test_request_context():
                    for obj in objects:
                        cells, _url = fn(obj, unit.slug)
                        done += 1
                        if done % 1000 == 0:
                            _progress(app, job_id, done)
                        yield cells

            _write_workbook(str(path), headers, rows(), title=job.title, subtitle=unit.name)
            job = db.session.get(ExportJob, job_id)
            job.state, job.done, job.path = "done", total, str(path)
            job.finished_at = datetime.now(timezone.utc)
            db.session.commit()
        except Exception:  # noqa: BLE001 - recorded on the job, shown to the user
            db.session.rollback()
            app.logger.exception("Export %s failed", job_id)
            job = db.session.get(ExportJob, job_id)
            if job is not None:
                job.state, job.error = "failed", "Không xuất được tệp. Vui lòng thử lại."
                db.session.commit()
        finally:
            db.session.remove()


def _progress(app, job_id: int, done: int) -> None:
    """Progress on its own connection (the export's read is still open); skipped when the database is busy."""
    try:
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(ExportJob.__table__.update().where(ExportJob.__table__.c.id == job_id).values(done=done))
    except Exception:  # noqa: BLE001 - a progress figure is not worth failing the export
        app.logger.debug("progress of %s not recorded", job_id)
