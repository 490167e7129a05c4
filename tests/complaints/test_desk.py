"""The complaints desk over HTTP: citizens file and follow, officers classify and answer."""
import io
import re

from sqlalchemy import select

from tests.complaints.conftest import petition_data
from tests.helpers import UserClient, text_of
from thiduaweb.audit.models import AuditEntry
from thiduaweb.complaints.models import Petition
from thiduaweb.core.tenancy import all_units
from thiduaweb.extensions import db

PUBLIC = "/p/xa-dong-lien/don-thu"
DESK = "/u/xa-dong-lien/don-thu"


def _petition(code: str, unit=None) -> Petition:
    stmt = select(Petition).where(Petition.tracking_code == code)
    if unit is not None:
        stmt = stmt.where(Petition.unit_id == unit.id)
    return db.session.scalars(all_units(stmt.order_by(Petition.id))).first()


# --- Citizens ------------------------------------------------------------------------------

def test_a_citizen_files_without_login_and_follows_with_the_code(citizen, file_petition):
    code = file_petition()
    assert re.fullmatch(r"[A-Z2-9]{12}", code)
    page = citizen.get(f"{PUBLIC}/ma/{code}?moi=1")
    assert page.status_code == 200
    text = text_of(page)
    assert "Đã gửi đơn thành công" in text and "-".join([code[:4], code[4:8], code[8:]]) in text
    assert "Mới nhận, chờ phân loại" in text and "20/03/2021" in text  # 10 days (Điều 27)
    # the code works however it is typed
    found = citizen.post(f"{PUBLIC}/tra-cuu", {"code": f" {code[:4].lower()}-{code[4:8]} {code[8:]} "})
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/ma/{code}")


def test_codes_are_unguessable_and_distinct(file_petition):
    codes = {file_petition() for _ in range(3)}
    assert len(codes) == 3


def test_a_wrong_or_foreign_code_reveals_nothing(app, world, citizen, file_petition):
    code_b = file_petition("xa-tan-cuong", subject="Đơn của Tân Cương về danh hiệu")
    wrong = citizen.get(f"{PUBLIC}/ma/ABCDEFGHJKMN")
    foreign = citizen.get(f"{PUBLIC}/ma/{code_b}")
    malformed = citizen.get(f"{PUBLIC}/ma/' or 1=1 --")
    assert wrong.status_code == foreign.status_code == malformed.status_code == 404
    assert text_of(wrong) == text_of(foreign)
    assert "Tân Cương về danh hiệu" not in foreign.get_data(as_text=True)
    lookup = citizen.post(f"{PUBLIC}/tra-cuu", {"code": code_b})
    assert lookup.status_code == 422 and "Không tìm thấy đơn" in text_of(lookup)
    assert citizen.get(f"/p/xa-tan-cuong/don-thu/ma/{code_b}").status_code == 200


def test_bad_input_is_shown_beside_its_field_and_what_was_typed_stays(citizen):
    response = citizen.post(f"{PUBLIC}/", petition_data(content="", filer_email="lan@", filer_phone="12345"))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    for field in ("content", "filer_email", "filer_phone"):
        assert f'id="{field}-error"' in body
    assert "Vui lòng trình bày nội dung đơn" in body
    assert "Địa chỉ thư điện tử không hợp lệ" in body and "Số điện thoại không hợp lệ" in body
    assert 'value="Khiếu nại kết quả bình xét Lao động tiên tiến"' in body
    assert 'value="Nguyễn Thị Lan"' in body and 'value="lan@"' in body
    assert db.session.scalar(all_units(select(Petition.id))) is None


def test_a_complaint_needs_a_name_where_the_law_requires_it(citizen):
    response = citizen.post(f"{PUBLIC}/", petition_data(anonymous="y"))
    assert response.status_code == 422
    assert 'id="filer_name-error"' in response.get_data(as_text=True)
    assert "Điều 8 Luật Khiếu nại" in text_of(response)


