"""Movements: launching, joining a city movement, targets, progress with evidence, reviews,
registrations and compacts, and the city's views across communes.
Public functions are one unit of work each: they commit or raise MovementRefused."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import func, select

from thiduaweb.core.clock import today
from thiduaweb.core.tenancy import all_units
from thiduaweb.core.vntext import collapse_whitespace, fold, format_date
from thiduaweb.extensions import db
from thiduaweb.movements.models import (KINDS, LEVELS, REGISTRATION_TITLES, REVIEW_KINDS, SUBJECT_KINDS,
                                        Achievement, Compact, Movement, MovementBody, ProgressReport, Registration,
                                        Review, ReviewResult, Target)
from thiduaweb.units.models import Body, Unit


class MovementRefused(ValueError):
    """A refusal with a Vietnamese message, attached to a form field when `field` is set."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


MAX_VALUE = Decimal("999999999999")


def _check_number(value, field: str, message: str) -> Decimal:
    """A finite number within what the database holds; refused beside `field` otherwise."""
    if value is None:
        raise MovementRefused(message, field)
    value = Decimal(value)
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise MovementRefused("Giá trị không hợp lệ: nhập một số không quá 12 chữ số.", field)
    return value


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --- movements ----------------------------------------------------------------------------------

def movements_of(unit: Unit, *, year: int | None = None, kind: str = "", level: str = "", q: str = "") -> list[Movement]:
    stmt = select(Movement).where(Movement.unit_id == unit.id)
    if kind in KINDS:
        stmt = stmt.where(Movement.kind == kind)
    if level in LEVELS:
        stmt = stmt.where(Movement.level == level)
    if year:
        stmt = stmt.where(Movement.starts_on <= date(year, 12, 31))
        stmt = stmt.where((Movement.ends_on.is_(None)) | (Movement.ends_on >= date(year, 1, 1)))
    movements = list(db.session.scalars(stmt.order_by(Movement.starts_on.desc(), Movement.id)))
    if q:
        needle = fold(q)
        movements = [m for m in movements if needle in fold(m.name)]
    return movements


def get_movement(movement_id: int) -> Movement | None:
    return db.session.scalar(select(Movement).where(Movement.id == movement_id))


def movements_by_plan_item(item_ids: list[int]) -> dict[int, list[Movement]]:
    found: dict[int, list[Movement]] = {}
    if item_ids:
        for movement in db.session.scalars(select(Movement).where(Movement.plan_item_id.in_(item_ids))):
            found.setdefault(movement.plan_item_id, []).append(movement)
    return found


def city_movements_for(unit: Unit) -> list[Movement]:
    """Movements the units above `unit` launched for their communes (deliberately cross-unit)."""
    if not unit.ancestor_ids:
        return []
    stmt = all_units(select(Movement).where(Movement.unit_id.in_(unit.ancestor_ids), Movement.for_communes.is_(True))
                     .order_by(Movement.starts_on.desc()))
    return list(db.session.scalars(stmt))


def city_movement_for(unit: Unit, movement_id: int) -> Movement | None:
    return next((m for m in city_movements_for(unit) if m.id == movement_id), None)


def parent_of(movement: Movement) -> Movement | None:
    if not movement.parent_movement_id:
        return None
    return db.session.scalar(all_units(select(Movement).where(Movement.id == movement.parent_movement_id)))


def joined(unit: Unit, city_movement: Movement) -> Movement | None:
    return db.session.scalar(select(Movement).where(Movement.unit_id == unit.id,
                                                    Movement.parent_movement_id == city_movement.id))


