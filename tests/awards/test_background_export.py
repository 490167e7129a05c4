"""Large list exports run as a background job (core.jobs): below EXPORT_BACKGROUND_FROM rows the file
comes at once; from it on a job is created, run by a worker thread (or by RQ when REDIS_URL is set),
its progress page offers the file, kept a day, to its own user on its own unit's pages only."""
from __future__ import annotations

import io
import json
import os
import re
import socket
import uuid
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest

from tests.awards.test_lists import _nominations
from tests.helpers import text_of
from thiduaweb.core import jobs
from thiduaweb.core.jobs import ExportJob
from thiduaweb.extensions import db

BASE = "/u/xa-dong-lien/khen-thuong"
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    ws = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = int(re.match(r"[A-Z]+(\d+)", ws.freeze_panes).group(1)) - 2
    assert rows[header_at][0] == "Năm"
    return [r for r in rows[header_at + 1:] if any(v not in (None, "") for v in r)]


@pytest.fixture
def lists(app, law, tmp_path, monkeypatch):
    """Đồng Liên: 6 nominations of 2021 and 3 of 2020; exports written under tmp_path."""
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    _nominations(law.a, 6, year=2021)
    _nominations(law.a, 3, offset=10, year=2020)
    return law


def test_below_the_threshold_the_file_comes_at_once(app, lists, login):
    officer = login("officer_a")
    response = officer.get(f"{BASE}/?year=2021&format=xlsx")
    rows = _sheet(response)
    assert len(rows) == 6 and {r[0] for r in rows} == {2021}
    assert db.session.scalar(db.select(db.func.count()).select_from(ExportJob)) == 0


def test_above_the_threshold_a_thread_writes_the_file(app, lists, login, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 5)
    officer = login("officer_a")
    response = officer.get(f"{BASE}/?year=2021&format=xlsx")
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert re.fullmatch(r"/u/xa-dong-lien/xuat-excel/\d+", job_url)
    job = db.session.scalar(db.select(ExportJob))
    assert job.source == "awards.nominations" and json.loads(job.params) == {"year": ["2021"]}
    assert job.user_id == lists.users["officer_a"].id and job.started_in_unit_id == lists.a.id

    page = officer.get(job_url)
    assert page.status_code == 200
    text = text_of(page)
    assert "Đã xong" in text and "6/6 dòng" in text and "Tải tệp Excel" in text and "giữ trong một ngày" in text
    assert f'href="{BASE}/?year=2021"' in page.get_data(as_text=True)  # back to the list
    assert "Đã xong" in text_of(officer.get(job_url, htmx=True))  # the polled fragment

    rows = _sheet(officer.get(job_url + "/tai"))
    assert len(rows) == 6 and {r[0] for r in rows} == {2021}
    assert sorted(r[1] for r in rows) == sorted(
        r[1] for r in _sheet_direct(app, officer, monkeypatch, f"{BASE}/?year=2021&format=xlsx"))
    assert [p.parent for p in (tmp_path / "exports").glob("*.xlsx")] == [tmp_path / "exports"]

    # Another commune's officer: neither the job nor its file, on either unit's pages.
    other = login("officer_b")
    for url in (job_url, job_url + "/tai", job_url.replace("xa-dong-lien", "xa-tan-cuong"),
                job_url.replace("xa-dong-lien", "xa-tan-cuong") + "/tai"):
        assert other.get(url).status_code == 404, url
    # The city's supervisor reads Đồng Liên's lists, but the job is not theirs.
    assert login("supervisor").get(job_url).status_code == 404

    # Kept a day: after that, purged (file and row) and gone.
    path = db.session.get(ExportJob, job.id).path
    db.session.get(ExportJob, job.id).created_at = datetime.now(timezone.utc) - timedelta(days=1, minutes=1)
    db.session.commit()
    assert jobs.purge_old() == 1
    assert not os.path.exists(path)
    assert officer.get(job_url).status_code == 404


def _sheet_direct(app, client, monkeypatch, url):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 10_000)
    try:
        return _sheet(client.get(url))
    finally:
        monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 5)


def test_nominees_and_register_lists_go_to_the_background_too(app, lists, login, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 1)
    officer = login("officer_a")
    for url in (f"{BASE}/doi-tuong?format=xlsx", f"{BASE}/so-khen-thuong?format=xlsx"):
        response = officer.get(url)
        if url.endswith("so-khen-thuong?format=xlsx"):
            # No award yet: an empty register is below any threshold of 1 or more.
            assert response.status_code == 200
            continue
        assert response.status_code == 303, url
        page = officer.get(response.headers["Location"])
        assert "Đã xong" in text_of(page), text_of(page)
        ws = openpyxl.load_workbook(io.BytesIO(officer.get(response.headers["Location"] + "/tai").get_data())).active
        assert sum(1 for r in ws.iter_rows(values_only=True) if r[1] == "Cá nhân") == 9


def test_a_job_of_a_user_who_lost_the_permission_writes_no_file(app, lists, login, monkeypatch):
    from thiduaweb.accounts.models import Membership

    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 1)
    monkeypatch.setitem(app.config, "TESTING", False)  # the thread is not waited for: run it by hand below
    started = []
    monkeypatch.setattr(jobs.threading.Thread, "start", lambda self: started.append(self))
    officer = login("officer_a")
    job_url = officer.get(f"{BASE}/?format=xlsx").headers["Location"]
    job = db.session.scalar(db.select(ExportJob))
    assert job.state == "queued" and started
    assert "Đang chờ" in text_of(officer.get(job_url))
    for m in db.session.scalars(db.select(Membership).where(Membership.user_id == job.user_id)):
        db.session.delete(m)
    db.session.commit()
    jobs.run_export(job.id)
    db.session.expire_all()
    job = db.session.get(ExportJob, job.id)
    assert job.state == "failed" and job.path is None and "quyền" in job.error


def _redis_or_skip():
    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        print("Bỏ qua: không có Redis tại 127.0.0.1:6379.")
        pytest.skip("Không có Redis tại 127.0.0.1:6379.")


def test_with_redis_the_job_goes_to_rq_and_a_worker_runs_it(app, lists, login, monkeypatch):
    _redis_or_skip()
    from redis import Redis
    from rq import Queue, SimpleWorker

    assert app.config["EXPORT_QUEUE"] == "thiduaweb"
    queue_name = f"thiduaweb-test-{uuid.uuid4().hex[:8]}"  # never take the jobs of a real queue
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS)
    monkeypatch.setitem(app.config, "EXPORT_QUEUE", queue_name)
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 5)
    connection = Redis.from_url(REDIS)
    queue = Queue(queue_name, connection=connection)
    try:
        officer = login("officer_a")
        response = officer.get(f"{BASE}/?year=2021&format=xlsx")
        assert response.status_code == 303
        job_url = response.headers["Location"]
        job = db.session.scalar(db.select(ExportJob))
        assert job.state == "queued" and queue.count == 1
        assert queue.jobs[0].func_name == "thiduaweb.core.jobs.run_export" and queue.jobs[0].args == (job.id,)
        assert "Đang chờ" in text_of(officer.get(job_url))

        assert SimpleWorker([queue], connection=connection).work(burst=True)
        assert queue.count == 0
        page = officer.get(job_url)
        assert "Đã xong" in text_of(page) and "Tải tệp Excel" in text_of(page)
        rows = _sheet(officer.get(job_url + "/tai"))
        assert len(rows) == 6 and {r[0] for r in rows} == {2021}
        assert login("officer_b").get(job_url + "/tai").status_code == 404
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)
