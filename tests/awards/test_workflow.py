"""The nomination workflow: transitions by role, authority, upward proposals, freezes, isolation, bad input."""
from __future__ import annotations

import io
from datetime import date

import pytest

from tests.awards.conftest import ALL, advance, give_award, make_nomination, make_nominee
from tests.helpers import text_of
from thiduaweb.awards import services, workflow
from thiduaweb.awards.models import Award, Nomination, NominationStep, Objection
from thiduaweb.core.permissions import permissions_for
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db

ROLE_PERMS = {role: permissions_for([role], []) for role in ("officer", "council", "chairman", "viewer")}


# (transition, from state, roles allowed)
TABLE = [
    ("submit", "draft", {"officer"}),
    ("record_vote", "submitted", {"officer"}),
    ("post", "binh_xet", {"officer"}),
    ("start_appraisal", "cong_khai", {"officer"}),
    ("appraise", "appraisal", {"officer", "council"}),
    ("decide", "appraised", {"chairman"}),
    ("refuse", "appraised", {"chairman"}),
    ("return", "submitted", {"officer"}),
]


@pytest.mark.parametrize("name,state,allowed", TABLE, ids=[t[0] for t in TABLE])
@pytest.mark.parametrize("role", ["officer", "council", "chairman", "viewer"])
def test_each_transition_allowed_and_refused_by_role(law, name, state, allowed, role):
    import thiduaweb.awards.views  # noqa: F401 - the feature's grants

    unit = law.a
    for i in range(7):
        give_award(unit, make_nominee(unit, f"Người {i}"), "ldtt", 2021)
    nomination = make_nomination(unit, make_nominee(unit, "Nguyễn Thị Hoa"), "giay_khen")
    advance(nomination, state, law.users["officer_a"])
    assert nomination.state == state
    data = {"record_vote": {"voters": 5, "votes_for": 5, "review_on": date(2021, 12, 1)},
            "appraise": {"council_result": "approved"}}.get(name, {})
    perms = permissions_for([role], [])
    actor = law.users[{"officer": "officer_a", "council": "council_a", "chairman": "chairman_a"}.get(role, "officer_a")]
    with unit_scope({unit.id}):
        if role in allowed:
            workflow.apply(nomination, name, actor, "Lý do" if name in ("refuse", "return") else None,
                           permissions=perms, data=data)
            assert nomination.state == workflow.TRANSITIONS[name].target
            step = db.session.query(NominationStep).filter_by(nomination_id=nomination.id, transition=name).one()
            assert step.actor_name == actor.full_name
        else:
            with pytest.raises(workflow.WorkflowError, match="không có quyền"):
                workflow.apply(nomination, name, actor, "Lý do", permissions=perms, data=data)
            assert nomination.state == state


def test_a_step_from_the_wrong_state_is_refused(law):
    nomination = make_nomination(law.a, make_nominee(law.a), "giay_khen")
    with unit_scope({law.a.id}), pytest.raises(workflow.WorkflowError, match="Không thể"):
        workflow.apply(nomination, "decide", law.users["chairman_a"], permissions=ALL)


def test_return_and_refuse_need_a_reason(law):
    nomination = make_nomination(law.a, make_nominee(law.a), "giay_khen", state="submitted")
    with unit_scope({law.a.id}), pytest.raises(workflow.WorkflowError, match="lý do") as caught:
        workflow.apply(nomination, "return", law.users["officer_a"], "  ", permissions=ALL)
    assert caught.value.field == "reason"


def test_a_decision_within_authority_numbers_it_and_fills_the_register(law):
    unit = law.a
    nomination = make_nomination(unit, make_nominee(unit), "giay_khen")
    advance(nomination, "appraised", law.users["officer_a"])
    with unit_scope({unit.id}):
        workflow.apply(nomination, "decide", law.users["chairman_a"], permissions=ALL,
                       data={"decided_on": date(2021, 12, 16)})
        award = db.session.query(Award).one()
        assert award.decision.number_symbol == "01/QĐ-UBND" and award.award_code == "giay_khen"
        assert services.register(unit.id, year=2021)[0].id == award.id


