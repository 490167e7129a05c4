"""The progress page and the file of a background export (/u/<unit>/xuat-excel/<id>), and the CLI:
`flask --app app jobs worker` (RQ worker on the "thiduaweb" queue, inside the app) and
`flask --app app jobs purge` (files older than a day)."""
from __future__ import annotations

import click
from flask import abort, current_app, send_file

from thiduaweb.core import jobs
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import render
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.core.vntext import slugify

bp = unit_blueprint("jobs", __name__, "/xuat-excel")

_EVERYONE = ["admin", "supervisor", "officer", "council", "chairman", "viewer"]
grant({"export.download"}, roles=_EVERYONE, inherited_by=["admin", "supervisor"])


@bp.get("/<int:job_id>")
@requires("export.download")
def job(job_id):
    return render("jobs/job.html", block="job_status", job=jobs.visible_job(job_id))


@bp.get("/<int:job_id>/tai")
@requires("export.download")
def download(job_id):
    job = jobs.visible_job(job_id)
    if not job.file_ready:
        abort(404)
    response = send_file(job.path, as_attachment=True, mimetype=jobs.XLSX_MIMETYPE,
                         download_name=f"{slugify(job.filename) or 'danh-sach'}.xlsx")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.cli.command("worker")
@click.option("--burst", is_flag=True, help="Chạy hết việc đang chờ rồi dừng.")
def worker_command(burst):
    """Run the RQ worker of the export queue inside the app (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("Chưa cấu hình REDIS_URL: không có hàng đợi; các tệp xuất chạy trong máy chủ web.")
    from redis import Redis
    from rq import Queue, Worker

    from thiduaweb.extensions import db

    db.engine.dispose()  # each job runs in a forked child: no connection is shared with it
    connection = Redis.from_url(url)
    queue = Queue(current_app.config.get("EXPORT_QUEUE") or jobs.DEFAULT_QUEUE, connection=connection)
    click.echo(f"Đang chờ việc trên hàng đợi {queue.name}.")
    Worker([queue], connection=connection).work(burst=burst)


@bp.cli.command("purge")
def purge_command():
    """Delete exported files older than a day."""
    click.echo(f"Đã xóa {jobs.purge_old()} tệp xuất cũ.")
