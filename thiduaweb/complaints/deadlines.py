"""The deadline engine: which rule is in force, and the last day of a period.

The rules are rows (`DeadlineRule`), loaded from `RULES` below by `ensure_rules()` (the
migration, the demo and the tests call it). A new law is a new block of rows with its
effective period: the engine picks the row in force on the day the period starts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from thiduaweb.complaints.models import ComplaintSetting, DayOff, DeadlineRule
from thiduaweb.core import calendar
from thiduaweb.core.tenancy import all_units
from thiduaweb.extensions import db

#: Luật 136/2025/QH15 amends the Luật Khiếu nại, Luật Tố cáo and Luật Tiếp công dân from this day.
LAW_2025_FROM = date(2026, 7, 1)
OLD_TO = date(2026, 6, 30)
EPOCH = date(2019, 1, 1)

_KN_OLD = "Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)"
_KN_NEW = "Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15"
_TC_OLD = "Luật Tố cáo 25/2018/QH14"
_TC_NEW = "Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15"
_TT05 = "Thông tư 05/2021/TT-TTCP"

# kind, instance, stage, variant, days, counting, max_extensions, article
_TABLE = [
    ("complaint", 1, "accept", "normal", 10, "calendar", 0, "Điều 27"),
    ("complaint", 1, "resolve", "normal", 30, "calendar", 0, "khoản 1 Điều 28"),
    ("complaint", 1, "resolve", "complex", 45, "calendar", 0, "khoản 1 Điều 28"),
    ("complaint", 1, "resolve", "remote", 45, "calendar", 0, "khoản 2 Điều 28"),
    ("complaint", 1, "resolve", "remote_complex", 60, "calendar", 0, "khoản 2 Điều 28"),
    ("complaint", 1, "appeal", "normal", 30, "calendar", 0, "Điều 33"),
    ("complaint", 1, "appeal", "remote", 45, "calendar", 0, "Điều 33"),
    ("complaint", 2, "accept", "normal", 10, "calendar", 0, "Điều 36"),
    ("complaint", 2, "resolve", "normal", 45, "calendar", 0, "khoản 1 Điều 37"),
    ("complaint", 2, "resolve", "complex", 60, "calendar", 0, "khoản 1 Điều 37"),
    ("complaint", 2, "resolve", "remote", 60, "calendar", 0, "khoản 2 Điều 37"),
    ("complaint", 2, "resolve", "remote_complex", 70, "calendar", 0, "khoản 2 Điều 37"),
    ("denunciation", 1, "accept", "normal", 7, "working", 0, "khoản 1 Điều 24"),
    ("denunciation", 1, "accept", "several_places", 10, "working", 0, "khoản 1 Điều 24"),
    ("denunciation", 1, "notify", "normal", 5, "working", 0, "khoản 2 Điều 29"),
    ("denunciation", 1, "resolve", "normal", 30, "calendar", 0, "khoản 1 Điều 30"),
    ("denunciation", 1, "extend", "normal", 30, "calendar", 2, "khoản 1 Điều 30"),
]
_TT07 = "Thông tư 07/2014/TT-TTCP"
TT05_FROM = date(2021, 11, 15)
# kind, stage, days, citation, regulation, from, to: a service level the law leaves open.
_SERVICE_LEVEL = [
    (kind, "process", 10, f"Điều 6 {_TT07}", _TT07, EPOCH, date(2021, 11, 14)) for kind in ("petition", "report")
] + [
    (kind, "process", 10, f"Điều 5 {_TT05}", _TT05, TT05_FROM, None) for kind in ("petition", "report")
]


def _rows() -> list[dict]:
    rows = []
    for (kind, instance, stage, variant, days, counting, ext, article) in _TABLE:
        old, new = (_KN_OLD, _KN_NEW) if kind == "complaint" else (_TC_OLD, _TC_NEW)
        for regulation, start, end in ((old, EPOCH, OLD_TO), (new, LAW_2025_FROM, None)):
            rows.append(dict(kind=kind, instance=instance, stage=stage, variant=variant, days=days,
                             counting=counting, max_extensions=ext, citation=f"{article} {regulation}",
                             regulation=regulation, effective_from=start, effective_to=end))
    for (kind, stage, days, citation, regulation, start, end) in _SERVICE_LEVEL:
        rows.append(dict(kind=kind, instance=1, stage=stage, variant="normal", days=days, counting="working",
                         max_extensions=0, citation=citation, regulation=regulation,
                         effective_from=start, effective_to=end))
    return rows


RULES = _rows()


def ensure_rules() -> int:
    """Insert the rules that are missing (idempotent). Returns how many were added. No commit."""
    existing = {(r.kind, r.instance, r.stage, r.variant, r.effective_from)
                for r in db.session.scalars(select(DeadlineRule))}
    added = 0
    for row in RULES:
        key = (row["kind"], row["instance"], row["stage"], row["variant"], row["effective_from"])
        if key not in existing:
            db.session.add(DeadlineRule(**row))
            added += 1
    if added:
        db.session.flush()
    return added


class NoRule(LookupError):
    """No rule in force for this step: the deadline is not set (shown as "không có thời hạn")."""


def rule_for(kind: str, stage: str, on: date, *, instance: int = 1, variant: str = "normal") -> DeadlineRule:
    """The rule in force on `on`; an unknown variant falls back to the normal one."""
    for wanted in (variant, "normal"):
        stmt = select(DeadlineRule).where(
            DeadlineRule.kind == kind, DeadlineRule.instance == instance, DeadlineRule.stage == stage,
            DeadlineRule.variant == wanted, DeadlineRule.effective_from <= on,
            or_(DeadlineRule.effective_to.is_(None), DeadlineRule.effective_to >= on),
        ).order_by(DeadlineRule.effective_from.desc())
        rule = db.session.scalars(stmt).first()
        if rule is not None:
            return rule
    if db.session.scalar(select(DeadlineRule.id).limit(1)) is None and ensure_rules():
        return rule_for(kind, stage, on, instance=instance, variant=variant)
    raise NoRule(f"Không có quy định thời hạn cho bước {stage} của loại đơn {kind}.")


def days_off(unit_id: int, start: date, horizon_days: int = 400) -> frozenset[date]:
    """The unit's declared days off from `start` on (within the horizon of any period)."""
    stmt = all_units(select(DayOff.day).where(DayOff.unit_id == unit_id, DayOff.day > start))
    return frozenset(d for d in db.session.scalars(stmt) if (d - start).days <= horizon_days)