def test_a_decision_above_authority_is_impossible_and_goes_upward(law):
    unit, city = law.a, law.city
    for i in range(7):
        give_award(unit, make_nominee(unit, f"Người {i}"), "ldtt", 2021)
    star = make_nominee(unit, "Trần Văn Bình")
    give_award(unit, star, "ldtt", 2021)
    nomination = make_nomination(unit, star, "cstdcs", initiative="Sáng kiến A")
    advance(nomination, "appraised", law.users["officer_a"])
    with unit_scope({unit.id}):
        names = [b.transition.name for b in workflow.available(nomination, ALL)]
        assert "decide" not in names and "propose" in names
        with pytest.raises(workflow.WorkflowError, match="vượt thẩm quyền"):
            workflow.apply(nomination, "decide", law.users["chairman_a"], permissions=ALL)
        workflow.apply(nomination, "propose", law.users["chairman_a"], permissions=ALL,
                       data={"proposed_on": date(2021, 12, 16)})
        assert nomination.state == "proposed" and nomination.proposal_symbol == "01/TTr-UBND"
    with unit_scope({city.id}):
        queue = services.incoming_queue(city.id)
        assert [q.origin_nomination_id for q in queue] == [nomination.id]
        upward = queue[0]
        assert upward.state == "submitted" and upward.nominee.lineage_key == star.lineage_key
        # the city follows the same steps and decides: CSTĐCS is within a city chairman's authority in 2021
        advance(upward, "appraised", law.users["supervisor"])
        city_chairman = law.users["chairman_a"]
        workflow.apply(upward, "decide", city_chairman, permissions=ALL, data={"decided_on": date(2021, 12, 28)})
    with unit_scope({unit.id}):
        mine = {a.award_code: a for a in services.register(unit.id, year=2021) if a.lineage_key == star.lineage_key}
        assert set(mine) == {"cstdcs", "ldtt"} and mine["cstdcs"].unit_id == city.id


def test_a_frozen_nomination_cannot_move_until_the_freeze_is_lifted(law):
    unit = law.a
    nominee = make_nominee(unit)
    nomination = make_nomination(unit, nominee, "giay_khen")
    with unit_scope({unit.id}):
        services.freeze_nominee(unit.id, nominee.id, "Đơn khiếu nại số 5", "complaint", 5, commit=True)
        assert services.nomination_frozen_reason(nomination)
        with pytest.raises(workflow.WorkflowError, match="tạm dừng"):
            workflow.apply(nomination, "submit", law.users["officer_a"], permissions=ALL)
        assert all(b.disabled_reason for b in workflow.available(nomination, ALL))
        assert services.lift_freeze(unit.id, "complaint", 5, "Đã giải quyết", commit=True) == 1
        workflow.apply(nomination, "submit", law.users["officer_a"], permissions=ALL)
        assert nomination.state == "submitted"


def test_the_complaints_desk_can_freeze_through_a_nomination(law):
    unit = law.a
    nomination = make_nomination(unit, make_nominee(unit), "giay_khen")
    with unit_scope({unit.id}):
        services.freeze_nominee(nomination_id=nomination.id, reason="Đơn tố cáo", source_type="Petition", source_id=9)
        db.session.commit()
        assert "Đơn tố cáo" in services.nomination_frozen_reason(nomination)
        services.lift_freeze(source_type="Petition", source_id=9)
        db.session.commit()
        assert services.nomination_frozen_reason(nomination) is None


