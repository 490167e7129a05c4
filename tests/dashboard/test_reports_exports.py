"""Excel exports with filters, the background export, the annual report, "Việc cần làm", the e-mail digest."""
from __future__ import annotations

import io
import socketserver
import threading
import zipfile

import openpyxl

from tests.helpers import text_of


def _sheet(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def _data_rows(ws, header_text):
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == header_text)
    return rows[start + 1:]


def test_filtered_table_export_holds_exactly_the_filtered_rows(stats_world, login):
    client = login("supervisor")
    book = _sheet(client.get("/u/tp-thai-nguyen/dashboard/export.xlsx?fc=award_total&fo=gt&fv=3"))
    rows = _data_rows(book.active, "Đơn vị")
    assert [r[0] for r in rows] == ["Xã Đồng Liên"]
    ws = book.active
    assert ws.freeze_panes is not None and ws.auto_filter.ref
    everything = _data_rows(_sheet(client.get("/u/tp-thai-nguyen/dashboard/export.xlsx")).active, "Đơn vị")
    assert sorted(r[0] for r in everything) == ["Xã Tân Cương", "Xã Đồng Liên"] or len(everything) == 2


def test_drill_down_export_holds_the_list(stats_world, login):
    w = stats_world.world
    client = login("supervisor")
    book = _sheet(client.get(f"/u/tp-thai-nguyen/dashboard/xem/award.total/export.xlsx?unit={w.a.id}&year={stats_world.year}"))
    rows = _data_rows(book.active, "Đối tượng")
    assert len(rows) == 6
    assert all(r[4] == stats_world.year for r in rows)
    overdue = _data_rows(_sheet(client.get(f"/u/tp-thai-nguyen/dashboard/xem/pet.overdue/export.xlsx?unit={w.a.id}")).active,
                         "Mã")
    assert [r[0] for r in overdue] == ["AOVE-R"]


def test_large_exports_run_in_the_background(app, stats_world, login, monkeypatch):
    w = stats_world.world
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_FROM", 3)
    client = login("supervisor")
    body = client.get(f"/u/tp-thai-nguyen/dashboard/xem/award.total?unit={w.a.id}", htmx=True).get_data(as_text=True)
    assert "chạy nền" in body
    response = client.post(f"/u/tp-thai-nguyen/dashboard/xem/award.total/xuat-nen?unit={w.a.id}")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert "Đã xong" in text_of(page) and "Tải tệp Excel" in text_of(page)
    job_url = response.headers["Location"]
    book = _sheet(client.get(job_url + "/tai"))
    assert len(_data_rows(book.active, "Đối tượng")) == 6
    other = login("officer_a")
    assert other.get(job_url.replace("tp-thai-nguyen", "xa-dong-lien")).status_code == 404
    # The plain "Xuất Excel" link of a large list goes to a job too; a small one still answers the file.
    linked = client.get(f"/u/tp-thai-nguyen/dashboard/xem/award.total/export.xlsx?unit={w.a.id}&year={stats_world.year}")
    assert linked.status_code == 303 and "/xuat-excel/" in linked.headers["Location"]
    small = client.get(f"/u/tp-thai-nguyen/dashboard/xem/pet.overdue/export.xlsx?unit={w.a.id}")
    assert [r[0] for r in _data_rows(_sheet(small).active, "Mã")] == ["AOVE-R"]
    assert client.post("/u/tp-thai-nguyen/dashboard/xem/khong-co/xuat-nen").status_code == 404


def test_annual_report_tables_match_the_data(stats_world, login):
    client = login("officer_a")
    y = stats_world.year
    page = client.get(f"/u/xa-dong-lien/dashboard/bao-cao?year={y}")
    assert page.status_code == 200 and "Lao động tiên tiến" in text_of(page)
    book = _sheet(client.get(f"/u/xa-dong-lien/dashboard/bao-cao?year={y}&format=xlsx"))
    awards = _data_rows(book["Theo danh hiệu, hình thức"], "Loại")
    assert sum(r[5] for r in awards) == 6
    ldtt = next(r for r in awards if r[1] == "Lao động tiên tiến")
    assert ldtt[2:] == (3, 0, 0, 3)
    share = _data_rows(book["Tỷ lệ 30%"], "Đơn vị")
    assert share == [("Xã Đồng Liên", 5, 3, 60)]
    petitions = {r[0]: r[1] for r in _data_rows(book["Đơn thư"], "Loại đơn")}
    assert petitions["Khiếu nại"] == 3 and petitions["Tố cáo"] == 1
    # Numbered once (BC), then the .docx carries the number.
    client.post("/u/xa-dong-lien/dashboard/bao-cao/ban-hanh", {"year": str(y)})
    docx = client.get(f"/u/xa-dong-lien/dashboard/bao-cao?year={y}&format=docx")
    assert docx.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(docx.get_data())).read("word/document.xml").decode()
    assert "/BC-UBND" in xml and "BÁO CÁO" in xml and "01/BC-UBND" in xml
    city = login("supervisor")
    city_book = _sheet(city.get(f"/u/tp-thai-nguyen/dashboard/bao-cao?year={y}&format=xlsx"))
    assert sum(r[5] for r in _data_rows(city_book["Theo danh hiệu, hình thức"], "Loại")) == 9


