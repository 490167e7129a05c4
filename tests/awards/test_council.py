"""The council: vote thresholds decide exactly as the rules say (table-driven, citing the articles), recusal,
attendance and quorum, a session's result fed into each nomination's appraisal, minutes numbered …/BB-HĐTĐKT."""
from __future__ import annotations

from datetime import date

import pytest

from tests.awards.conftest import ALL, advance, give_award, make_nomination, make_nominee
from thiduaweb.awards import council, rules
from thiduaweb.awards.models import CouncilMember, VoteThreshold
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db


def _threshold(version_code, award_code):
    from sqlalchemy import select

    from thiduaweb.awards.models import RegulationVersion

    version = db.session.scalar(select(RegulationVersion).where(RegulationVersion.code == version_code))
    award = rules.award_type_for(award_code, version.valid_from)
    return award, version


# (version, award, members, present, recused present, for, against, passed, needed, why) — the article each row
# exercises: commune titles: the council's rules (default more than half of those present, quorum 2/3);
# the highest individual titles: NĐ 91/2017 Điều 45 (secret ballot, at least 90% of all members).
TABLE = [
    ("nd91-2017", "ldtt", 9, 6, 0, 4, 2, True, 4, "quá nửa số có mặt: 4/6"),
    ("nd91-2017", "ldtt", 9, 6, 0, 3, 3, False, 4, "đúng một nửa không đủ"),
    ("nd91-2017", "ldtt", 9, 5, 0, 5, 0, False, 3, "5/9 có mặt < 2/3: không đủ túc số"),
    ("nd91-2017", "giay_khen", 7, 5, 1, 3, 1, True, 3, "một người không biểu quyết: quá nửa của 4"),
    ("nd91-2017", "ldtt", 7, 5, 0, 3, 2, True, 3, "7 thành viên: túc số 5"),
    ("nd91-2017", "cstd_tinh", 9, 9, 0, 8, 1, False, 9, "90% của 9 là 8,1: cần 9"),
    ("nd91-2017", "cstd_tinh", 10, 9, 0, 9, 0, True, 9, "90% của 10 là 9"),
    ("nd91-2017", "cstd_tinh", 10, 10, 1, 8, 1, False, 9, "một người không biểu quyết: 90% của 9 là 8,1 → 9"),
    ("nd98-2023", "cstd_tq", 11, 11, 0, 10, 1, True, 10, "90% của 11 là 9,9 → 10"),
    ("nd152-2025", "ldtt", 12, 8, 0, 5, 3, True, 5, "12 thành viên: túc số 8; quá nửa của 8 là 5"),
    ("nd152-2025", "ldtt", 12, 7, 0, 7, 0, False, 4, "7/12 < 2/3"),
]


@pytest.mark.parametrize("version,award_code,members,present,recused,votes_for,against,passed,needed,why", TABLE,
                         ids=[t[-1] for t in TABLE])
def test_threshold_decides_exactly_as_the_rules_say(law, version, award_code, members, present, recused, votes_for,
                                                    against, passed, needed, why):
    award, _ = _threshold(version, award_code)
    threshold = council.threshold_for(award, law.a)
    outcome = council.evaluate_vote(threshold, members_total=members, present=present, recused_present=recused,
                                    votes_for=votes_for, votes_against=against)
    assert outcome.passed is passed, outcome.reason
    assert outcome.needed == needed
    if award_code in council.HIGH_TITLES:
        assert threshold.method == "secret" and threshold.base == "members"
        assert "Điều 45" in threshold.legal_basis
    else:
        assert threshold.method == "open" and threshold.base == "present"


def test_a_province_row_wins_over_the_national_default(law):
    award, version = _threshold("nd91-2017", "ldtt")
    db.session.add(VoteThreshold(version_id=version.id, province_code=None, award_code="ldtt", method="secret",
                                 base="members", share=0.75, strict=False, quorum=0.75, legal_basis="Quy chế X"))
    db.session.commit()
    threshold = council.threshold_for(award, law.a)
    assert threshold.legal_basis == "Quy chế X"
    outcome = council.evaluate_vote(threshold, members_total=8, present=6, votes_for=6)
    assert outcome.needed == 6 and outcome.passed and outcome.quorum_needed == 6