def _check_movement(unit: Unit, data: dict) -> None:
    if not collapse_whitespace(data.get("name") or ""):
        raise MovementRefused("Vui lòng nhập tên phong trào.", "name")
    if data.get("kind") not in KINDS:
        raise MovementRefused("Chọn loại phong trào.", "kind")
    if data.get("level") not in LEVELS:
        raise MovementRefused("Chọn cấp phát động.", "level")
    if not data.get("starts_on"):
        raise MovementRefused("Vui lòng nhập ngày bắt đầu.", "starts_on")
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise MovementRefused("Ngày kết thúc không được trước ngày bắt đầu.", "ends_on")
    item_id = data.get("plan_item_id")
    if item_id:
        from thiduaweb.plans.models import PlanItem

        if db.session.scalar(select(PlanItem.id).where(PlanItem.id == item_id, PlanItem.unit_id == unit.id)) is None:
            raise MovementRefused("Mục kế hoạch không thuộc đơn vị.", "plan_item_id")
    body_ids = set(data.get("body_ids") or [])
    if body_ids:
        known = set(db.session.scalars(select(Body.id).where(Body.id.in_(body_ids), Body.unit_id == unit.id)))
        if body_ids - known:
            raise MovementRefused("Có cơ quan, đoàn thể không thuộc đơn vị.", "body_ids")


def _set_bodies(movement: Movement, body_ids) -> None:
    wanted = set(body_ids or [])
    for participation in list(movement.participations):
        if participation.body_id not in wanted:
            movement.participations.remove(participation)
    have = set(movement.body_ids)
    for body_id in sorted(wanted - have):
        movement.participations.append(MovementBody(unit_id=movement.unit_id, movement_id=movement.id, body_id=body_id))


MOVEMENT_FIELDS = ("name", "kind", "level", "starts_on", "ends_on", "description", "plan_item_id", "for_communes")


def create_movement(unit: Unit, actor, data: dict) -> Movement:
    _check_movement(unit, data)
    movement = Movement(unit_id=unit.id, created_at=_now(),
                        **{k: data[k] for k in MOVEMENT_FIELDS if k in data})
    movement.name = collapse_whitespace(movement.name)
    movement.for_communes = bool(data.get("for_communes")) and not unit.is_commune_level
    db.session.add(movement)
    db.session.flush()
    _set_bodies(movement, data.get("body_ids"))
    db.session.commit()
    return movement


def update_movement(movement: Movement, unit: Unit, data: dict) -> Movement:
    _check_movement(unit, data)
    for key in MOVEMENT_FIELDS:
        if key in data:
            setattr(movement, key, data[key])
    movement.name = collapse_whitespace(movement.name)
    movement.for_communes = bool(data.get("for_communes")) and not unit.is_commune_level
    _set_bodies(movement, data.get("body_ids"))
    db.session.commit()
    return movement


def delete_movement(movement: Movement) -> None:
    """Remove a movement entered by mistake: only while it has no progress, no review and no commune joined."""
    if any(t.reports for t in movement.targets) or movement.reviews:
        raise MovementRefused("Phong trào đã có báo cáo tiến độ hoặc sơ kết, tổng kết nên không xóa được.")
    if movement.for_communes and db.session.scalar(
            all_units(select(Movement.id).where(Movement.parent_movement_id == movement.id)).limit(1)) is not None:
        raise MovementRefused("Đã có xã, phường tham gia phong trào này nên không xóa được.")
    db.session.delete(movement)
    db.session.commit()


def join(unit: Unit, city_movement: Movement, actor) -> Movement:
    """The commune takes part in a city movement: its own movement, linked, with the city's targets to adapt."""
    if not city_movement.for_communes or city_movement.unit_id not in unit.ancestor_ids:
        raise MovementRefused("Chỉ tham gia được phong trào cấp trên phát động cho các xã.")
    if joined(unit, city_movement) is not None:
        raise MovementRefused("Đơn vị đã tham gia phong trào này.")
    movement = Movement(unit_id=unit.id, name=city_movement.name, kind=city_movement.kind, level=city_movement.level,
                        starts_on=city_movement.starts_on, ends_on=city_movement.ends_on,
                        description=city_movement.description, parent_movement_id=city_movement.id,
                        created_at=_now())
    db.session.add(movement)
    db.session.flush()
    for source in city_movement.targets:
        movement.targets.append(Target(unit_id=unit.id, movement_id=movement.id, position=source.position,
                                       indicator=source.indicator, measure=source.measure,
                                       target_value=source.target_value, due_on=source.due_on,
                                       parent_target_id=source.id))
    db.session.commit()
    return movement