def test_todo_list_and_count_in_the_navbar(stats_world, login):
    client = login("officer_a")
    page = client.get("/u/xa-dong-lien/dashboard/viec-can-lam")
    text = text_of(page)
    assert "ASOO-N" in text and "AOVE-R" in text and "Quá hạn" in text
    assert "Chờ bình xét" in text and "Bổ sung hồ sơ" in text
    home = client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert 'id="todo-count"' in home
    council = login("council_a")
    assert "Chờ Hội đồng biểu quyết" in text_of(council.get("/u/xa-dong-lien/dashboard/viec-can-lam"))
    officer_b = login("officer_b")
    assert "ASOO-N" not in text_of(officer_b.get("/u/xa-tan-cuong/dashboard/viec-can-lam"))


def test_a_locked_merged_commune_has_nothing_waiting_on_its_officer(stats_world, login, app, monkeypatch):
    from datetime import date

    from thiduaweb.core import clock
    from thiduaweb.extensions import db

    client = login("officer_a")
    stats_world.world.a.valid_to = date(2025, 6, 30)
    db.session.commit()
    monkeypatch.setitem(app.config, "LOCK_MERGED_UNITS", True)
    with clock.pinned(date(2025, 6, 30)):
        assert "ASOO-N" in text_of(client.get("/u/xa-dong-lien/dashboard/viec-can-lam"))
    with clock.pinned(date(2025, 7, 1)):  # read-only from now on: its petitions cannot be handled there
        page = text_of(client.get("/u/xa-dong-lien/dashboard/viec-can-lam"))
        assert "ASOO-N" not in page and "Chờ bình xét" not in page


def _navbar_count(client, path="/u/xa-dong-lien/"):
    import re

    found = re.search(r'id="todo-count">(\d+)<', client.get(path).get_data(as_text=True))
    return int(found.group(1)) if found else 0


def test_navbar_count_equals_the_list_and_follows_changes(app, stats_world, login, monkeypatch):
    from datetime import date

    from thiduaweb.core.tenancy import cross_unit_writes
    from thiduaweb.dashboard import todo
    from thiduaweb.extensions import db
    from tests.dashboard.world import add_petition

    client = login("officer_a")
    listed = text_of(client.get("/u/xa-dong-lien/dashboard/viec-can-lam")).count("Phân loại, thụ lý")
    first = _navbar_count(client)
    assert first > 0 and listed > 0
    with app.app_context(), cross_unit_writes():
        add_petition(stats_world.world.a, date.today(), "received", None, code="NEWCOUNT1")
        db.session.commit()
    # Counted at most once a minute: the badge may lag another person's change ...
    assert _navbar_count(client) == first
    # ... but not the officer's own: any change the user makes recounts on the next page.
    client.post("/account/password", data={"current_password": "sai"})  # even a refused one
    assert _navbar_count(client) == first + 1
    # And after the minute has passed.
    with app.app_context(), cross_unit_writes():
        add_petition(stats_world.world.a, date.today(), "received", None, code="NEWCOUNT2")
        db.session.commit()
    real_time = todo.time.time
    monkeypatch.setattr(todo.time, "time", lambda: real_time() + todo.COUNT_CACHE_SECONDS + 1)
    assert _navbar_count(client) == first + 2


class _Sink(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive messages."""

    def handle(self):
        self.wfile.write(b"220 sink\r\n")
        data_mode, lines = False, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if data_mode:
                if line in (b".\r\n", b".\n"):
                    data_mode = False
                    self.server.messages.append(b"".join(lines).decode("utf-8", "replace"))
                    lines = []
                    self.wfile.write(b"250 ok\r\n")
                else:
                    lines.append(line)
                continue
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 sink\r\n")
            elif command == b"DATA":
                data_mode = True
                self.wfile.write(b"354 go\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_digest_is_mailed_through_smtp(stats_world, app):
    from thiduaweb.dashboard.digest import send_digests
    from thiduaweb.extensions import db

    w = stats_world.world
    w.users["officer_a"].email = "officer.a@example.vn"
    db.session.commit()
    assert send_digests() is None  # no SMTP configured
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.server_address[1])
        assert send_digests() == 1
    finally:
        app.config.pop("MAIL_SERVER", None)
        server.shutdown()
        server.server_close()
    assert len(server.messages) == 1
    import email

    message = email.message_from_string(server.messages[0])
    body = message.get_payload(decode=True).decode()
    assert message["To"] == "officer.a@example.vn" and "AOVE-R" in body and "QUÁ HẠN" in body
