"""Issue 5 over HTTP: the pages, the downloads, 422 beside the field keeping what was typed, isolation."""
from __future__ import annotations

import io
from datetime import date

from docx import Document

from tests.awards.conftest import ALL, advance, make_nomination, make_nominee
from tests.awards.test_council import make_council
from tests.awards.test_season import GOOD, _xlsx
from tests.helpers import text_of
from thiduaweb.awards import council, season
from thiduaweb.core.tenancy import unit_scope

BASE = "/u/xa-dong-lien/khen-thuong"


def _session_with_item(law):
    unit, officer = law.a, law.users["officer_a"]
    make_council(unit, 7)
    n = make_nomination(unit, make_nominee(unit, "Nguyễn Thị Hoa"), "giay_khen")
    advance(n, "appraisal", officer)
    with unit_scope({unit.id}):
        session = council.create_session(unit, officer, {"held_on": date(2021, 12, 14), "place": "Hội trường"})
        council.add_to_agenda(unit, session, [n.id])
        return session.id, session.items[0].id, n.id


def test_a_tally_larger_than_those_present_is_422_beside_the_field(law, login):
    session_id, item_id, _ = _session_with_item(law)
    client = login("officer_a")
    url = f"{BASE}/hoi-dong/phien/{session_id}/muc/{item_id}/bieu-quyet"
    assert client.get(url).status_code == 200
    response = client.post(url, {"method": "secret", "votes_for": "8", "votes_against": "1", "note": "Ý kiến A"},
                           htmx=True)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="votes_for-error"' in body and "Tổng số phiếu (9) lớn hơn số thành viên có mặt được biểu quyết (7)" in body
    assert 'value="8"' in body and "Ý kiến A" in body
    response = client.post(url, {"method": "secret", "votes_for": "nhiều"}, htmx=True)
    assert response.status_code == 422 and "số nguyên" in text_of(response)
    response = client.post(url, {"method": "secret", "votes_for": "6", "votes_against": "1"}, htmx=True)
    assert response.status_code == 204
    page = client.get(f"{BASE}/hoi-dong/phien/{session_id}")
    assert "Đồng ý" in text_of(page)
    response = client.post(f"{BASE}/hoi-dong/phien/{session_id}/ket-thuc", {"number": ""})
    assert response.status_code == 303
    minutes = client.get(f"{BASE}/hoi-dong/phien/{session_id}/bien-ban.docx")
    assert minutes.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(minutes.data)).paragraphs)
    assert "BIÊN BẢN" in text and "Hội trường" in text


def test_bulk_decision_over_http_and_the_downloads(law, login):
    unit = law.a
    ids = []
    for name in ("Nguyễn Thị Hoa", "Trần Văn Bình"):
        n = make_nomination(unit, make_nominee(unit, name), "giay_khen")
        advance(n, "appraised", law.users["officer_a"])
        ids.append(str(n.id))
    chairman = login("chairman_a")
    response = chairman.post(f"{BASE}/dot-khen/buoc?year=2021", {"step": "decide", "on": "", "nomination_ids": []},
                             htmx=True)
    assert response.status_code == 422 and "Chọn ít nhất một đề nghị" in text_of(response)
    response = chairman.post(f"{BASE}/dot-khen/buoc?year=2021", {"step": "decide", "on": "2021-12-16",
                                                                 "nomination_ids": ids})
    assert response.status_code == 303 and "/quyet-dinh/" in response.headers["Location"]
    page = chairman.get(response.headers["Location"])
    assert "894.000" in text_of(page)
    decision_url = response.headers["Location"]
    docx = chairman.get(decision_url + "/quyet-dinh.docx")
    assert docx.status_code == 200 and docx.headers["Content-Disposition"].endswith('01-QD-UBND.docx"')
    tables = Document(io.BytesIO(docx.data)).tables
    assert any("Trần Văn Bình" in c.text for t in tables for r in t.rows for c in r.cells)
    certificates = chairman.get(decision_url + "/giay-khen.docx")
    assert certificates.status_code == 200
    # the officer may not sign (bulk decide is the chairman's step)
    officer = login("officer_a")
    response = officer.post(f"{BASE}/dot-khen/buoc", {"step": "decide", "nomination_ids": ids}, htmx=True)
    assert response.status_code == 422 and "không có quyền" in text_of(response)
    # revoke with no reason: 422 beside the field
    response = chairman.post(decision_url + "/thu-hoi", {"decided_on": "2021-12-20", "reason": ""}, htmx=True)
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)


