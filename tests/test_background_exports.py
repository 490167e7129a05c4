"""The audit trail's Excel export runs in the background when large (core.jobs), with its filters."""
import io

import openpyxl

from tests.helpers import text_of
from thiduaweb.core.audit import record
from thiduaweb.core.jobs import ExportJob, list_args
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db


def test_large_audit_export_is_a_job_with_the_filtered_rows(app, world, login, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    with cross_unit_writes():
        for i in range(3):
            record(db.session(), unit_id=world.a.id, action="create", object_type="body", object_id=i + 1,
                   label=f"Xóm Thử {i}")
        record(db.session(), unit_id=world.a.id, action="create", object_type="plan", object_id=1, label="Kế hoạch")
        record(db.session(), unit_id=world.b.id, action="create", object_type="body", object_id=9, label="Xóm Bên Kia")
        db.session.commit()
    officer = login("officer_a")
    direct = officer.get("/u/xa-dong-lien/audit/?format=xlsx&type=body")
    ws = openpyxl.load_workbook(io.BytesIO(direct.get_data())).active
    expected = [r for r in ws.iter_rows(values_only=True)][2:]
    assert len(expected) == 3
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 2)
    response = officer.get("/u/xa-dong-lien/audit/?format=xlsx&type=body")
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert "Đã xong" in text_of(officer.get(job_url))
    ws = openpyxl.load_workbook(io.BytesIO(officer.get(job_url + "/tai").get_data())).active
    rows = [r for r in ws.iter_rows(values_only=True)][2:]
    assert rows == expected and all(r[1] == "Xã Đồng Liên" for r in rows)
    assert db.session.scalar(db.select(ExportJob)).source == "audit.entries"
    assert login("officer_b").get(job_url + "/tai").status_code == 404
    assert officer.get("/u/xa-dong-lien/xuat-excel/999999").status_code == 404


def test_list_args_keep_the_filters_only():
    from werkzeug.datastructures import MultiDict

    args = MultiDict([("q", "An"), ("format", "xlsx"), ("page", "3"), ("year", ""), ("state", "draft"), ("state", "x")])
    assert list_args(args) == {"q": ["An"], "state": ["draft", "x"]}
