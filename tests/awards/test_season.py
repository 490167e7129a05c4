"""Award season: one decision for many, amounts from the dated base salary, the decision .docx read back,
Excel import all-or-nothing with a row-by-row report, bulk steps all-or-nothing, duplicates across communes,
revocation, the fund, numbering without gaps or duplicates."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import Workbook

from tests.awards.conftest import ALL, advance, make_nomination, make_nominee
from thiduaweb.awards import paperwork, season, services
from thiduaweb.awards.models import Award, Decision, FundEntry, Nomination, Nominee
from thiduaweb.core.documents import build_docx
from thiduaweb.core.numbering import IssuedNumber
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db


def _appraised(law, names, code="giay_khen", kind="person"):
    made = []
    for name in names:
        n = make_nomination(law.a, make_nominee(law.a, name, kind=kind), code)
        advance(n, "appraised", law.users["officer_a"])
        made.append(n)
    return made


@pytest.mark.parametrize("decided_on,base", [(date(2019, 6, 30), 1_390_000), (date(2019, 7, 1), 1_490_000),
                                             (date(2023, 6, 30), 1_490_000), (date(2023, 7, 1), 1_800_000),
                                             (date(2024, 7, 1), 2_340_000)])
def test_base_salary_in_force_on_the_decision_date(law, decided_on, base):
    assert season.base_salary_on(decided_on).amount == base


def test_one_decision_for_many_awardees_with_amounts_and_the_docx_read_back(law):
    unit, chairman = law.a, law.users["chairman_a"]
    people = _appraised(law, ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Mai"])
    household = _appraised(law, ["Phạm Văn Đức"], kind="household")
    with unit_scope({unit.id}):
        decision, moved = season.decide_many(unit, chairman, [n.id for n in people + household], permissions=ALL,
                                             decided_on=date(2021, 12, 16))
        assert decision.number_symbol == "01/QĐ-UBND" and len(decision.awards) == 4
        assert {n.state for n in moved} == {"awarded"} and {n.decision_id for n in moved} == {decision.id}
        amounts = {a.nominee_name: season.amount_of(a) for a in decision.awards}
        # Giấy khen 0.3 × 1,490,000 = 447,000; a household 1.5× = 670,500
        assert amounts["Nguyễn Thị Hoa"] == 447_000 and amounts["Hộ ông Phạm Văn Đức"] == 670_500
        assert season.decision_total(decision) == 3 * 447_000 + 670_500
        payment = db.session.query(FundEntry).one()
        assert payment.kind == "payment" and payment.amount == season.decision_total(decision)
        document = Document(io.BytesIO(build_docx(paperwork.decision_document(decision))))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
        assert "Số: 01/QĐ-UBND" in [c for row in cells for c in row]
        assert "QUYẾT ĐỊNH:" in text and "Tổng số tiền thưởng: 2.011.500 đồng" in text
        annex = {row[1]: row for row in cells if len(row) == 5 and row[0].isdigit()}
        assert set(annex) == {"Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Mai", "Hộ ông Phạm Văn Đức"}
        assert annex["Nguyễn Thị Hoa"][4] == "447.000" and annex["Hộ ông Phạm Văn Đức"][4] == "670.500"
        assert ["", "Tổng cộng", "", "", "2.011.500"] in cells


def test_a_bulk_decision_is_all_or_nothing(law):
    unit, chairman = law.a, law.users["chairman_a"]
    ready = _appraised(law, ["Nguyễn Thị Hoa", "Trần Văn Bình"])
    not_ready = make_nomination(unit, make_nominee(unit, "Lê Thị Mai"), "giay_khen")
    advance(not_ready, "appraisal", law.users["officer_a"])
    with unit_scope({unit.id}):
        with pytest.raises(season.SeasonError, match="Lê Thị Mai"):
            season.decide_many(unit, chairman, [n.id for n in ready + [not_ready]], permissions=ALL,
                               decided_on=date(2021, 12, 16))
        db.session.expire_all()
        assert db.session.query(Decision).count() == 0 and db.session.query(Award).count() == 0
        assert db.session.query(IssuedNumber).count() == 0
        assert {n.state for n in ready} == {"appraised"}
        # the number freed by the refusal is the next one issued: no gap
        decision, _ = season.decide_many(unit, chairman, [n.id for n in ready], permissions=ALL,
                                         decided_on=date(2021, 12, 16))
        assert decision.number_symbol == "01/QĐ-UBND"


def test_a_bulk_step_is_all_or_nothing(law):
    unit, officer = law.a, law.users["officer_a"]
    drafts = [make_nomination(unit, make_nominee(unit, f"Người {i}"), "giay_khen") for i in range(3)]
    with unit_scope({unit.id}):
        drafts[2].achievements = ""
        db.session.commit()
        with pytest.raises(season.SeasonError, match="Người 2"):
            season.bulk_apply(unit, officer, [n.id for n in drafts], "submit", permissions=ALL)
        db.session.expire_all()
        assert {n.state for n in drafts} == {"draft"}
        season.bulk_apply(unit, officer, [n.id for n in drafts[:2]], "submit", permissions=ALL)
        assert [n.state for n in drafts] == ["submitted", "submitted", "draft"]
        with pytest.raises(season.SeasonError, match="không làm hàng loạt"):
            season.bulk_apply(unit, officer, [drafts[0].id], "record_vote", permissions=ALL)


def test_one_proposal_lists_many_and_its_docx(law):
    unit, chairman = law.a, law.users["chairman_a"]
    from tests.awards.conftest import give_award

    people = []
    for name in ("Nguyễn Thị Hoa", "Trần Văn Bình"):
        nominee = make_nominee(unit, name)
        give_award(unit, nominee, "ldtt", 2021)
        n = make_nomination(unit, nominee, "cstdcs", initiative="Sáng kiến")
        people.append(n)
    for i in range(12):
        give_award(unit, make_nominee(unit, f"LĐTT {i}"), "ldtt", 2021)
    for n in people:
        advance(n, "appraised", law.users["officer_a"])
    with unit_scope({unit.id}):
        symbol, moved = season.propose_many(unit, chairman, [n.id for n in people], permissions=ALL,
                                            proposed_on=date(2021, 12, 16))
        assert symbol == "01/TTr-UBND" and {n.proposal_symbol for n in moved} == {symbol}
        listed = season.proposal_nominations(unit.id, symbol)
        document = Document(io.BytesIO(build_docx(paperwork.proposal_document(unit, symbol, listed))))
        names = {row.cells[1].text for t in document.tables for row in t.rows}
        assert {"Nguyễn Thị Hoa", "Trần Văn Bình"} <= names
    with unit_scope({law.city.id}):
        assert len(services.incoming_queue(law.city.id)) == 2


def _xlsx(rows, header=None):
    wb = Workbook()
    ws = wb.active
    ws.append(["Danh sách đề nghị khen thưởng"])
    ws.append(header or list(season.COLUMNS.values()))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = ["Nguyễn Văn Mới", "Cá nhân", "Nam", "15/03/1980", "Nông dân", "", "Nông dân", "Giấy khen của Chủ tịch UBND",
        2021, "Hoàn thành xuất sắc nhiệm vụ"]


def test_import_refuses_bad_rows_with_reasons_and_keeps_none(law):
    unit, officer = law.a, law.users["officer_a"]
    bad_date = GOOD[:3] + ["31/02/1980"] + GOOD[4:]
    bad_kind = ["Trần Thị B", "Tổ chức"] + GOOD[2:]
    bad_award = ["Lê Văn C"] + GOOD[1:7] + ["Huân chương X"] + GOOD[8:]
    future = ["Đỗ Văn D"] + GOOD[1:3] + ["01/01/2099"] + GOOD[4:]
    with unit_scope({unit.id}):
        report = season.import_nominations(unit, officer, _xlsx([GOOD, bad_date, bad_kind, bad_award, future, GOOD]))
        assert report.imported == 0 and not report.ok
        by_line = {r.line: r.errors for r in report.rows}
        assert by_line[3] == []
        assert "không phải một ngày có thật" in by_line[4][0]
        assert "Loại “Tổ chức” không hợp lệ" in by_line[5][0]
        assert "“Huân chương X” không có" in by_line[6][0]
        assert "không ở tương lai" in by_line[7][0]
        assert "Trùng với dòng 3" in by_line[8][0]
        assert db.session.query(Nomination).count() == 0 and db.session.query(Nominee).count() == 0


def test_import_missing_columns_and_unreadable_files(law):
    unit, officer = law.a, law.users["officer_a"]
    with unit_scope({unit.id}):
        report = season.import_nominations(unit, officer, _xlsx([GOOD[:2]], header=["Họ và tên", "Loại"]))
        assert report.problem.startswith("Thiếu cột:") and "“Danh hiệu, hình thức”" in report.problem
        assert season.import_nominations(unit, officer, b"not an excel file").problem.startswith("Không đọc được")


def test_import_creates_nominees_and_drafts_and_flags_duplicates_across_communes(law):
    a, b, officer = law.a, law.b, law.users["officer_a"]
    other = make_nominee(b, "Nguyễn Văn Mới", birth_year=1980)
    make_nomination(b, other, "giay_khen")
    household = ["Bùi Thị Hạnh", "Hộ gia đình", "Nữ", "", "", "", "", "Giấy khen của Chủ tịch UBND", 2021,
                 "Gia đình gương mẫu"]
    with unit_scope({a.id}):
        report = season.import_nominations(a, officer, _xlsx([GOOD, household]))
        assert report.ok and report.imported == 2
        assert "Tân Cương" in " ".join(report.rows[0].warnings)
        nominations = db.session.query(Nomination).all()
        assert {n.state for n in nominations} == {"draft"} and len(nominations) == 2
        mine = next(n for n in nominations if n.nominee.name == "Nguyễn Văn Mới")
        assert [u.id for _, u in season.duplicates_of(mine)] == [b.id]
        assert season.flagged(a.id, 2021)[0][0].id == mine.id
        # the same file again: the nominees are reused, the nominations refused as duplicates; nothing kept
        again = season.import_nominations(a, officer, _xlsx([GOOD]))
        assert again.imported == 0 and "đã có đề nghị" in again.rows[0].errors[0]
        assert db.session.query(Nominee).count() == 2


def test_revocation_leaves_the_public_list_keeps_history_and_shows_the_money(law):
    unit, chairman = law.a, law.users["chairman_a"]
    people = _appraised(law, ["Nguyễn Thị Hoa", "Trần Văn Bình"])
    with unit_scope({unit.id}):
        decision, _ = season.decide_many(unit, chairman, [n.id for n in people], permissions=ALL,
                                         decided_on=date(2021, 12, 16))
        award = next(a for a in decision.awards if a.nominee_name == "Trần Văn Bình")
        with pytest.raises(season.SeasonError, match="lý do"):
            season.revoke(unit, chairman, decision, award_ids=[award.id], reason=" ")
        change = season.revoke(unit, chairman, decision, award_ids=[award.id], reason="Khai man thành tích",
                               decided_on=date(2021, 12, 28))
        assert change.number_symbol == "02/QĐ-UBND" and change.amount_to_recover == 447_000
        assert [a.nominee_name for a in services.public_awards(unit.id)] == ["Nguyễn Thị Hoa"]
        register = services.register(unit.id, year=2021)
        assert {a.nominee_name for a in register} == {"Nguyễn Thị Hoa", "Trần Văn Bình"}
        assert next(a for a in register if a.revoked_on).revoke_reason.startswith("Quyết định 02/QĐ-UBND")
        assert season.decision_total(decision) == 447_000
        assert season.fund_year(unit.id, 2021).to_recover == 447_000
        assert any(s.transition == "revoke" for s in services.history(people[1]))
        doc = Document(io.BytesIO(build_docx(paperwork.change_document(decision, change))))
        assert "Khai man thành tích" in "\n".join(p.text for p in doc.paragraphs)
        with pytest.raises(season.SeasonError, match="còn hiệu lực"):
            season.revoke(unit, chairman, decision, award_ids=[award.id], reason="Lần nữa")


def test_amendment_keeps_the_old_values(law):
    unit, chairman = law.a, law.users["chairman_a"]
    people = _appraised(law, ["Nguyen Thi Hoa"])
    with unit_scope({unit.id}):
        decision, _ = season.decide_many(unit, chairman, [people[0].id], permissions=ALL, decided_on=date(2021, 12, 16))
        award = decision.awards[0]
        change = season.amend(unit, chairman, decision, reason="Sai chính tả họ tên",
                              corrections={award.id: {"nominee_name": "Nguyễn Thị Hoa"}})
        assert award.nominee_name == "Nguyễn Thị Hoa"
        assert change.changes[str(award.id)]["nominee_name"] == ["Nguyen Thi Hoa", "Nguyễn Thị Hoa"]
        with pytest.raises(season.SeasonError, match="Không có nội dung"):
            season.amend(unit, chairman, decision, reason="x", corrections={})


def test_fund_income_payments_and_balance(law):
    unit, officer, chairman = law.a, law.users["officer_a"], law.users["chairman_a"]
    people = _appraised(law, ["Nguyễn Thị Hoa"])
    with unit_scope({unit.id}):
        season.add_fund_entry(unit, officer, entry_on=date(2020, 12, 1), kind="income", amount=1_000_000,
                              description="Tồn năm trước")
        season.add_fund_entry(unit, officer, entry_on=date(2021, 1, 15), kind="income", amount=5_000_000,
                              description="Ngân sách trích lập")
        season.decide_many(unit, chairman, [people[0].id], permissions=ALL, decided_on=date(2021, 12, 16))
        summary = season.fund_year(unit.id, 2021)
        assert (summary.opening, summary.income, summary.paid, summary.decided) == (1_000_000, 5_000_000, 447_000,
                                                                                     447_000)
        assert summary.balance == 5_553_000 and not summary.short
        with pytest.raises(season.SeasonError, match="lớn hơn 0"):
            season.add_fund_entry(unit, officer, entry_on=date(2021, 1, 1), kind="income", amount=0, description="x")


def test_certificates_one_page_each_at_the_unit_positions(law):
    unit, chairman = law.a, law.users["chairman_a"]
    people = _appraised(law, ["Nguyễn Thị Hoa", "Trần Văn Bình"])
    with unit_scope({unit.id}):
        decision, _ = season.decide_many(unit, chairman, [n.id for n in people], permissions=ALL,
                                         decided_on=date(2021, 12, 16))
        data = {"page_width_mm": 297, "page_height_mm": 210, "print_labels": False}
        for key, (_, x, y, size) in paperwork.CERTIFICATE_FIELDS.items():
            data.update({f"{key}_x": x, f"{key}_y": y, f"{key}_size": size})
        data["name_y"] = 101
        paperwork.save_layout(unit, data)
        document = Document(io.BytesIO(paperwork.certificates_docx(decision.awards, paperwork.layout_for(unit.id))))
        texts = [p.text for p in document.paragraphs]
        assert "Nguyễn Thị Hoa" in texts and "Trần Văn Bình" in texts and texts.count("GIẤY KHEN") == 2
        frame = next(p for p in document.paragraphs if p.text == "Nguyễn Thị Hoa")._p.pPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}framePr")
        assert frame is not None and int(frame.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}y")) == Mm(101).twips
        data["name_y"] = 400
        with pytest.raises(season.SeasonError, match="vượt quá khổ giấy"):
            paperwork.save_layout(unit, data)


def test_numbers_are_sequential_and_a_taken_number_is_refused(law):
    unit, chairman = law.a, law.users["chairman_a"]
    people = _appraised(law, ["A", "B", "C"])
    with unit_scope({unit.id}):
        first, _ = season.decide_many(unit, chairman, [people[0].id], permissions=ALL, decided_on=date(2021, 12, 16))
        with pytest.raises(season.SeasonError, match="01/QĐ-UBND năm 2021 đã được dùng") as caught:
            season.decide_many(unit, chairman, [people[1].id], permissions=ALL, decided_on=date(2021, 12, 16),
                               number=1)
        assert caught.value.field == "number"
        second, _ = season.decide_many(unit, chairman, [people[1].id, people[2].id], permissions=ALL,
                                       decided_on=date(2021, 12, 17))
        numbers = sorted(n.number for n in db.session.query(IssuedNumber).filter_by(doc_type="QĐ"))
        assert (first.number_symbol, second.number_symbol, numbers) == ("01/QĐ-UBND", "02/QĐ-UBND", [1, 2])


@pytest.mark.postgres_only
def test_concurrent_issuing_never_duplicates(app, law):
    """Two connections take the next QĐ number at once (PostgreSQL): one wins, the other is told so."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Cần PostgreSQL (TEST_DATABASE_URL) để thử cấp số đồng thời.")
    import threading

    from thiduaweb.core.numbering import NumberTaken, issue_number

    results, barrier = [], threading.Barrier(4, timeout=15)
    unit_id = law.a.id  # read here: the test's objects belong to the test's own session

    def worker():
        with app.app_context():
            with unit_scope({unit_id}):
                barrier.wait()
                try:
                    issued = issue_number(unit_id, "QĐ", 2021)
                    db.session.commit()
                    results.append(issued.number)
                except NumberTaken:
                    db.session.rollback()
                    results.append(None)
                finally:
                    db.session.remove()

    # Every writer takes the audit chain's head row: the test's own transaction must be closed
    # first, or the workers would wait on it.
    db.session.commit()
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "cấp số đồng thời bị treo"
    issued = [r for r in results if r is not None]
    assert len(issued) == len(set(issued)) >= 1
    with unit_scope({unit_id}):
        stored = [n.number for n in db.session.query(IssuedNumber).filter_by(doc_type="QĐ")]
    assert sorted(stored) == sorted(issued) and len(stored) == len(set(stored))
