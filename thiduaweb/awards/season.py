"""Award season: bulk steps, one decision (or one tờ trình) for many nominations, Excel import, the
duplicate flag, reward amounts from the dated base salary, the reward fund, amending and revoking
decisions.

Every public function that writes is one unit of work: all or nothing.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import false, select
from sqlalchemy.orm import selectinload

from thiduaweb.awards import rules, workflow
from thiduaweb.awards.models import (GENDERS, NOMINEE_KINDS, OCCUPATION_GROUPS, Award, AwardType, BaseSalary,
                                     Decision, DecisionChange, FundEntry, Nomination, NominationStep, Nominee)
from thiduaweb.core import audit
from thiduaweb.core.clock import today
from thiduaweb.core.tenancy import all_units
from thiduaweb.core.vntext import fold, format_date, format_number, name_sort_key
from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit

HOUSEHOLD_FACTOR = Decimal("1.5")

#: Lương cơ sở in force from each date (loaded with the catalogue; more rows are data, not code).
BASE_SALARIES = [
    (date(2018, 7, 1), 1_390_000, "Nghị định 72/2018/NĐ-CP"),
    (date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    (date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
]


class SeasonError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- Base salary and amounts ------------------------------------------------------------------------

def load_base_salaries() -> None:
    for valid_from, amount, basis in BASE_SALARIES:
        row = db.session.scalar(select(BaseSalary).where(BaseSalary.valid_from == valid_from))
        if row is None:
            db.session.add(BaseSalary(valid_from=valid_from, amount=amount, legal_basis=basis))
    db.session.flush()


def base_salaries() -> list[BaseSalary]:
    return list(db.session.scalars(select(BaseSalary).order_by(BaseSalary.valid_from.desc())))


def base_salary_on(day: date) -> BaseSalary | None:
    return db.session.scalar(select(BaseSalary).where(BaseSalary.valid_from <= day)
                             .order_by(BaseSalary.valid_from.desc()))


def add_base_salary(valid_from: date, amount: int, legal_basis: str) -> BaseSalary:
    if amount is None or amount <= 0:
        raise SeasonError("Mức lương cơ sở phải lớn hơn 0.", "amount")
    if db.session.scalar(select(BaseSalary).where(BaseSalary.valid_from == valid_from)):
        raise SeasonError(f"Đã có mức lương cơ sở từ ngày {format_date(valid_from)}.", "valid_from")
    row = BaseSalary(valid_from=valid_from, amount=amount, legal_basis=(legal_basis or "").strip())
    db.session.add(row)
    db.session.commit()
    return row


def amount_of(award: Award, on: date | None = None) -> int:
    """The reward in đồng: multiple × base salary in force on the decision date; households 1.5×."""
    if award.reward_multiple is None:
        return 0
    return _amount(award, base_salary_on(on or award.decision.decided_on))


def _amount(award: Award, salary: BaseSalary | None) -> int:
    if award.reward_multiple is None or salary is None:
        return 0
    value = Decimal(str(award.reward_multiple)) * salary.amount
    if award.nominee_kind == "household":
        value *= HOUSEHOLD_FACTOR
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def decision_total(decision: Decision, *, include_revoked: bool = False) -> int:
    return sum(amount_of(a, decision.decided_on) for a in decision.awards if include_revoked or not a.revoked_on)


def decision_totals(decisions: list[Decision], *, include_revoked: bool = False) -> dict[int, int]:
    """`decision_total` of many decisions in one go: the base salaries are read once (a short table)."""
    salaries = list(db.session.scalars(select(BaseSalary).order_by(BaseSalary.valid_from.desc())))
    totals = {}
    for decision in decisions:
        salary = next((s for s in salaries if s.valid_from <= decision.decided_on), None)
        totals[decision.id] = sum(_amount(a, salary) for a in decision.awards if include_revoked or not a.revoked_on)
    return totals


def money(value: int) -> str:
    return f"{format_number(value)} đồng"


# --- Decisions --------------------------------------------------------------------------------------

def decisions_query(unit_id: int, year: int | None = None):
    """The decisions list's statement: newest first, each decision's awards loaded in one more statement."""
    stmt = select(Decision).where(Decision.unit_id == unit_id)
    if year and not 1 <= year <= 9999:
        return stmt.where(false())
    if year:
        stmt = stmt.where(Decision.decided_on >= date(year, 1, 1), Decision.decided_on <= date(year, 12, 31))
    return stmt.options(selectinload(Decision.awards)).order_by(Decision.decided_on.desc(), Decision.id.desc())


def decisions(unit_id: int, year: int | None = None) -> list[Decision]:
    return list(db.session.scalars(decisions_query(unit_id, year)))


def changes_of(decision: Decision) -> list[DecisionChange]:
    return list(db.session.scalars(select(DecisionChange).where(
        DecisionChange.decision_id == decision.id, DecisionChange.unit_id == decision.unit_id)
        .order_by(DecisionChange.id)))


def _nominations(unit: Unit, ids) -> list[Nomination]:
    ids = [int(i) for i in dict.fromkeys(ids or [])]
    if not ids:
        raise SeasonError("Chọn ít nhất một đề nghị.", "nomination_ids")
    found = {n.id: n for n in db.session.scalars(select(Nomination).where(Nomination.unit_id == unit.id,
                                                                          Nomination.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise SeasonError("Có đề nghị không thuộc đơn vị.", "nomination_ids")
    return [found[i] for i in ids]


BULK_STEPS = ("submit", "post", "start_appraisal", "decide", "propose", "refuse", "return")


def bulk_apply(unit: Unit, actor, nomination_ids, name: str, *, permissions, data: dict | None = None,
               reason: str | None = None) -> list[Nomination]:
    """Move every selected nomination through one step, or none of them (the first refusal names who)."""
    if name not in BULK_STEPS:
        raise SeasonError("Bước này không làm hàng loạt được.", "step")
    if name == "decide":
        return decide_many(unit, actor, nomination_ids, permissions=permissions, **(data or {}))[1]
    if name == "propose":
        return propose_many(unit, actor, nomination_ids, permissions=permissions, **(data or {}))[1]
    nominations = _nominations(unit, nomination_ids)
    data = dict(data or {})
    try:
        for n in nominations:
            try:
                workflow.apply(n, name, actor, reason, permissions=permissions, data=data, commit=False)
            except workflow.WorkflowError as error:
                raise SeasonError(f"{n.nominee.display_name} ({n.award_type.name}): {error}",
                                  error.field if error.field in ("reason", "posted_from") else None) from None
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return nominations


def decide_many(unit: Unit, actor, nomination_ids, *, permissions, decided_on: date | None = None,
                number: int | None = None, title: str | None = None, **_) -> tuple[Decision, list[Nomination]]:
    """One decision (one number …/QĐ-UBND) listing every selected nomination's awardee. All or nothing."""
    from thiduaweb.core.numbering import NumberTaken, issue_number

    nominations = _nominations(unit, nomination_ids)
    decided_on = decided_on or today()
    try:
        decision = Decision(unit_id=unit.id, number_symbol="", decided_on=decided_on, signer_id=actor.id,
                            signer_name=actor.full_name, title=(title or "").strip() or _decision_title(nominations))
        db.session.add(decision)
        db.session.flush()
        try:
            issued = issue_number(unit.id, "QĐ", decided_on.year, number=number, object_type="Decision",
                                  object_id=decision.id)
        except NumberTaken as error:
            raise SeasonError(str(error), "number") from None
        decision.number_symbol, decision.issued_number_id = issued.symbol, issued.id
        for n in nominations:
            try:
                workflow.apply(n, "decide", actor, permissions=permissions, commit=False,
                               data={"decided_on": decided_on, "decision": decision})
            except workflow.WorkflowError as error:
                raise SeasonError(f"{n.nominee.display_name} ({n.award_type.name}): {error}",
                                  error.field if error.field == "decided_on" else None) from None
        db.session.flush()
        total = decision_total(decision)
        if total:
            db.session.add(FundEntry(unit_id=unit.id, year=decided_on.year, entry_on=decided_on, kind="payment",
                                     amount=total, description=f"Tiền thưởng theo Quyết định {decision.number_symbol}",
                                     decision_id=decision.id, created_by=actor.full_name))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return decision, nominations