# --- targets and progress -------------------------------------------------------------------------

def get_target(movement: Movement, target_id: int) -> Target | None:
    return db.session.scalar(select(Target).where(Target.id == target_id, Target.movement_id == movement.id))


def _check_target(movement: Movement, data: dict) -> None:
    if not collapse_whitespace(data.get("indicator") or ""):
        raise MovementRefused("Vui lòng nhập tên chỉ tiêu.", "indicator")
    value = _check_number(data.get("target_value"), "target_value", "Vui lòng nhập giá trị chỉ tiêu (một số).")
    if value <= 0:
        raise MovementRefused("Giá trị chỉ tiêu phải lớn hơn 0.", "target_value")
    due = data.get("due_on")
    if due and due < movement.starts_on:
        raise MovementRefused(f"Thời hạn không được trước ngày bắt đầu phong trào ({format_date(movement.starts_on)}).",
                              "due_on")
    if due and movement.ends_on and due > movement.ends_on:
        raise MovementRefused(f"Thời hạn không được sau ngày kết thúc phong trào ({format_date(movement.ends_on)}).",
                              "due_on")


TARGET_FIELDS = ("indicator", "measure", "target_value", "due_on")


def add_target(movement: Movement, data: dict) -> Target:
    _check_target(movement, data)
    position = max((t.position for t in movement.targets), default=0) + 1
    target = Target(unit_id=movement.unit_id, movement_id=movement.id, position=position,
                    **{k: data.get(k) for k in TARGET_FIELDS})
    target.measure = target.measure or ""
    movement.targets.append(target)
    db.session.commit()
    return target


def update_target(movement: Movement, target: Target, data: dict) -> Target:
    _check_target(movement, data)
    for key in TARGET_FIELDS:
        setattr(target, key, data.get(key) if key != "measure" else (data.get(key) or ""))
    db.session.commit()
    return target


def delete_target(movement: Movement, target: Target) -> None:
    if target.reports:
        raise MovementRefused("Chỉ tiêu đã có báo cáo tiến độ nên không xóa được.")
    movement.targets.remove(target)
    db.session.commit()


def add_progress(movement: Movement, target: Target, actor, data: dict, files=()) -> ProgressReport:
    """Record the value reached on a date, with its evidence files (checked by content)."""
    from thiduaweb.files.services import UploadRefused, save_upload

    value, reported_on = data.get("value"), data.get("reported_on")
    value = _check_number(value, "value", "Vui lòng nhập giá trị đạt được (một số).")
    if value < 0:
        raise MovementRefused("Giá trị đạt được không được âm.", "value")
    if reported_on is None:
        raise MovementRefused("Vui lòng nhập ngày báo cáo.", "reported_on")
    if reported_on < movement.starts_on:
        raise MovementRefused(f"Ngày báo cáo không được trước ngày bắt đầu phong trào ({format_date(movement.starts_on)}).",
                              "reported_on")
    if reported_on > today():
        raise MovementRefused("Ngày báo cáo không được sau ngày hôm nay.", "reported_on")
    report = ProgressReport(unit_id=target.unit_id, target_id=target.id, reported_on=reported_on, value=value,
                            note=(data.get("note") or "").strip(), reported_by_id=getattr(actor, "id", None))
    target.reports.append(report)
    db.session.flush()
    try:
        for file in files or ():
            save_upload(file, unit_id=target.unit_id, owner_type="ProgressReport", owner_id=report.id,
                        uploaded_by_id=getattr(actor, "id", None))
    except UploadRefused as error:
        db.session.rollback()
        raise MovementRefused(str(error), "evidence") from None
    db.session.commit()
    return report


def evidence_for(reports: list[ProgressReport]) -> dict[int, list]:
    from thiduaweb.files.services import attachments_for_many

    return attachments_for_many("ProgressReport", [r.id for r in reports])