def test_import_over_http_reports_rows(law, login):
    client = login("officer_a")
    bad = GOOD[:3] + ["30/02/1990"] + GOOD[4:]
    response = client.post(f"{BASE}/dot-khen/nhap-excel", {"file": (io.BytesIO(_xlsx([GOOD, bad])), "ds.xlsx")},
                           htmx=True, content_type="multipart/form-data")
    assert response.status_code == 422
    text = text_of(response)
    assert "Chưa nhập dòng nào: 1 dòng bị từ chối" in text and "không phải một ngày có thật" in text
    response = client.post(f"{BASE}/dot-khen/nhap-excel",
                           {"file": (io.BytesIO(_xlsx([GOOD], header=["Họ và tên"])), "ds.xlsx")}, htmx=True,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Thiếu cột" in text_of(response)
    response = client.post(f"{BASE}/dot-khen/nhap-excel", {"file": (io.BytesIO(_xlsx([GOOD])), "ds.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "Đã nhập 1 dòng" in text_of(response)
    template = client.get(f"{BASE}/dot-khen/mau-nhap.xlsx")
    assert template.status_code == 200


def test_pages_render_and_forms_refuse_bad_input(law, login):
    _session_with_item(law)
    client = login("officer_a")
    for path in ("/hoi-dong", "/dot-khen", "/quyet-dinh", "/quy", "/luong-co-so", "/mau-giay-khen"):
        assert client.get(BASE + path).status_code == 200, path
    assert "2.340.000" in text_of(client.get(BASE + "/luong-co-so"))
    response = client.post(BASE + "/quy", {"entry_on": "31/02/2021", "kind": "income", "amount": "-5",
                                           "description": "Thu"}, htmx=True)
    assert response.status_code == 422 and 'id="entry_on-error"' in response.get_data(as_text=True)
    assert 'value="31/02/2021"' in response.get_data(as_text=True) and "từ 1 trở lên" in text_of(response)
    response = client.post(BASE + "/mau-giay-khen", {"page_width_mm": "297", "page_height_mm": "210",
                                                     **{f"{k}_{p}": "10" for k in ("title", "name", "body",
                                                        "achievement", "decision", "place_date", "signer")
                                                        for p in ("x", "y", "size")}, "name_x": "400"}, htmx=True)
    assert response.status_code == 422 and "vượt quá khổ giấy" in text_of(response)
    assert 'value="400"' in response.get_data(as_text=True)
    response = client.post(BASE + "/hoi-dong/phien/moi", {"held_on": "2030-01-01", "place": "Hội trường"}, htmx=True)
    assert response.status_code == 422 and "Không có Hội đồng nào" in text_of(response)


def test_every_object_url_of_commune_a_is_404_for_commune_b(law, login):
    session_id, item_id, nomination_id = _session_with_item(law)
    with unit_scope({law.a.id}):
        council_id = council.councils(law.a.id)[0].id
        member_id = council.councils(law.a.id)[0].members[0].id
    n = make_nomination(law.a, make_nominee(law.a, "Trần Văn Bình"), "giay_khen")
    advance(n, "appraised", law.users["officer_a"])
    with unit_scope({law.a.id}):
        decision, _ = season.decide_many(law.a, law.users["chairman_a"], [n.id], permissions=ALL,
                                         decided_on=date(2021, 12, 16))
        decision_id = decision.id
    client = login("officer_b")
    base = "/u/xa-tan-cuong/khen-thuong"
    for path in (f"/hoi-dong/{council_id}", f"/hoi-dong/thanh-vien/{member_id}/sua", f"/hoi-dong/phien/{session_id}",
                 f"/hoi-dong/phien/{session_id}/muc/{item_id}/bieu-quyet", f"/hoi-dong/phien/{session_id}/bien-ban.docx",
                 f"/quyet-dinh/{decision_id}", f"/quyet-dinh/{decision_id}/quyet-dinh.docx",
                 f"/quyet-dinh/{decision_id}/giay-khen.docx", f"/de-nghi/{nomination_id}/trung",
                 f"/de-nghi/{nomination_id}/to-trinh.docx"):
        assert client.get(base + path).status_code == 404, path
    for path in (f"/hoi-dong/phien/{session_id}/ket-thuc", f"/quyet-dinh/{decision_id}/thu-hoi",
                 f"/hoi-dong/phien/{session_id}/co-mat"):
        assert client.post(base + path, {}).status_code in (403, 404), path