def _decision_title(nominations: list[Nomination]) -> str:
    names = list(dict.fromkeys(n.award_type.name for n in nominations))
    years = sorted({n.year for n in nominations})
    year = f" năm {years[0]}" if len(years) == 1 else ""
    return f"Về việc tặng {', '.join(names)}{year}"[:255]


def propose_many(unit: Unit, actor, nomination_ids, *, permissions, proposed_on: date | None = None,
                 number: int | None = None, **_) -> tuple[str, list[Nomination]]:
    """One tờ trình (one number …/TTr-UBND) proposing every selected nomination upward. All or nothing."""
    from thiduaweb.core.numbering import NumberTaken, issue_number

    nominations = _nominations(unit, nomination_ids)
    proposed_on = proposed_on or today()
    try:
        audit.record(db.session, unit_id=unit.id, action="nomination.propose_many", object_type="Nomination",
                     object_id=nominations[0].id, label=f"Tờ trình cho {len(nominations)} đề nghị",
                     changes={"nominations": [n.id for n in nominations]})
        try:
            issued = issue_number(unit.id, "TTr", proposed_on.year, number=number, object_type="Nomination",
                                  object_id=nominations[0].id)
        except NumberTaken as error:
            raise SeasonError(str(error), "number") from None
        for n in nominations:
            try:
                workflow.apply(n, "propose", actor, permissions=permissions, commit=False,
                               data={"proposed_on": proposed_on, "issued": issued})
            except workflow.WorkflowError as error:
                raise SeasonError(f"{n.nominee.display_name} ({n.award_type.name}): {error}") from None
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return issued.symbol, nominations