def test_a_freeze_at_the_commune_stops_the_city_too(law):
    unit = law.a
    nominee = make_nominee(unit)
    nomination = make_nomination(unit, nominee, "giay_khen", state="appraised", council_result="approved")
    with unit_scope({unit.id}):
        upward = workflow.send_upward(nomination, law.city, law.users["chairman_a"])
        services.freeze_nominee(unit.id, nominee.id, "Đang xem xét kỷ luật", "discipline", None, commit=True)
    with unit_scope({law.city.id}):
        assert "kỷ luật" in services.nomination_frozen_reason(db.session.get(Nomination, upward.id))


def test_the_direct_labour_share(law):
    unit = law.a
    for i, group in enumerate(["farmer", "worker", "teacher", "civil_servant", "teacher", "labourer", "other"]):
        give_award(unit, make_nominee(unit, f"Người {i}", occupation=group), "ldtt", 2021)
    give_award(unit, make_nominee(unit, "Trường", kind="collective", occupation=None), "ttldtt", 2021)
    share = services.labour_shares([unit.id], 2021)[unit.id]
    assert (share.total, share.direct) == (7, 3)  # collectives are not counted
    assert share.share == pytest.approx(3 / 7) and not share.below_target
    pending = make_nomination(unit, make_nominee(unit, "Giáo viên", occupation="teacher"), "giay_khen",
                              state="appraised")
    share = services.labour_shares([unit.id], 2021)[unit.id]
    assert share.pending_total == 1 and share.projected == pytest.approx(3 / 8)
    assert pending.state == "appraised"
    give_award(law.b, make_nominee(law.b, "Tân Cương 1", occupation="teacher"), "ldtt", 2021)
    shares = services.labour_shares([unit.id, law.b.id], 2021)
    assert shares[law.b.id].share == 0 and shares[law.b.id].below_target and shares[law.b.id].missing == 1


def test_exactly_thirty_percent_is_not_over_thirty(law):
    unit = law.a
    for i, group in enumerate(["farmer"] * 3 + ["teacher"] * 7):
        give_award(unit, make_nominee(unit, f"Người {i}", occupation=group), "ldtt", 2021)
    assert services.labour_shares([unit.id], 2021)[unit.id].below_target


# --- HTTP ---------------------------------------------------------------------------------------

A = "/u/xa-dong-lien/khen-thuong"


def test_another_commune_gets_404_for_every_object_url(law, login):
    unit = law.a
    nominee = make_nominee(unit)
    nomination = make_nomination(unit, nominee, "giay_khen", state="cong_khai", posted_from=date(2021, 12, 1),
                                 posted_to=date(2021, 12, 5))
    with unit_scope({unit.id}):
        objection = services.add_objection(unit.id, nomination.id, content="Ý kiến phản ánh cụ thể về thành tích.")
    client = login("officer_b")
    for url in [f"/u/xa-tan-cuong/khen-thuong/de-nghi/{nomination.id}",
                f"/u/xa-tan-cuong/khen-thuong/de-nghi/{nomination.id}/sua",
                f"/u/xa-tan-cuong/khen-thuong/de-nghi/{nomination.id}/buoc/return",
                f"/u/xa-tan-cuong/khen-thuong/doi-tuong/{nominee.id}",
                f"/u/xa-tan-cuong/khen-thuong/doi-tuong/{nominee.id}/sua"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/u/xa-tan-cuong/khen-thuong/de-nghi/{nomination.id}/buoc/return",
                       {"reason": "x"}).status_code == 404
    assert client.post(f"/u/xa-tan-cuong/khen-thuong/de-nghi/{nomination.id}/y-kien/{objection.id}",
                       {"outcome": "dismissed", "note": "x"}).status_code == 404
    assert client.get(f"{A}/de-nghi/{nomination.id}").status_code == 404  # not a member of Đồng Liên