def test_files_too_large_or_of_the_wrong_type_are_refused_beside_the_field(citizen):
    fake_pdf = (io.BytesIO(b"MZ\x90\x00 not a pdf"), "bang-chung.pdf")
    response = citizen.post(f"{PUBLIC}/", {**petition_data(), "files": fake_pdf}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="files-error"' in response.get_data(as_text=True) and "không khớp" in text_of(response)
    exe = (io.BytesIO(b"MZ"), "virus.exe")
    response = citizen.post(f"{PUBLIC}/", {**petition_data(), "files": exe}, content_type="multipart/form-data")
    assert response.status_code == 422 and "không đúng loại" in text_of(response)
    big = (io.BytesIO(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10)), "lon.pdf")
    response = citizen.post(f"{PUBLIC}/", {**petition_data(), "files": big}, content_type="multipart/form-data")
    assert response.status_code == 422 and "lớn hơn 10 MB" in text_of(response)
    assert db.session.scalar(all_units(select(Petition.id))) is None
    good = (io.BytesIO(b"%PDF-1.4\nbang chung"), "bang-chung.pdf")
    response = citizen.post(f"{PUBLIC}/", {**petition_data(), "files": good}, content_type="multipart/form-data")
    assert response.status_code == 303


def test_the_honeypot_stops_robots_without_saving(citizen):
    response = citizen.post(f"{PUBLIC}/", petition_data(website="http://spam.example"))
    assert response.status_code == 422
    assert db.session.scalar(all_units(select(Petition.id))) is None


def test_filing_is_rate_limited_with_a_vietnamese_page(citizen):
    statuses = [citizen.post(f"{PUBLIC}/", petition_data()).status_code for _ in range(6)]
    assert statuses[:5] == [303] * 5 and statuses[5] == 429
    response = citizen.post(f"{PUBLIC}/", petition_data())
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in text_of(response)
    assert response.headers["Content-Type"].startswith("text/html")


# --- Officers ------------------------------------------------------------------------------

def _classify(client, petition, **data):
    return client.post(f"{DESK}/{petition.id}/classify", data)


def test_accepting_a_complaint_issues_a_notice_number_and_starts_the_resolution_clock(login, file_petition):
    petition = _petition(file_petition())
    officer = login("officer_a")
    assert petition.subject in text_of(officer.get(f"{DESK}/"))
    response = _classify(officer, petition, outcome="accept")
    assert response.status_code == 303
    petition = _petition(petition.tracking_code)
    assert petition.status == "accepted" and petition.accept_symbol == "01/TB-UBND"
    assert str(petition.due_on) == "2021-04-09"  # 30 days, khoản 1 Điều 28
    assert "khoản 1 Điều 28" in text_of(officer.get(f"{DESK}/{petition.id}"))
    docx = officer.get(f"{DESK}/{petition.id}/docx/accept")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_refusing_needs_a_reason_and_the_citizen_reads_it(login, citizen, file_petition):
    petition = _petition(file_petition())
    officer = login("officer_a")
    response = _classify(officer, petition, outcome="refuse")
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    assert _classify(officer, petition, outcome="refuse", reason="Quá thời hiệu khiếu nại 90 ngày.").status_code == 303
    petition = _petition(petition.tracking_code)
    assert petition.status == "refused" and petition.due_on is None and petition.refusal_symbol
    assert "Quá thời hiệu khiếu nại 90 ngày." in text_of(citizen.get(f"{PUBLIC}/ma/{petition.tracking_code}"))
    assert officer.get(f"{DESK}/{petition.id}/docx/refuse").status_code == 200


def test_guiding_answers_the_citizen_with_guidance(login, citizen, file_petition):
    petition = _petition(file_petition(kind="petition"))
    officer = login("officer_a")
    assert _classify(officer, petition, outcome="guide").status_code == 422
    assert _classify(officer, petition, outcome="guide",
                     guidance="Đề nghị gửi đơn đến Hội Nông dân xã.").status_code == 303
    assert _petition(petition.tracking_code).status == "guided"
    assert "Hội Nông dân xã" in text_of(citizen.get(f"{PUBLIC}/ma/{petition.tracking_code}"))