def counts_working_days(rule: DeadlineRule, unit_id: int) -> bool:
    if rule.counting == "working":
        return True
    # The unit whose deadline this is (a forwarded đơn's receiving unit too): read on purpose.
    setting = db.session.scalar(all_units(select(ComplaintSetting).where(ComplaintSetting.unit_id == unit_id)))
    return bool(setting and setting.count_working_days)


@dataclass(frozen=True)
class Deadline:
    due: date
    rule: DeadlineRule
    working_days: bool

    @property
    def explanation(self) -> str:
        unit = "ngày làm việc" if self.working_days else "ngày"
        return f"{self.rule.days} {unit} ({self.rule.citation})"


def compute(start: date, rule: DeadlineRule, *, unit_id: int, working_days: bool | None = None,
            extra_days_off=None) -> Deadline:
    """The last day of `rule`'s period counted from `start` (the day itself not counted)."""
    working = counts_working_days(rule, unit_id) if working_days is None else working_days
    off = days_off(unit_id, start) if extra_days_off is None else frozenset(extra_days_off)
    due = calendar.add_days(start, rule.days, working_days=working, extra_days_off=off)
    return Deadline(due, rule, working)


def deadline_for(kind: str, stage: str, start: date, *, unit_id: int, instance: int = 1,
                 variant: str = "normal", working_days: bool | None = None) -> Deadline:
    return compute(start, rule_for(kind, stage, start, instance=instance, variant=variant),
                   unit_id=unit_id, working_days=working_days)


def resolve_variant(kind: str, *, complex_case: bool, remote: bool) -> str:
    if kind != "complaint":
        return "normal"
    if remote:
        return "remote_complex" if complex_case else "remote"
    return "complex" if complex_case else "normal"