def chart(target: Target, width: int = 320, height: int = 90) -> dict | None:
    """Points of a small SVG line chart of the progress over time, with the target line."""
    reports = target.reports
    if not reports:
        return None
    top = max([float(target.target_value)] + [float(r.value) for r in reports]) or 1.0
    first = reports[0].reported_on.toordinal()
    span = max(reports[-1].reported_on.toordinal() - first, 1)
    pad = 6

    def xy(day: date, value) -> tuple[float, float]:
        x = pad + (day.toordinal() - first) / span * (width - 2 * pad) if len(reports) > 1 else width / 2
        y = height - pad - float(value) / top * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    points = [xy(r.reported_on, r.value) for r in reports]
    target_y = round(height - pad - float(target.target_value) / top * (height - 2 * pad), 1)
    return {"width": width, "height": height, "points": " ".join(f"{x},{y}" for x, y in points),
            "dots": points, "target_y": target_y}


# --- reviews --------------------------------------------------------------------------------------

def get_review(movement: Movement, review_id: int) -> Review | None:
    return db.session.scalar(select(Review).where(Review.id == review_id, Review.movement_id == movement.id))


def add_review(movement: Movement, actor, data: dict, results: dict[int, tuple]) -> Review:
    """A sơ kết or tổng kết with its results by target: results = {target_id: (value or None, assessment)}."""
    if data.get("kind") not in REVIEW_KINDS:
        raise MovementRefused("Chọn sơ kết hoặc tổng kết.", "kind")
    held_on = data.get("held_on")
    if held_on is None:
        raise MovementRefused("Vui lòng nhập ngày tổ chức.", "held_on")
    if held_on < movement.starts_on:
        raise MovementRefused(f"Ngày tổ chức không được trước ngày bắt đầu phong trào ({format_date(movement.starts_on)}).",
                              "held_on")
    if not collapse_whitespace(data.get("summary") or ""):
        raise MovementRefused("Vui lòng nhập nội dung đánh giá.", "summary")
    if data["kind"] == "final" and any(r.kind == "final" for r in movement.reviews):
        raise MovementRefused("Phong trào đã có tổng kết.", "kind")
    review = Review(unit_id=movement.unit_id, movement_id=movement.id, kind=data["kind"], held_on=held_on,
                    summary=data["summary"].strip())
    movement.reviews.append(review)
    db.session.flush()
    targets = {t.id: t for t in movement.targets}
    for target_id, (value, assessment) in results.items():
        if target_id in targets and (value is not None or (assessment or "").strip()):
            review.results.append(ReviewResult(unit_id=movement.unit_id, review_id=review.id, target_id=target_id,
                                               achieved_value=value, assessment=(assessment or "").strip()))
    db.session.commit()
    return review


def add_achievement(review: Review, data: dict) -> Achievement:
    if not collapse_whitespace(data.get("subject_name") or ""):
        raise MovementRefused("Vui lòng nhập tên tập thể, cá nhân hoặc hộ gia đình.", "subject_name")
    if data.get("subject_kind") not in SUBJECT_KINDS:
        raise MovementRefused("Chọn loại đối tượng.", "subject_kind")
    achievement = Achievement(unit_id=review.unit_id, review_id=review.id, subject_kind=data["subject_kind"],
                              subject_name=collapse_whitespace(data["subject_name"]),
                              description=(data.get("description") or "").strip())
    review.achievements.append(achievement)
    db.session.commit()
    return achievement


def achievements_of(unit: Unit, year: int | None = None) -> list[tuple[Achievement, Review, Movement]]:
    """Achievements surfaced by the unit's reviews: the starting point for nominations and exemplars."""
    stmt = (select(Achievement, Review, Movement)
            .join(Review, (Review.id == Achievement.review_id) & (Review.unit_id == Achievement.unit_id))
            .join(Movement, (Movement.id == Review.movement_id) & (Movement.unit_id == Review.unit_id))
            .where(Achievement.unit_id == unit.id))
    rows = list(db.session.execute(stmt.order_by(Review.held_on.desc(), Achievement.id)))
    if year:
        rows = [r for r in rows if r[1].held_on.year == year]
    return [tuple(r) for r in rows]


# --- the city's side-by-side view ----------------------------------------------------------------------