def test_forwarding_lands_in_the_competent_units_inbox_with_its_history(world, login, citizen, file_petition):
    petition = _petition(file_petition(subject="Đơn gửi nhầm đơn vị"))
    officer_a = login("officer_a")
    officer_a.post(f"{DESK}/{petition.id}/note", {"note": "Nội dung thuộc thẩm quyền xã Tân Cương."})
    assert _classify(officer_a, petition, outcome="forward").status_code == 422
    response = _classify(officer_a, petition, outcome="forward", target_unit=str(world.b.id),
                         reason="Thuộc thẩm quyền UBND xã Tân Cương.")
    assert response.status_code == 303
    assert _petition(petition.tracking_code, world.a).status == "forwarded"
    copy = _petition(petition.tracking_code, world.b)
    assert copy.status == "received" and copy.origin_id == petition.id and copy.channel == "forwarded"
    officer_b = login("officer_b")
    inbox = text_of(officer_b.get("/u/xa-tan-cuong/don-thu/"))
    assert "Đơn gửi nhầm đơn vị" in inbox
    detail = text_of(officer_b.get(f"/u/xa-tan-cuong/don-thu/{copy.id}"))
    assert "Nội dung thuộc thẩm quyền xã Tân Cương." in detail and "tại Xã Đồng Liên" in detail
    assert officer_b.get(f"{DESK.replace('xa-dong-lien', 'xa-tan-cuong')}/{petition.id}").status_code == 404
    # the citizen follows it with the same code at the receiving unit
    assert "Xã Tân Cương" in text_of(citizen.get(f"{PUBLIC}/ma/{petition.tracking_code}"))
    assert "đã nhận đơn do Xã Đồng Liên chuyển đến" in text_of(
        citizen.get(f"/p/xa-tan-cuong/don-thu/ma/{petition.tracking_code}"))


def test_an_anonymous_denunciation_is_recorded_or_sent_for_inspection_not_handled_as_a_denunciation(
        login, file_petition):
    vague = _petition(file_petition(kind="denunciation", anonymous="y", filer_name=""))
    concrete = _petition(file_petition(kind="denunciation", anonymous="y", filer_name="",
                                       subject="Khai khống thành tích tại xóm Đồng Tâm"))
    assert vague.anonymous and vague.filer_name is None
    officer = login("officer_a")
    assert _classify(officer, vague, outcome="accept").status_code == 422  # not a denunciation procedure
    assert _classify(officer, vague, outcome="record").status_code == 303
    assert _classify(officer, concrete, outcome="inspect").status_code == 303
    assert _petition(vague.tracking_code).status == "filed"
    concrete = _petition(concrete.tracking_code)
    assert concrete.status == "inspection" and concrete.due_on is None
    assert officer.post(f"{DESK}/{concrete.id}/answer", {"answer_text": "Đã kiểm tra, xác minh: có vi phạm, "
                                                                     "đã đề nghị thu hồi danh hiệu."}).status_code == 303
    assert _petition(concrete.tracking_code).answer_symbol == "01/KL-UBND"


def test_a_petition_is_processed_within_ten_working_days(login, file_petition):
    petition = _petition(file_petition(kind="report"))
    assert str(petition.due_on) == "2021-03-24"  # 10 working days from Wed 10/03/2021
    officer = login("officer_a")
    assert _classify(officer, petition, outcome="accept").status_code == 303
    petition = _petition(petition.tracking_code)
    assert petition.status == "accepted" and petition.accept_symbol is None
    assert officer.post(f"{DESK}/{petition.id}/extend", {"reason": "Cần thêm thời gian"}).status_code == 422


def test_the_public_page_shows_no_internal_note_and_the_answer_with_its_number(login, citizen, file_petition):
    petition = _petition(file_petition())
    officer = login("officer_a")
    _classify(officer, petition, outcome="accept")
    officer.post(f"{DESK}/{petition.id}/assign", {"handler_id": str(petition.unit_id and officer_id(officer))})
    officer.post(f"{DESK}/{petition.id}/note", {"note": "GHI CHÚ NỘI BỘ: đã gọi điện cho trưởng xóm."})
    response = officer.post(f"{DESK}/{petition.id}/answer",
                            {"answer_text": "Bổ sung bà Nguyễn Thị Lan vào danh sách Lao động tiên tiến năm 2020."})
    assert response.status_code == 303
    page = citizen.get(f"{PUBLIC}/ma/{petition.tracking_code}").get_data(as_text=True)
    assert "Bổ sung bà Nguyễn Thị Lan" in page and "01/QĐ-UBND" in page
    assert "GHI CHÚ NỘI BỘ" not in page and "trưởng xóm" not in page
    assert "Cán bộ officer_a" not in page  # officers' names are internal
    assert officer.post(f"{DESK}/{petition.id}/close", {}).status_code == 303
    assert _petition(petition.tracking_code).status == "closed"


def officer_id(client) -> int:
    from thiduaweb.accounts.models import User

    return db.session.scalar(select(User.id).where(User.username == "officer.a"))