@pytest.mark.parametrize("cast", [(7, 0, 0), (4, 2, 1), (0, 0, 7)])
def test_a_tally_larger_than_the_members_allowed_to_vote_is_refused(law, cast):
    award, _ = _threshold("nd91-2017", "ldtt")
    threshold = council.threshold_for(award, law.a)
    with pytest.raises(council.CouncilError, match="lớn hơn số thành viên có mặt") as caught:
        council.evaluate_vote(threshold, members_total=9, present=7, recused_present=1, votes_for=cast[0],
                              votes_against=cast[1], votes_blank=cast[2])
    assert caught.value.field == "votes_for"


def make_council(unit, size=7, *, member_nominee=None, household=None):
    with unit_scope({unit.id}):
        body = council.save_council(unit, {"term_from": date(2021, 1, 1), "term_to": date(2026, 6, 30),
                                           "name": "Hội đồng Thi đua – Khen thưởng xã"})
        roles = ["chair", "deputy", "secretary"] + ["member"] * (size - 3)
        for i, role in enumerate(roles):
            council.save_member(unit, body, {"full_name": f"Thành viên {i + 1}", "role": role,
                                             "nominee_id": member_nominee.id if member_nominee and i == 3 else None,
                                             "household_nominee_id": household.id if household and i == 4 else None})
        return body


def _appraisal_nominations(law, count=3, **kwargs):
    unit = law.a
    made = []
    for i in range(count):
        nominee = kwargs.get("nominees", [None] * count)[i] or make_nominee(unit, f"Người số {i}")
        n = make_nomination(unit, nominee, "giay_khen")
        advance(n, "appraisal", law.users["officer_a"])
        made.append(n)
    return made


def test_a_session_feeds_each_nomination_appraisal_and_numbers_its_minutes(law):
    unit, officer = law.a, law.users["officer_a"]
    make_council(unit, 7)
    nominations = _appraisal_nominations(law, 3)
    with unit_scope({unit.id}):
        session = council.create_session(unit, officer, {"held_on": date(2021, 12, 14), "place": "Hội trường"})
        members = council.members_of(session)
        council.set_attendance(unit, session, {m.id for m in members[:6]}, {members[6].id: "Đi công tác"})
        council.add_to_agenda(unit, session, [n.id for n in nominations])
        items = session.items
        present = [m.id for m in members[:6]]
        council.record_vote(unit, officer, session, items[0], method="open",
                            votes={mid: "for" for mid in present})
        council.record_vote(unit, officer, session, items[1], method="open",
                            votes={mid: ("for" if k < 3 else "against") for k, mid in enumerate(present)})
        council.record_vote(unit, officer, session, items[2], method="secret", votes_for=5, votes_against=1)
        assert [i.result for i in items] == ["approved", "rejected", "approved"]
        council.close_session(unit, officer, session, permissions=ALL)
        assert session.minutes_symbol == "01/BB-HĐTĐKT" and session.state == "closed"
        states = [(n.state, n.council_result, n.council_session_id) for n in nominations]
        assert states == [("appraised", "approved", session.id), ("appraised", "rejected", session.id),
                          ("appraised", "approved", session.id)]
        assert "01/BB-HĐTĐKT" in nominations[0].council_note
        with pytest.raises(council.CouncilError, match="đã kết thúc"):
            council.record_vote(unit, officer, session, items[0], method="secret", votes_for=1)