def proposal_nominations(unit_id: int, symbol: str) -> list[Nomination]:
    rows = db.session.scalars(select(Nomination).where(Nomination.unit_id == unit_id,
                                                       Nomination.proposal_symbol == symbol))
    return sorted(rows, key=lambda n: (n.award_type.position, name_sort_key(n.nominee.name)))


# --- Amend, revoke ----------------------------------------------------------------------------------

def _change_number(unit: Unit, decided_on: date, number: int | None, change_id: int):
    from thiduaweb.core.numbering import NumberTaken, issue_number

    try:
        return issue_number(unit.id, "QĐ", decided_on.year, number=number, object_type="DecisionChange",
                            object_id=change_id)
    except NumberTaken as error:
        raise SeasonError(str(error), "number") from None


def revoke(unit: Unit, actor, decision: Decision, *, award_ids, reason: str, decided_on: date | None = None,
           number: int | None = None) -> DecisionChange:
    """Revoke (thu hồi) some or all awards of a decision by a numbered decision with its reason: they leave
    the public lists and the labour share, stay in the register (struck out) and in history; the money
    to recover is computed and a recovery is expected in the fund."""
    reason = (reason or "").strip()
    if not reason:
        raise SeasonError("Vui lòng nêu lý do thu hồi.", "reason")
    decided_on = decided_on or today()
    if decided_on < decision.decided_on:
        raise SeasonError(f"Ngày thu hồi không thể trước ngày quyết định ({format_date(decision.decided_on)}).",
                          "decided_on")
    live = {a.id: a for a in decision.awards if not a.revoked_on}
    chosen = [live[int(i)] for i in award_ids or [] if int(i) in live]
    if not chosen:
        raise SeasonError("Chọn ít nhất một người, tập thể còn hiệu lực để thu hồi.", "award_ids")
    try:
        change = DecisionChange(unit_id=unit.id, decision_id=decision.id, kind="revoke", number_symbol="",
                                decided_on=decided_on, reason=reason, award_ids=[a.id for a in chosen],
                                actor_name=actor.full_name)
        db.session.add(change)
        db.session.flush()
        issued = _change_number(unit, decided_on, number, change.id)
        change.number_symbol, change.issued_number_id = issued.symbol, issued.id
        to_recover = 0
        for award in chosen:
            to_recover += amount_of(award, decision.decided_on)
            award.revoked_on = decided_on
            award.revoke_reason = f"Quyết định {issued.symbol}: {reason}"[:2000]
            audit.record(db.session, unit_id=unit.id, action="award.revoke", object_type="Award",
                         object_id=award.id, label=award.audit_label, changes={"reason": reason,
                                                                               "by": issued.symbol})
            if award.nomination_id:
                db.session.add(NominationStep(unit_id=unit.id, nomination_id=award.nomination_id,
                                              transition="revoke", from_state="awarded", to_state="awarded",
                                              actor_id=actor.id, actor_name=actor.full_name, reason=reason,
                                              data={"decision": issued.symbol}))
        change.amount_to_recover = to_recover
        change.changes = {"names": [a.nominee_name for a in chosen]}
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return change