def test_a_denouncers_identity_is_hidden_from_an_officer_who_is_not_assigned(world, login, file_petition):
    petition = _petition(file_petition(kind="denunciation", filer_name="Trần Văn Tố", filer_address="Xóm Ba Cơ",
                                       subject="Tố cáo khai man thành tích"))
    officer = login("officer_a")
    inbox = officer.get(f"{DESK}/").get_data(as_text=True)
    assert "Tố cáo khai man thành tích" in inbox and "Trần Văn Tố" not in inbox
    assert "Trần Văn Tố" not in officer.get(f"{DESK}/{petition.id}").get_data(as_text=True)
    assert "Tố cáo khai man" not in text_of(officer.get(f"{DESK}/?q=tran van to"))
    assert officer.post(f"{DESK}/{petition.id}/identity").status_code == 403
    _classify(officer, petition, outcome="accept")
    assert officer.get(f"{DESK}/{petition.id}/docx/accept").status_code == 403
    supervisor = login("supervisor")
    assert "Trần Văn Tố" not in supervisor.get(f"{DESK}/{petition.id}").get_data(as_text=True)
    assert supervisor.post(f"{DESK}/{petition.id}/identity").status_code == 403
    # the chairman sees it, and the view is audited
    chairman = login("chairman_a")
    revealed = chairman.post(f"{DESK}/{petition.id}/identity", htmx=True)
    assert revealed.status_code == 200 and "Trần Văn Tố" in revealed.get_data(as_text=True)
    views = db.session.scalars(all_units(select(AuditEntry).where(AuditEntry.action == "petition.identity_view"))).all()
    assert len(views) == 1 and views[0].actor_name == "Cán bộ chairman_a"
    # once assigned, the handler sees it too
    chairman.post(f"{DESK}/{petition.id}/assign", {"handler_id": str(world.users["officer_a"].id)})
    assert "Trần Văn Tố" in officer.post(f"{DESK}/{petition.id}/identity").get_data(as_text=True)
    assert officer.get(f"{DESK}/{petition.id}/docx/accept").status_code == 200
    # the audit trail never copies the identity
    trail = " ".join(str(e.changes) + e.object_label for e in db.session.scalars(all_units(select(AuditEntry))))
    assert "Trần Văn Tố" not in trail and "Ba Cơ" not in trail


def test_second_instance_at_the_city_with_the_whole_file(world, login, citizen, file_petition):
    petition = _petition(file_petition())
    officer = login("officer_a")
    _classify(officer, petition, outcome="accept")
    officer.post(f"{DESK}/{petition.id}/note", {"note": "Biên bản xác minh tại xóm."})
    officer.post(f"{DESK}/{petition.id}/answer", {"answer_text": "Giữ nguyên kết quả bình xét năm 2020."})
    status = text_of(citizen.get(f"{PUBLIC}/ma/{petition.tracking_code}"))
    assert "Khiếu nại lần hai" in status
    bad = citizen.post(f"{PUBLIC}/ma/{petition.tracking_code}/lan-hai", {"reason": ""})
    assert bad.status_code == 422 and 'id="reason-error"' in bad.get_data(as_text=True)
    response = citizen.post(f"{PUBLIC}/ma/{petition.tracking_code}/lan-hai",
                            {"reason": "Hội đồng chưa xem xét sáng kiến của tôi."})
    assert response.status_code == 303
    second = _petition(petition.tracking_code, world.city)
    assert second.instance == 2 and second.status == "received" and second.origin_unit_id == world.a.id
    supervisor = login("supervisor")
    inbox = text_of(supervisor.get("/u/tp-thai-nguyen/don-thu/"))
    assert "lần hai" in inbox
    detail = text_of(supervisor.get(f"/u/tp-thai-nguyen/don-thu/{second.id}"))
    assert "Biên bản xác minh tại xóm." in detail and "Giữ nguyên kết quả" in detail
    assert supervisor.post(f"/u/tp-thai-nguyen/don-thu/{second.id}/classify", {"outcome": "accept"}).status_code == 303
    second = _petition(petition.tracking_code, world.city)
    assert str(second.due_on) == "2021-04-24"  # 45 days, khoản 1 Điều 37
    # the commune's officer cannot open the city's file
    assert officer.get(f"/u/tp-thai-nguyen/don-thu/{second.id}").status_code == 404


def test_withdrawal_stops_the_clock(login, citizen, file_petition):
    petition = _petition(file_petition())
    refused = citizen.post(f"{PUBLIC}/ma/{petition.tracking_code}/rut-don", {"reason": "Đã được giải thích"})
    assert refused.status_code == 422 and 'id="confirm-error"' in refused.get_data(as_text=True)
    assert citizen.post(f"{PUBLIC}/ma/{petition.tracking_code}/rut-don",
                        {"reason": "Đã được giải thích", "confirm": "y"}).status_code == 303
    petition = _petition(petition.tracking_code)
    assert petition.status == "withdrawn" and petition.due_on is None and petition.stopped_days_left == 10
    officer = login("officer_a")
    assert "Dừng tính" in text_of(officer.get(f"{DESK}/?tab=closed"))