@dataclass
class CommuneProgress:
    unit: Unit
    movement: Movement | None
    #: city target id → the commune's target answering it
    by_parent: dict
    extra: list


def side_by_side(city_movement: Movement, communes: list[Unit]) -> list[CommuneProgress]:
    """Each commune's own movement joining `city_movement`, its targets aligned on the city's."""
    ids = [u.id for u in communes]
    found: dict[int, Movement] = {}
    if ids:
        stmt = select(Movement).where(Movement.parent_movement_id == city_movement.id, Movement.unit_id.in_(ids))
        for movement in db.session.scalars(stmt):
            found[movement.unit_id] = movement
    rows = []
    for unit in communes:
        movement = found.get(unit.id)
        by_parent, extra = {}, []
        if movement is not None:
            for target in movement.targets:
                if target.parent_target_id:
                    by_parent[target.parent_target_id] = target
                else:
                    extra.append(target)
        rows.append(CommuneProgress(unit, movement, by_parent, extra))
    rows.sort(key=lambda r: (r.movement is None, fold(r.unit.name)))
    return rows


# --- registrations and compacts ---------------------------------------------------------------------

def registrations_of(unit: Unit, year: int, *, kind: str = "", q: str = "") -> list[Registration]:
    stmt = select(Registration).where(Registration.unit_id == unit.id, Registration.year == year)
    if kind in SUBJECT_KINDS:
        stmt = stmt.where(Registration.subject_kind == kind)
    rows = list(db.session.scalars(stmt.order_by(Registration.subject_kind, Registration.id)))
    if q:
        needle = fold(q)
        rows = [r for r in rows if needle in fold(r.subject_name) or needle in fold(r.title)]
    return rows


def add_registration(unit: Unit, data: dict) -> Registration:
    registration = Registration(unit_id=unit.id, **_registration_values(unit, data))
    db.session.add(registration)
    db.session.commit()
    return registration


def update_registration(unit: Unit, registration: Registration, data: dict) -> Registration:
    """Correct a registration (a name misspelt, another title aimed at): checked as a new one is."""
    for name, value in _registration_values(unit, data).items():
        setattr(registration, name, value)
    db.session.commit()
    return registration


def _check_title_fits(title: str, subject_kind: str) -> None:
    """A title the law gives to another kind of subject (Chiến sĩ thi đua cơ sở to a school, Gia đình văn
    hóa to a person) is refused; a title outside the usual list is the officer's to name."""
    folded = title.casefold()
    for kind, titles in REGISTRATION_TITLES.items():
        if kind != subject_kind and folded in (t.casefold() for t in titles):
            raise MovementRefused(f"“{title}” là danh hiệu dành cho {SUBJECT_KINDS[kind].lower()}, không dành cho "
                                  f"{SUBJECT_KINDS[subject_kind].lower()}.", "title")


def _registration_values(unit: Unit, data: dict) -> dict:
    """The columns of a registration from the form's `data`, or MovementRefused naming the field."""
    if data.get("subject_kind") not in SUBJECT_KINDS:
        raise MovementRefused("Chọn cá nhân, tập thể hoặc hộ gia đình.", "subject_kind")
    if not collapse_whitespace(data.get("subject_name") or ""):
        raise MovementRefused("Vui lòng nhập tên người, tập thể hoặc hộ đăng ký.", "subject_name")
    if not collapse_whitespace(data.get("title") or ""):
        raise MovementRefused("Vui lòng nhập danh hiệu đăng ký.", "title")
    _check_title_fits(collapse_whitespace(data["title"]), data["subject_kind"])
    year, registered_on = data.get("year"), data.get("registered_on")
    if registered_on and year and registered_on.year not in (year - 1, year):
        raise MovementRefused(f"Ngày đăng ký phải thuộc năm {year} (hoặc cuối năm trước).", "registered_on")
    body_id = data.get("body_id") or None
    if body_id and db.session.scalar(select(Body.id).where(Body.id == body_id, Body.unit_id == unit.id)) is None:
        raise MovementRefused("Cơ quan, đoàn thể không thuộc đơn vị.", "body_id")
    return {"year": year, "subject_kind": data["subject_kind"],
            "subject_name": collapse_whitespace(data["subject_name"]), "body_id": body_id,
            "title": collapse_whitespace(data["title"]), "registered_on": registered_on or today(),
            "note": (data.get("note") or "").strip()}