def test_a_recused_member_cannot_vote_on_themself_or_their_household(law):
    unit, officer = law.a, law.users["officer_a"]
    member_person = make_nominee(unit, "Thành viên 4")
    household = make_nominee(unit, "Thành viên 5", kind="household")
    make_council(unit, 7, member_nominee=member_person, household=household)
    for i in range(3):
        give_award(unit, make_nominee(unit, f"Người LĐTT {i}"), "ldtt", 2021)
    mine = make_nomination(unit, member_person, "giay_khen")
    theirs = make_nomination(unit, household, "giay_khen")
    for n in (mine, theirs):
        advance(n, "appraisal", officer)
    with unit_scope({unit.id}):
        session = council.create_session(unit, officer, {"held_on": date(2021, 12, 14), "place": "Hội trường"})
        members = council.members_of(session)
        council.add_to_agenda(unit, session, [mine.id, theirs.id])
        item_mine, item_theirs = session.items
        votes = {m.id: "for" for m in members}
        with pytest.raises(council.CouncilError, match="Thành viên 4 không được biểu quyết.*là người được đề nghị"):
            council.record_vote(unit, officer, session, item_mine, method="open", votes=votes)
        db.session.rollback()
        with pytest.raises(council.CouncilError, match="thuộc hộ gia đình được đề nghị"):
            council.record_vote(unit, officer, session, item_theirs, method="open", votes=votes)
        db.session.rollback()
        # without the recused member's vote the open vote is recorded; six may vote
        council.record_vote(unit, officer, session, item_mine, method="open",
                            votes={m.id: "for" for m in members if m.full_name != "Thành viên 4"})
        assert item_mine.outcome["eligible"] == 6 and item_mine.result == "approved"
        # a secret ballot cannot carry the recused member's ballot either
        with pytest.raises(council.CouncilError, match=r"Tổng số phiếu \(7\) lớn hơn.*\(6\)"):
            council.record_vote(unit, officer, session, item_theirs, method="secret", votes_for=7)


def test_high_titles_need_a_secret_ballot(law):
    unit, officer = law.a, law.users["officer_a"]
    make_council(unit, 7)
    nomination = _appraisal_nominations(law, 1)[0]
    with unit_scope({unit.id}):
        session = council.create_session(unit, officer, {"held_on": date(2021, 12, 14), "place": "Hội trường"})
        council.add_to_agenda(unit, session, [nomination.id])
        award, _ = _threshold("nd91-2017", "cstd_tinh")
        nomination.award_type_id = award.id
        db.session.commit()
        with pytest.raises(council.CouncilError, match="phải bỏ phiếu kín") as caught:
            council.record_vote(unit, officer, session, session.items[0], method="open", votes={})
        assert caught.value.field == "method"


def test_closing_is_all_or_nothing(law):
    unit, officer = law.a, law.users["officer_a"]
    make_council(unit, 7)
    nominations = _appraisal_nominations(law, 2)
    with unit_scope({unit.id}):
        session = council.create_session(unit, officer, {"held_on": date(2021, 12, 14), "place": "Hội trường"})
        council.add_to_agenda(unit, session, [n.id for n in nominations])
        for item in session.items:
            council.record_vote(unit, officer, session, item, method="secret", votes_for=7)
        # the second nomination is returned meanwhile: the session cannot record its appraisal
        from thiduaweb.awards import workflow

        workflow.apply(nominations[1], "return", officer, "Bổ sung hồ sơ", permissions=ALL)
        with pytest.raises(council.CouncilError, match="Người số 1"):
            council.close_session(unit, officer, session, permissions=ALL)
        db.session.expire_all()
        assert session.state == "open" and session.minutes_symbol is None
        assert nominations[0].state == "appraisal"
        from thiduaweb.core.numbering import peek_next

        assert peek_next(unit.id, "BB", 2021, issuer="HĐTĐKT") == 1


def test_quorum_missing_means_rejected(law):
    unit, officer = law.a, law.users["officer_a"]
    make_council(unit, 9)
    nomination = _appraisal_nominations(law, 1)[0]
    with unit_scope({unit.id}):
        session = council.create_session(unit, officer, {"held_on": date(2021, 12, 14), "place": "Hội trường"})
        members = council.members_of(session)
        council.set_attendance(unit, session, {m.id for m in members[:5]}, {})
        council.add_to_agenda(unit, session, [nomination.id])
        item = council.record_vote(unit, officer, session, session.items[0], method="secret", votes_for=5)
        assert item.result == "rejected" and "Không đủ số thành viên dự họp" in item.outcome["reason"]


def test_member_terms_and_single_chair(law):
    unit = law.a
    body = make_council(unit, 3)
    with unit_scope({unit.id}):
        with pytest.raises(council.CouncilError, match="đã có Chủ tịch"):
            council.save_member(unit, body, {"full_name": "Người khác", "role": "chair"})
        db.session.rollback()
        with pytest.raises(council.CouncilError, match="nằm trong nhiệm kỳ"):
            council.save_member(unit, body, {"full_name": "Người khác", "role": "member",
                                             "term_from": date(2019, 1, 1)})
        db.session.rollback()
        assert db.session.query(CouncilMember).count() == 3
