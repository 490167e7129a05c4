"""The register of exemplars, their stage, evidence and publicity, the public list, and the step
that turns an exemplar into a nomination of the awards feature."""
from __future__ import annotations

from sqlalchemy import select

from thiduaweb.core import audit
from thiduaweb.core.vntext import fold
from thiduaweb.exemplars.models import STAGES, Exemplar, Publicity
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit


class ExemplarError(ValueError):
    """A refusal for the user, attached to `field` of the form when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def list_exemplars(unit: Unit, *, q: str = "", stage: str = "", category: str = "") -> list[Exemplar]:
    stmt = select(Exemplar).where(Exemplar.unit_id == unit.id)
    if stage in STAGES:
        stmt = stmt.where(Exemplar.stage == stage)
    if category:
        stmt = stmt.where(Exemplar.category == category)
    found = list(db.session.scalars(stmt.order_by(Exemplar.created_at.desc(), Exemplar.id.desc())))
    if q:
        needle = fold(q)
        found = [e for e in found if needle in fold(f"{e.name} {e.description or ''} {e.movement_label}")]
    return found


def get_exemplar(exemplar_id: int) -> Exemplar | None:
    return db.session.get(Exemplar, exemplar_id)


def movement_choices(unit: Unit) -> list[tuple[int, str]]:
    """The unit's own movements, for the exemplar form."""
    from thiduaweb.movements.models import Movement

    rows = db.session.scalars(select(Movement).where(Movement.unit_id == unit.id).order_by(Movement.name))
    return [(m.id, m.name) for m in rows]


def _check_files(files) -> None:
    from thiduaweb.files.services import UploadRefused, check_upload

    for storage in files:
        try:
            check_upload(storage)
        except UploadRefused as refusal:
            raise ExemplarError(str(refusal), "evidence") from None
        finally:
            storage.stream.seek(0)


def evidence_problem(files) -> str | None:
    """Why one of these uploads would be refused, or None (to show it beside the file input)."""
    try:
        _check_files([f for f in files if f and f.filename])
    except ExemplarError as error:
        return str(error)
    return None


def save_exemplar(unit: Unit, data: dict, exemplar: Exemplar | None = None, *, evidence=(),
                  uploaded_by_id: int | None = None) -> Exemplar:
    """Create or update an exemplar of `unit` with its new evidence files. Commits."""
    evidence = [f for f in evidence if f and f.filename]
    _check_files(evidence)
    movement_id = data.get("movement_id") or None
    if movement_id and movement_id not in {i for i, _ in movement_choices(unit)}:
        raise ExemplarError("Phong trào không thuộc đơn vị.", "movement_id")
    exemplar = exemplar or Exemplar(unit_id=unit.id)
    for key in ("kind", "category", "name", "description", "movement_name", "story", "stage", "discovered_on",
                "follow_up_name", "published"):
        if key in data:
            setattr(exemplar, key, data[key])
    exemplar.movement_id = movement_id
    db.session.add(exemplar)
    db.session.flush()
    _save_files(evidence, unit_id=exemplar.unit_id, owner_type="Exemplar", owner_id=exemplar.id,
                uploaded_by_id=uploaded_by_id)
    db.session.commit()
    return exemplar


def _save_files(files, **kwargs) -> None:
    if files:
        from thiduaweb.files.services import save_upload

        for storage in files:
            save_upload(storage, **kwargs)


def advance_stage(exemplar: Exemplar) -> Exemplar:
    """Discovered → fostered → replicated, one step at a time. Commits."""
    target = exemplar.next_stage
    if target is None:
        raise ExemplarError("Điển hình đã ở giai đoạn nhân rộng.")
    source = exemplar.stage
    exemplar.stage = target
    audit.record(db.session, unit_id=exemplar.unit_id, action="exemplar.stage", object_type="Exemplar",
                 object_id=exemplar.id, label=exemplar.name, changes={"stage": [source, target]})
    db.session.commit()
    return exemplar


def set_published(exemplar: Exemplar, published: bool) -> Exemplar:
    exemplar.published = published
    db.session.commit()
    return exemplar


def add_publicity(exemplar: Exemplar, data: dict, *, file=None, uploaded_by_id: int | None = None) -> Publicity:
    files = [file] if file is not None and file.filename else []
    try:
        _check_files(files)
    except ExemplarError as error:
        raise ExemplarError(str(error), "file") from None
    entry = Publicity(unit_id=exemplar.unit_id, published_on=data["published_on"], channel=data["channel"],
                      title=data["title"], link=data.get("link") or None)
    exemplar.publicity.append(entry)
    db.session.flush()
    _save_files(files, unit_id=exemplar.unit_id, owner_type="ExemplarPublicity", owner_id=entry.id,
                uploaded_by_id=uploaded_by_id)
    db.session.commit()
    return entry


def delete_publicity(entry: Publicity) -> None:
    db.session.delete(entry)
    db.session.commit()