def delete_registration(registration: Registration) -> None:
    db.session.delete(registration)
    db.session.commit()


def get_registration(registration_id: int) -> Registration | None:
    return db.session.scalar(select(Registration).where(Registration.id == registration_id))


def compacts_of(unit: Unit, year: int) -> list[Compact]:
    return list(db.session.scalars(select(Compact).where(Compact.unit_id == unit.id, Compact.year == year)
                                   .order_by(Compact.signed_on, Compact.id)))


def get_compact(compact_id: int) -> Compact | None:
    return db.session.scalar(select(Compact).where(Compact.id == compact_id))


def delete_compact(compact: Compact) -> None:
    db.session.delete(compact)
    db.session.commit()


def add_compact(unit: Unit, data: dict) -> Compact:
    if not collapse_whitespace(data.get("name") or ""):
        raise MovementRefused("Vui lòng nhập tên giao ước.", "name")
    parties = [line.strip() for line in (data.get("parties") or "").splitlines() if line.strip()]
    if len(parties) < 2:
        raise MovementRefused("Giao ước cần ít nhất hai bên ký (mỗi dòng một bên).", "parties")
    signed_on, year = data.get("signed_on"), data.get("year")
    if signed_on is None:
        raise MovementRefused("Vui lòng nhập ngày ký.", "signed_on")
    if year and signed_on.year not in (year - 1, year):
        raise MovementRefused(f"Ngày ký phải thuộc năm {year} (hoặc cuối năm trước).", "signed_on")
    compact = Compact(unit_id=unit.id, year=year, name=collapse_whitespace(data["name"]), signed_on=signed_on,
                      parties="\n".join(parties), content=(data.get("content") or "").strip())
    db.session.add(compact)
    db.session.commit()
    return compact


def registration_counts(communes: list[Unit], year: int) -> list[dict]:
    """Per commune: registrations by kind and compacts for the year (in the city's readable scope)."""
    ids = [u.id for u in communes]
    counts: dict[int, dict] = {u.id: {"person": 0, "collective": 0, "household": 0, "compacts": 0} for u in communes}
    if ids:
        stmt = (select(Registration.unit_id, Registration.subject_kind, func.count())
                .where(Registration.unit_id.in_(ids), Registration.year == year)
                .group_by(Registration.unit_id, Registration.subject_kind))
        for unit_id, kind, n in db.session.execute(stmt):
            counts[unit_id][kind] = n
        stmt = (select(Compact.unit_id, func.count()).where(Compact.unit_id.in_(ids), Compact.year == year)
                .group_by(Compact.unit_id))
        for unit_id, n in db.session.execute(stmt):
            counts[unit_id]["compacts"] = n
    rows = []
    for unit in communes:
        c = counts[unit.id]
        rows.append({"unit": unit, **c, "total": c["person"] + c["collective"] + c["household"]})
    return rows


def bodies_for_choice(unit: Unit) -> list[Body]:
    return list(db.session.scalars(select(Body).where(Body.unit_id == unit.id, Body.active.is_(True))
                                   .order_by(Body.kind, Body.name)))


def plan_items_for_choice(unit: Unit) -> list:
    """Items of section II of the unit's current plans, for linking a movement to what it carries out."""
    from thiduaweb.plans.models import Plan, PlanItem, SUPERSEDED

    stmt = (select(PlanItem, Plan).join(Plan, (Plan.id == PlanItem.plan_id) & (Plan.unit_id == PlanItem.unit_id))
            .where(PlanItem.unit_id == unit.id, Plan.status != SUPERSEDED, PlanItem.section == "II")
            .order_by(Plan.year.desc(), Plan.id.desc(), PlanItem.position))
    return list(db.session.execute(stmt))


def decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value)
