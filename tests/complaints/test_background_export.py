"""The inbox's Excel export runs in the background when large, with the inbox's filters, every row."""
import io

import openpyxl

from tests.helpers import text_of
from thiduaweb.core.jobs import ExportJob
from thiduaweb.extensions import db


def test_large_inbox_export_is_a_job_with_the_filtered_rows(app, world, login, file_petition, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    complaint = file_petition(kind="complaint")
    file_petition(kind="denunciation", subject="Tố cáo việc bình xét không công khai")
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 1)
    officer = login("officer_a")
    response = officer.get("/u/xa-dong-lien/don-thu/export.xlsx?tab=all&kind=complaint")
    assert response.status_code == 303
    job_url = response.headers["Location"]
    page = officer.get(job_url)
    assert "Đã xong" in text_of(page) and "Tải tệp Excel" in text_of(page)
    assert 'href="/u/xa-dong-lien/don-thu/?tab=all&amp;kind=complaint"' in page.get_data(as_text=True)
    ws = openpyxl.load_workbook(io.BytesIO(officer.get(job_url + "/tai").get_data())).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Mã")
    data = rows[header + 1:]
    assert len(data) == 1 and data[0][2] == "Khiếu nại" and complaint.replace("-", "") in data[0][0].replace("-", "")
    assert db.session.scalar(db.select(ExportJob)).source == "complaints.inbox"
    assert login("officer_b").get(job_url).status_code == 404
    # Below the threshold: the file at once.
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 5000)
    direct = officer.get("/u/xa-dong-lien/don-thu/export.xlsx?tab=all")
    assert direct.status_code == 200 and direct.mimetype.endswith("spreadsheetml.sheet")