def test_extensions_need_a_reason_and_respect_the_law(login, file_petition):
    complaint = _petition(file_petition())
    denunciation = _petition(file_petition(kind="denunciation"))
    officer = login("officer_a")
    for p in (complaint, denunciation):
        _classify(officer, p, outcome="accept")
    assert officer.post(f"{DESK}/{complaint.id}/extend", {"reason": ""}).status_code == 422
    assert officer.post(f"{DESK}/{complaint.id}/extend", {"reason": "Vụ việc phức tạp, nhiều người liên quan"}).status_code == 303
    assert str(_petition(complaint.tracking_code).due_on) == "2021-04-24"
    assert officer.post(f"{DESK}/{complaint.id}/extend", {"reason": "Lần nữa"}).status_code == 422
    for expected in ("2021-05-09", "2021-06-08"):
        assert officer.post(f"{DESK}/{denunciation.id}/extend", {"reason": "Đặc biệt phức tạp"}).status_code == 303
        assert str(_petition(denunciation.tracking_code).due_on) == expected
    assert officer.post(f"{DESK}/{denunciation.id}/extend", {"reason": "Lần ba"}).status_code == 422


def test_the_inbox_tabs_search_and_overdue_stand_out(app, login, file_petition, monkeypatch):
    from datetime import date

    file_petition(subject="Đơn cũ quá hạn")
    monkeypatch.setitem(app.config, "TODAY", date(2021, 3, 25))
    file_petition(subject="Đơn mới tuần này")
    officer = login("officer_a")
    overdue = officer.get(f"{DESK}/?tab=overdue", htmx=True)
    body = overdue.get_data(as_text=True)
    assert "Đơn cũ quá hạn" in body and "Đơn mới tuần này" not in body
    assert "table-danger" in body and "Quá hạn 5 ngày" in text_of(overdue)
    assert "<html" not in body  # the htmx answer is the table alone
    found = text_of(officer.get(f"{DESK}/?q=don moi tuan"))
    assert "Đơn mới tuần này" in found and "Đơn cũ quá hạn" not in found
    home = text_of(officer.get("/u/xa-dong-lien/"))
    assert "Đơn thư" in home and "Quá hạn: 1" in home


def test_another_communes_officer_gets_404(world, login, file_petition):
    petition = _petition(file_petition())
    officer_b = login("officer_b")
    for url in (f"{DESK}/{petition.id}", f"{DESK}/", f"{DESK}/settings", f"{DESK}/export.xlsx",
                f"{DESK}/{petition.id}/docx/accept"):
        assert officer_b.get(url).status_code == 404
    own = "/u/xa-tan-cuong/don-thu"
    assert officer_b.get(f"{own}/{petition.id}").status_code == 404
    assert officer_b.get(f"{own}/{petition.id}/docx/accept").status_code == 404
    for step in ("classify", "assign", "note", "extend", "answer", "close", "withdraw", "identity"):
        assert officer_b.post(f"{own}/{petition.id}/{step}", {"outcome": "accept"}).status_code == 404, step
    assert petition.subject not in text_of(officer_b.get(f"{own}/?tab=all"))
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(officer_b.get(f"{own}/export.xlsx?tab=all").data)).active
    assert petition.subject not in " ".join(str(c.value) for row in sheet.iter_rows() for c in row)


def test_a_unit_declares_its_days_off(login):
    officer = login("officer_a")
    bad = officer.post(f"{DESK}/settings?year=2021", {"mode": "day_off", "day": "31/02/2021", "reason": "Nghỉ bù"})
    assert bad.status_code == 422 and 'id="day-error"' in bad.get_data(as_text=True)
    assert 'value="Nghỉ bù"' in bad.get_data(as_text=True)
    ok = officer.post(f"{DESK}/settings?year=2021", {"mode": "day_off", "day": "05/03/2021", "reason": "Nghỉ bù"})
    assert ok.status_code == 303
    assert "05/03/2021" in text_of(officer.get(f"{DESK}/settings?year=2021"))
    assert officer.post(f"{DESK}/settings", {"mode": "counting", "count_working_days": "y"}).status_code == 303