def get_publicity(entry_id: int) -> Publicity | None:
    return db.session.get(Publicity, entry_id)


def public_exemplars(unit: Unit) -> list[Exemplar]:
    """What the unit chose to publish, and nothing else."""
    stmt = select(Exemplar).where(Exemplar.unit_id == unit.id, Exemplar.published.is_(True))
    return list(db.session.scalars(stmt.order_by(Exemplar.category, Exemplar.name)))


def public_exemplar(unit: Unit, exemplar_id: int) -> Exemplar | None:
    stmt = select(Exemplar).where(Exemplar.unit_id == unit.id, Exemplar.id == exemplar_id,
                                  Exemplar.published.is_(True))
    return db.session.scalar(stmt)


# --- One step to a nomination (awards feature) ----------------------------------------------------

def default_year(exemplar: Exemplar) -> int:
    from thiduaweb.core.clock import today

    return exemplar.discovered_on.year if exemplar.discovered_on else today().year


def award_choices(exemplar: Exemplar) -> list[tuple[str, str]]:
    """The awards that suit this exemplar (person or collective) under the rules of its year."""
    from datetime import date

    from thiduaweb.awards import services as awards
    from thiduaweb.awards.rules import RulesError

    year = default_year(exemplar)
    try:
        found = awards.award_choices(on=date(year, 12, 1))
    except RulesError:  # no regulation loaded for that year
        return []
    return [(a.code, a.name) for a in found if exemplar.kind in a.kinds]


def nomination_of(exemplar: Exemplar):
    if not exemplar.nomination_id:
        return None
    from thiduaweb.awards import services as awards

    return awards.get_nomination(exemplar.nomination_id)


def exemplar_for_nomination(nomination_id: int) -> Exemplar | None:
    """The exemplar a nomination was made from (for the awards pages to link back)."""
    return db.session.scalar(select(Exemplar).where(Exemplar.nomination_id == nomination_id))


def nomination_url(nomination) -> str | None:
    """The nomination's page in the awards feature, when it has one."""
    from flask import url_for
    from werkzeug.routing import BuildError

    for endpoint in ("awards.nomination", "awards.nomination_detail", "awards.detail"):
        try:
            return url_for(endpoint, nomination_id=nomination.id)
        except BuildError:
            continue
    return None


def _find_or_make_nominee(unit: Unit, exemplar: Exemplar):
    from thiduaweb.awards import services as awards

    for nominee in awards.search_nominees(unit.id, q=exemplar.name, kind=exemplar.kind):
        if fold(nominee.name) == fold(exemplar.name):
            return nominee, False
    nominee = awards.save_nominee(unit, {
        "kind": exemplar.kind, "name": exemplar.name, "position": exemplar.description,
        "note": f"{exemplar.category_label}: ghi nhận từ sổ điển hình tiên tiến."})
    return nominee, True


def to_nomination(unit: Unit, exemplar: Exemplar, actor, *, award_code: str, year: int):
    """Make a draft nomination from the exemplar in one step, carrying its data over.

    The nominee (found by name, or created), the movement, the story as the achievements and the
    evidence files go to the nomination; the exemplar keeps a link to it.
    """
    from thiduaweb.awards import services as awards
    from thiduaweb.files.models import Attachment

    if exemplar.nomination_id and nomination_of(exemplar) is not None:
        raise ExemplarError("Điển hình này đã có đề nghị khen thưởng.", "award_code")
    nominee, created = _find_or_make_nominee(unit, exemplar)
    basis = "dot_xuat" if exemplar.category == "good_deed" else ("chuyen_de" if exemplar.movement_label else
                                                                 "cong_trang")
    try:
        nomination = awards.create_nomination(unit, actor, nominee_id=nominee.id, award_code=award_code, year=year, data={
            "basis": basis, "movement_id": exemplar.movement_id, "movement_name": exemplar.movement_label or None,
            "achievements": exemplar.story})
    except awards.AwardsError as error:
        if created:
            db.session.delete(nominee)
            db.session.commit()
        raise ExemplarError(str(error), "award_code" if error.field in ("award_code", "nominee_id", None)
                            else ("year" if error.field == "year" else "award_code")) from None
    for evidence in db.session.scalars(select(Attachment).where(Attachment.owner_type == "Exemplar",
                                                                Attachment.owner_id == exemplar.id)):
        db.session.add(Attachment(unit_id=unit.id, owner_type="Nomination", owner_id=nomination.id,
                                  filename=evidence.filename, content_type=evidence.content_type, size=evidence.size,
                                  data=evidence.data, public=False, uploaded_by_id=actor.id))
    exemplar.nomination_id = nomination.id
    audit.record(db.session, unit_id=unit.id, action="exemplar.nominate", object_type="Exemplar",
                 object_id=exemplar.id, label=exemplar.name, changes={"nomination_id": [None, nomination.id]})
    db.session.commit()
    return nomination