def test_a_vote_larger_than_the_voters_is_refused_beside_the_field(law, login):
    nomination = make_nomination(law.a, make_nominee(law.a), "giay_khen", state="submitted")
    client = login("officer_a")
    response = client.post(f"{A}/de-nghi/{nomination.id}/buoc/record_vote",
                           {"review_on": "01/12/2021", "voters": "9", "votes_for": "8", "votes_against": "3"}, htmx=True)
    assert response.status_code == 422
    assert 'id="votes_for-error"' in response.get_data(as_text=True)
    assert "lớn hơn số người biểu quyết (9)" in text_of(response)
    assert 'value="8"' in response.get_data(as_text=True)  # nothing typed is lost
    with unit_scope({law.a.id}):
        assert db.session.get(Nomination, nomination.id).state == "submitted"


def test_a_nominee_already_holding_the_title_is_refused_beside_the_field(law, login):
    nominee = make_nominee(law.a)
    give_award(law.a, nominee, "giay_khen", 2021)
    client = login("officer_a")
    response = client.post(f"{A}/de-nghi/moi", {"nominee_id": nominee.id, "award_code": "giay_khen", "year": "2021",
                                               "basis": "cong_trang", "achievements": "Thành tích xuất sắc."},
                           htmx=True)
    assert response.status_code == 422
    assert 'id="award_code-error"' in response.get_data(as_text=True)
    assert "đã được tặng Giấy khen" in text_of(response)
    assert "Thành tích xuất sắc." in response.get_data(as_text=True)


def test_an_upload_of_the_wrong_type_or_too_large_is_refused(law, login):
    nomination = make_nomination(law.a, make_nominee(law.a), "giay_khen")
    client = login("officer_a")
    url = f"{A}/de-nghi/{nomination.id}/tep"
    fake = client.post(url, {"file": (io.BytesIO(b"MZ not a pdf"), "bao-cao.pdf")}, htmx=True,
                       content_type="multipart/form-data")
    assert fake.status_code == 422 and "không khớp" in text_of(fake)
    exe = client.post(url, {"file": (io.BytesIO(b"MZ"), "virus.exe")}, htmx=True, content_type="multipart/form-data")
    assert exe.status_code == 422 and "không đúng loại" in text_of(exe)
    big = client.post(url, {"file": (io.BytesIO(b"%PDF-" + b"0" * (11 * 1024 * 1024)), "lon.pdf")}, htmx=True,
                      content_type="multipart/form-data")
    assert big.status_code in (413, 422)
    ok = client.post(url, {"file": (io.BytesIO(b"%PDF-1.4 bao cao"), "bao-cao.pdf")},
                     content_type="multipart/form-data")
    assert ok.status_code == 303
    assert "bao-cao.pdf" in text_of(client.get(f"{A}/de-nghi/{nomination.id}"))


def test_buttons_come_from_the_workflow(law, login):
    nomination = make_nomination(law.a, make_nominee(law.a), "giay_khen", state="submitted")
    officer = text_of(login("officer_a").get(f"{A}/de-nghi/{nomination.id}"))
    chairman = text_of(login("chairman_a").get(f"{A}/de-nghi/{nomination.id}"))
    assert "Ghi kết quả bình xét" in officer and "Trả lại để bổ sung" in officer
    assert "Ghi kết quả bình xét" not in chairman
    assert login("chairman_a").post(f"{A}/de-nghi/{nomination.id}/buoc/return", {"reason": "x"}).status_code == 403