def test_the_inbox_exports_to_excel_without_a_denouncers_name(login, file_petition):
    import openpyxl

    file_petition(kind="denunciation", filer_name="Trần Văn Tố")
    response = login("officer_a").get(f"{DESK}/export.xlsx?tab=all")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "Tố cáo" in cells and "Bảo mật" in cells and "Trần Văn Tố" not in cells


def test_a_denouncers_attachments_are_closed_to_an_officer_who_is_not_assigned(world, login, citizen):
    from thiduaweb.files.models import Attachment

    evidence = (io.BytesIO(b"%PDF-1.4\nchu ky nguoi to cao"), "to-cao.pdf")
    response = citizen.post(f"{PUBLIC}/", {**petition_data(kind="denunciation", filer_name="Trần Văn Tố"),
                                           "files": evidence}, content_type="multipart/form-data")
    assert response.status_code == 303
    attachment = db.session.scalar(all_units(select(Attachment)))
    url = f"/u/xa-dong-lien/files/{attachment.id}"
    assert login("officer_a").get(url).status_code == 403
    assert login("chairman_a").get(url).status_code == 200


def test_the_city_enters_a_second_instance_complaint_brought_on_paper(world, login, file_petition):
    petition = _petition(file_petition())
    officer = login("officer_a")
    _classify(officer, petition, outcome="accept")
    officer.post(f"{DESK}/{petition.id}/answer", {"answer_text": "Giữ nguyên kết quả bình xét năm 2020."})
    supervisor = login("supervisor")
    wrong = supervisor.post("/u/tp-thai-nguyen/don-thu/lan-hai",
                            {"code": "ABCD-EFGH-JKMN", "reason": "Không đồng ý với quyết định lần đầu."})
    assert wrong.status_code == 422 and 'id="code-error"' in wrong.get_data(as_text=True)
    assert "Không đồng ý với quyết định lần đầu." in wrong.get_data(as_text=True)
    response = supervisor.post("/u/tp-thai-nguyen/don-thu/lan-hai", {
        "code": petition.display_code.lower(), "reason": "Hội đồng chưa xem xét sáng kiến của tôi."})
    assert response.status_code == 303
    second = _petition(petition.tracking_code, world.city)
    assert second.instance == 2 and second.origin_unit_id == world.a.id
    assert officer.get("/u/xa-dong-lien/don-thu/lan-hai").status_code == 404


def test_a_locked_merged_commune_sends_citizens_to_its_successor_and_keeps_their_codes(
        app, world, citizen, file_petition, monkeypatch):
    """LOCK_MERGED_UNITS: a commune that ceased to exist takes no new petition; its page names the
    unit that took its territory over, and a code received earlier still finds its petition."""
    from datetime import date

    from tests import factories
    from thiduaweb.core.tenancy import cross_unit_writes
    from thiduaweb.units.models import UnitSuccession

    code = file_petition()
    ward = factories.make_unit("Phường Gia Sàng", kind="ward", parent=world.city, slug="phuong-gia-sang-2025",
                               valid_from=date(2025, 7, 1))
    with cross_unit_writes():
        world.a.valid_to = date(2025, 6, 30)
        db.session.add(UnitSuccession(predecessor_id=world.a.id, successor_id=ward.id, extent="whole",
                                      effective_on=date(2025, 7, 1)))
        db.session.commit()
    monkeypatch.setitem(app.config, "LOCK_MERGED_UNITS", True)
    monkeypatch.setitem(app.config, "TODAY", date(2025, 7, 2))

    page = citizen.get("/p/xa-dong-lien/don-thu/")
    assert page.status_code == 200 and 'id="petition-form"' not in page.get_data(as_text=True)
    assert "không còn nhận đơn mới" in text_of(page) and "Phường Gia Sàng" in text_of(page)
    assert 'href="/p/phuong-gia-sang-2025/don-thu/"' in page.get_data(as_text=True)
    refused = citizen.post("/p/xa-dong-lien/don-thu/", petition_data(subject="Đơn gửi muộn"))
    assert refused.status_code == 422 and "chưa được gửi" in text_of(refused)
    assert db.session.scalar(all_units(select(Petition.id).where(Petition.subject == "Đơn gửi muộn"))) is None
    found = citizen.post("/p/xa-dong-lien/don-thu/tra-cuu", {"code": code})
    assert found.status_code == 303 and code in found.headers["Location"]
    assert citizen.get("/p/phuong-gia-sang-2025/don-thu/").status_code == 200  # the successor takes them