AMENDABLE = {"nominee_name": "Họ và tên, tên tập thể", "body_name": "Thôn, xóm, cơ quan"}


def amend(unit: Unit, actor, decision: Decision, *, reason: str, title: str | None = None,
          corrections: dict[int, dict], decided_on: date | None = None, number: int | None = None) -> DecisionChange:
    """Amend (đính chính) a decision: its title or an awardee's name or body, by a numbered decision with
    its reason; the old values stay in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise SeasonError("Vui lòng nêu lý do sửa đổi.", "reason")
    decided_on = decided_on or today()
    if decided_on < decision.decided_on:
        raise SeasonError(f"Ngày sửa đổi không thể trước ngày quyết định ({format_date(decision.decided_on)}).",
                          "decided_on")
    awards = {a.id: a for a in decision.awards}
    diff: dict = {}
    new_title = " ".join((title or "").split())
    if new_title and new_title != decision.title:
        diff["title"] = [decision.title, new_title[:255]]
    for award_id, values in corrections.items():
        award = awards.get(int(award_id))
        if award is None:
            raise SeasonError("Người, tập thể không có trong quyết định.")
        for key, value in values.items():
            value = " ".join((value or "").split())
            if key not in AMENDABLE or value == (getattr(award, key) or ""):
                continue
            if key == "nominee_name" and not value:
                raise SeasonError("Họ và tên không được để trống.", f"name_{award.id}")
            diff.setdefault(str(award.id), {})[key] = [getattr(award, key), value[:160] or None]
    if not diff:
        raise SeasonError("Không có nội dung nào thay đổi.", "reason")
    try:
        change = DecisionChange(unit_id=unit.id, decision_id=decision.id, kind="amend", number_symbol="",
                                decided_on=decided_on, reason=reason, changes=diff, actor_name=actor.full_name,
                                award_ids=[int(k) for k in diff if k != "title"])
        db.session.add(change)
        db.session.flush()
        issued = _change_number(unit, decided_on, number, change.id)
        change.number_symbol, change.issued_number_id = issued.symbol, issued.id
        if "title" in diff:
            decision.title = diff["title"][1]
        for key, values in diff.items():
            if key == "title":
                continue
            for column, (_, new) in values.items():
                setattr(awards[int(key)], column, new)
        audit.record(db.session, unit_id=unit.id, action="decision.amend", object_type="Decision",
                     object_id=decision.id, label=decision.number_symbol, changes={"by": issued.symbol, **diff})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return change


# --- The reward fund ----------------------------------------------------------------------------------

@dataclass
class FundYear:
    year: int
    income: int = 0
    paid: int = 0
    recovered: int = 0
    decided: int = 0
    to_recover: int = 0
    opening: int = 0
    entries: list = field(default_factory=list)
    per_decision: list = field(default_factory=list)

    @property
    def balance(self) -> int:
        return self.opening + self.income + self.recovered - self.paid

    @property
    def unpaid(self) -> int:
        """Rewards decided this year not yet paid from the fund."""
        return max(self.decided - self.paid, 0)

    @property
    def short(self) -> bool:
        return self.balance - self.unpaid < 0


def fund_entries_query(unit_id: int, year: int | None = None):
    """The fund book's statement: a unit's entries (of one year, or of every year), in date order."""
    stmt = select(FundEntry).where(FundEntry.unit_id == unit_id)
    if year is not None:
        stmt = stmt.where(FundEntry.year == year)
    return stmt.order_by(FundEntry.entry_on, FundEntry.id)


def fund_year(unit_id: int, year: int) -> FundYear:
    entries = list(db.session.scalars(fund_entries_query(unit_id)))
    summary = FundYear(year)
    for e in entries:
        if e.year < year:
            summary.opening += e.signed_amount
        elif e.year == year:
            summary.entries.append(e)
            if e.kind == "income":
                summary.income += e.amount
            elif e.kind == "payment":
                summary.paid += e.amount
            else:
                summary.recovered += e.amount
    year_decisions = decisions(unit_id, year)
    totals, gross = decision_totals(year_decisions), decision_totals(year_decisions, include_revoked=True)
    for d in year_decisions:
        total = totals[d.id]
        summary.decided += total
        summary.per_decision.append((d, total, gross[d.id] - total))
    for change in db.session.scalars(select(DecisionChange).where(DecisionChange.unit_id == unit_id,
                                                                  DecisionChange.kind == "revoke")):
        if change.decided_on.year == year:
            summary.to_recover += change.amount_to_recover
    return summary


def add_fund_entry(unit: Unit, actor, *, entry_on: date, kind: str, amount: int, description: str,
                   decision_id: int | None = None) -> FundEntry:
    if kind not in ("income", "payment", "recovery"):
        raise SeasonError("Chọn loại thu, chi.", "kind")
    if amount is None or amount <= 0:
        raise SeasonError("Số tiền phải lớn hơn 0.", "amount")
    if decision_id is not None:
        decision = db.session.get(Decision, decision_id)
        if decision is None:
            raise SeasonError("Quyết định không thuộc đơn vị.", "decision_id")
    entry = FundEntry(unit_id=unit.id, year=entry_on.year, entry_on=entry_on, kind=kind, amount=amount,
                      description=" ".join((description or "").split())[:255], decision_id=decision_id,
                      created_by=actor.full_name)
    db.session.add(entry)
    db.session.commit()
    return entry


# --- Duplicates ----------------------------------------------------------------------------------------

def _person_key(nominee: Nominee) -> tuple:
    return (nominee.kind, nominee.name_folded, nominee.birth_year)


def duplicates_of(nomination: Nomination) -> list[tuple[Nomination, Unit]]:
    """Other live nominations of the same person (same name folded, kind and birth year, or the same
    lineage) for the same title and year, in this commune or any other. Read across units on purpose."""
    nominee = nomination.nominee
    code = nomination.award_type.code
    live = (*rules.PENDING_STATES, "draft", "awarded")
    stmt = (select(Nomination, Nominee).join(Nominee, (Nominee.id == Nomination.nominee_id)
                                             & (Nominee.unit_id == Nomination.unit_id))
            .join(AwardType, AwardType.id == Nomination.award_type_id)
            .where(AwardType.code == code, Nomination.year == nomination.year, Nomination.id != nomination.id,
                   Nomination.state.in_(live), Nominee.kind == nominee.kind,
                   (Nominee.name_folded == nominee.name_folded) | (Nominee.lineage_key == nominee.lineage_key)))
    found = []
    for other, other_nominee in db.session.execute(all_units(stmt)):
        if rules._same_chain(other, nomination):
            continue
        if other_nominee.lineage_key != nominee.lineage_key and (
                nominee.birth_year and other_nominee.birth_year and nominee.birth_year != other_nominee.birth_year):
            continue
        found.append(other)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({n.unit_id for n in found})))}
    return [(n, units[n.unit_id]) for n in found]


def flagged(unit_id: int, year: int) -> list[tuple[Nomination, list]]:
    rows = db.session.scalars(select(Nomination).where(Nomination.unit_id == unit_id, Nomination.year == year,
                                                       Nomination.state.not_in(("refused",))))
    result = []
    for n in rows:
        dups = duplicates_of(n)
        if dups:
            result.append((n, dups))
    return sorted(result, key=lambda p: name_sort_key(p[0].nominee.name))


# --- Excel import -----------------------------------------------------------------------------------

COLUMNS = {
    "name": "Họ và tên",
    "kind": "Loại",
    "gender": "Giới tính",
    "birth": "Ngày sinh hoặc năm sinh",
    "position": "Chức vụ, nghề nghiệp",
    "body": "Thôn, xóm, cơ quan",
    "occupation": "Nhóm đối tượng",
    "award": "Danh hiệu, hình thức",
    "year": "Năm",
    "achievements": "Tóm tắt thành tích",
}
REQUIRED_COLUMNS = ("name", "kind", "award", "year", "achievements")
MAX_ROWS = 2000


@dataclass
class ImportRow:
    line: int
    name: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    problem: str | None = None
    imported: int = 0

    @property
    def refused(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.refused and bool(self.rows)


def template_rows() -> list[list]:
    return [["Nguyễn Văn A", "Cá nhân", "Nam", "15/03/1980", "Nông dân", "Xóm Cây Thị", "Nông dân",
             "Lao động tiên tiến", today().year, "Hoàn thành xuất sắc nhiệm vụ"]]


def _labels(mapping: dict) -> dict[str, str]:
    return {fold(v): k for k, v in mapping.items()} | {fold(k): k for k in mapping}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _header(sheet) -> tuple[int, dict[str, int]] | None:
    wanted = {fold(v): k for k, v in COLUMNS.items()}
    for index, row in enumerate(sheet.iter_rows(min_row=1, max_row=6, values_only=True), start=1):
        found = {wanted[fold(_cell(v))]: col for col, v in enumerate(row) if fold(_cell(v)) in wanted}
        if "name" in found:
            return index, found
    return None


def _birth(value, row: ImportRow) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        born = value
    else:
        text = _cell(value)
        if text.isdigit() and len(text) == 4:
            born = date(int(text), 1, 1)
        else:
            try:
                day, month, year = (int(p) for p in text.replace("-", "/").split("/"))
                born = date(year, month, day)
            except (ValueError, TypeError):
                row.errors.append(f"Ngày sinh “{text}” không phải một ngày có thật (nhập ngày/tháng/năm).")
                return None
    if not 1900 <= born.year or born > today():
        row.errors.append(f"Ngày sinh {format_date(born)} không hợp lệ (phải sau năm 1900 và không ở tương lai).")
        return None
    return born.year


def read_workbook(unit: Unit, data: bytes) -> ImportReport:
    """Check every row; nothing is written here."""
    from openpyxl import load_workbook

    report = ImportReport()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same answer
        report.problem = "Không đọc được tệp: chỉ nhận tệp Excel .xlsx (lưu lại bằng Excel hoặc LibreOffice)."
        return report
    sheet = workbook.worksheets[0]
    found = _header(sheet)
    if found is None:
        report.problem = f"Không thấy dòng tiêu đề: cần có cột “{COLUMNS['name']}” trong 6 dòng đầu."
        return report
    header_row, columns = found
    missing = [COLUMNS[c] for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        report.problem = "Thiếu cột: " + ", ".join(f"“{m}”" for m in missing) + "."
        return report
    kinds, genders, groups = _labels(NOMINEE_KINDS), _labels(GENDERS), _labels(OCCUPATION_GROUPS)
    bodies = {fold(b.name): b for b in db.session.scalars(select(Body).where(Body.unit_id == unit.id))}
    seen: dict[tuple, int] = {}
    for line, values in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        get = lambda key: values[columns[key]] if key in columns and columns[key] < len(values) else None  # noqa
        if all(_cell(v) == "" for v in values):
            continue
        if len(report.rows) >= MAX_ROWS:
            report.problem = f"Tệp có quá {MAX_ROWS} dòng: chia thành nhiều tệp."
            return report
        row = ImportRow(line, _cell(get("name")))
        report.rows.append(row)
        if not row.name:
            row.errors.append("Thiếu họ và tên.")
        elif len(row.name) > 160:
            row.errors.append("Họ và tên dài quá 160 ký tự.")
        kind = kinds.get(fold(_cell(get("kind"))))
        if kind is None:
            row.errors.append(f"Loại “{_cell(get('kind'))}” không hợp lệ (Cá nhân, Tập thể, Hộ gia đình).")
        gender = genders.get(fold(_cell(get("gender")))) if _cell(get("gender")) else None
        if _cell(get("gender")) and gender is None:
            row.errors.append(f"Giới tính “{_cell(get('gender'))}” không hợp lệ (Nam, Nữ).")
        group = groups.get(fold(_cell(get("occupation")))) if _cell(get("occupation")) else None
        if _cell(get("occupation")) and group is None:
            row.errors.append(f"Nhóm đối tượng “{_cell(get('occupation'))}” không có trong danh mục.")
        if kind == "person" and not group and not _cell(get("occupation")):
            row.errors.append("Cá nhân cần có nhóm đối tượng (để tính tỷ lệ người lao động trực tiếp).")
        birth_year = _birth(get("birth"), row)
        body = None
        if _cell(get("body")):
            body = bodies.get(fold(_cell(get("body"))))
            if body is None:
                row.errors.append(f"Thôn, xóm, cơ quan “{_cell(get('body'))}” không có trong danh mục của đơn vị.")
        year_text = _cell(get("year"))
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not 2000 <= year <= today().year + 1:
            row.errors.append(f"Năm “{year_text}” không hợp lệ (từ 2000 đến {today().year + 1}).")
        achievements = _cell(get("achievements"))
        if not achievements:
            row.errors.append("Thiếu tóm tắt thành tích.")
        award = None
        if year is not None and 2000 <= year:
            award = _award_named(_cell(get("award")), rules.judged_on_for(year, today()), row)
            if award and kind and kind not in award.kinds:
                row.errors.append(f"{award.name} chỉ xét tặng cho {award.applies_to_label.lower()}.")
        if row.errors:
            continue
        key = (kind, fold(row.name), birth_year, award.code, year)
        if key in seen:
            row.errors.append(f"Trùng với dòng {seen[key]} của tệp.")
            continue
        seen[key] = line
        row.data = {"kind": kind, "name": row.name, "gender": gender if kind != "collective" else None,
                    "birth_year": birth_year if kind == "person" else None, "position": _cell(get("position")) or None,
                    "body_id": body.id if body else None, "occupation_group": group, "award": award, "year": year,
                    "achievements": achievements[:5000]}
    if not report.rows:
        report.problem = "Tệp không có dòng dữ liệu nào."
    return report


def _award_named(text: str, judged_on: date, row: ImportRow) -> AwardType | None:
    if not text:
        row.errors.append("Thiếu danh hiệu, hình thức.")
        return None
    try:
        types = rules.award_types_on(judged_on)
    except rules.RulesError as error:
        row.errors.append(str(error))
        return None
    wanted = fold(text)
    award = next((a for a in types if fold(a.name) == wanted or a.code == text.strip()), None)
    if award is None:
        row.errors.append(f"Danh hiệu, hình thức “{text}” không có trong quy định hiện hành.")
    return award


def import_nominations(unit: Unit, actor, data: bytes) -> ImportReport:
    """Create the nominees (or reuse the unit's record of the same person) and draft nominations of every
    row; if any row is refused, nothing is written and the report says why, row by row."""
    from thiduaweb.awards import services

    report = read_workbook(unit, data)
    if not report.ok:
        return report
    try:
        for row in report.rows:
            d = row.data
            nominee = db.session.scalar(select(Nominee).where(
                Nominee.unit_id == unit.id, Nominee.kind == d["kind"], Nominee.name_folded == fold(d["name"]),
                Nominee.birth_year.is_(None) if d["birth_year"] is None else Nominee.birth_year == d["birth_year"]))
            if nominee is None:
                nominee = Nominee(unit_id=unit.id, kind=d["kind"], name=d["name"], name_folded=fold(d["name"]),
                                  gender=d["gender"], birth_year=d["birth_year"], position=d["position"],
                                  body_id=d["body_id"], occupation_group=d["occupation_group"])
                db.session.add(nominee)
                db.session.flush()
                nominee.lineage_key, nominee.origin_unit_id = f"{unit.id}:{nominee.id}", unit.id
            award, year = d["award"], d["year"]
            try:
                services._check_duplicate(nominee, award, year)
            except services.AwardsError as error:
                row.errors.append(str(error))
                continue
            nomination = Nomination(unit_id=unit.id, nominee_id=nominee.id, award_type_id=award.id, year=year,
                                    judged_on=rules.judged_on_for(year, today()), state="draft",
                                    achievements=d["achievements"], created_by=actor.full_name)
            db.session.add(nomination)
            db.session.flush()
            db.session.add(NominationStep(unit_id=unit.id, nomination_id=nomination.id, transition="create",
                                          from_state="", to_state="draft", actor_id=actor.id,
                                          actor_name=actor.full_name, reason="Nhập từ tệp Excel"))
            db.session.flush()
            for other, other_unit in duplicates_of(nomination):
                row.warnings.append(f"Trùng đề nghị {other.award_type.name} năm {other.year} tại {other_unit.name} "
                                    f"({other.state_label.lower()}).")
        if report.refused:
            db.session.rollback()
            return report
        report.imported = len(report.rows)
        audit.record(db.session, unit_id=unit.id, action="nomination.import", object_type="Nomination",
                     object_id=None, label="Nhập danh sách đề nghị từ Excel", changes={"rows": report.imported})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