def test_public_page_lists_posted_nominations_and_awards_without_private_data(law, client):
    unit = law.a
    nominee = make_nominee(unit, "Nguyễn Thị Hoa", identity_number="019182000123")
    make_nomination(unit, nominee, "giay_khen", state="cong_khai", posted_from=date(2021, 12, 1),
                    posted_to=date(2021, 12, 5))
    awarded = make_nominee(unit, "Trần Văn Bình", identity_number="019175000999")
    give_award(unit, awarded, "ldtt", 2021)
    page = client.get("/p/xa-dong-lien/khen-thuong/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nguyễn Thị Hoa" in body and "Trần Văn Bình" in body
    assert "019182000123" not in body and "019175000999" not in body and "1975" not in body


def test_a_citizen_objects_and_the_officer_forwards_it_which_freezes(law, client, login):
    unit = law.a
    nominee = make_nominee(unit)
    nomination = make_nomination(unit, nominee, "giay_khen", state="cong_khai", posted_from=date(2021, 12, 1),
                                 posted_to=date(2021, 12, 5))
    client.refresh_token("/p/xa-dong-lien/khen-thuong/")
    short = client.post(f"/p/xa-dong-lien/khen-thuong/y-kien/{nomination.id}", {"content": "ngắn"}, htmx=True)
    assert short.status_code == 422 and 'id="content-error"' in short.get_data(as_text=True)
    sent = client.post(f"/p/xa-dong-lien/khen-thuong/y-kien/{nomination.id}",
                       {"content": "Thành tích kê khai chưa đúng thực tế.", "sender_name": "Người dân"})
    assert sent.status_code == 303
    with unit_scope({unit.id}):
        objection = db.session.query(Objection).one()
        with pytest.raises(workflow.WorkflowError, match="ý kiến"):
            workflow.apply(nomination, "start_appraisal", law.users["officer_a"], permissions=ALL)
    officer = login("officer_a")
    page = officer.get(f"{A}/de-nghi/{nomination.id}")
    assert "Thành tích kê khai chưa đúng thực tế." in text_of(page)
    done = officer.post(f"{A}/de-nghi/{nomination.id}/y-kien/{objection.id}",
                        {"outcome": "forwarded", "note": "Chuyển bộ phận đơn thư xác minh."})
    assert done.status_code == 303
    with unit_scope({unit.id}):
        assert "Ý kiến phản ánh" in services.nomination_frozen_reason(db.session.get(Nomination, nomination.id))


def test_the_city_queue_page_shows_a_proposal(law, login):
    nomination = make_nomination(law.a, make_nominee(law.a), "cstdcs", state="appraised", council_result="approved",
                                 proposal_symbol="01/TTr-UBND")
    with unit_scope({law.a.id}):
        workflow.send_upward(nomination, law.city, law.users["chairman_a"])
        db.session.commit()
    supervisor = login("supervisor")
    page = supervisor.get("/u/tp-thai-nguyen/khen-thuong/hang-cho")
    assert page.status_code == 200 and "01/TTr-UBND" in text_of(page)
    # The city's nominations list counts what waits in the queue, beside its own share.
    assert "Đề nghị từ cấp dưới 1" in text_of(supervisor.get("/u/tp-thai-nguyen/khen-thuong/"))
    assert "Đề nghị từ cấp dưới" not in text_of(login("officer_a").get("/u/xa-dong-lien/khen-thuong/"))


def test_every_page_renders(law, login):
    nominee = make_nominee(law.a)
    nomination = make_nomination(law.a, nominee, "giay_khen")
    client = login("officer_a")
    for url in ["/", "/doi-tuong", "/doi-tuong?q=nguyen", "/doi-tuong/moi", f"/doi-tuong/{nominee.id}",
                f"/doi-tuong/{nominee.id}/sua", "/de-nghi/moi", f"/de-nghi/{nomination.id}",
                f"/de-nghi/{nomination.id}/sua", "/so-khen-thuong", "/ty-le", "/danh-hieu", "/hang-cho"]:
        assert client.get(A + url).status_code == 200, url
    assert login("supervisor").get("/u/tp-thai-nguyen/khen-thuong/ty-le").status_code == 200


def test_nominee_search_ignores_diacritics_and_sorts_by_given_name(law):
    for name in ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Đỗ Thị Lan"]:
        make_nominee(law.a, name)
    with unit_scope({law.a.id}):
        assert [n.name for n in services.search_nominees(law.a.id)] == [
            "Lê Văn An", "Trần Thị An", "Nguyễn Văn Bình", "Đỗ Thị Lan"]
        assert [n.name for n in services.search_nominees(law.a.id, q="do thi lan")] == ["Đỗ Thị Lan"]
