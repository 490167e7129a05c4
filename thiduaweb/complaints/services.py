"""The complaints desk: filing, classification, handling, deadlines, the public view.

Each public function is one unit of work: it commits, or raises `PetitionError` (a Vietnamese
message and the form field it belongs to) before committing.
"""
from __future__ import annotations

import functools
import re
import secrets
from datetime import date, timedelta

from sqlalchemy import Date, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import selectinload

from thiduaweb.complaints import deadlines
from thiduaweb.complaints.models import (
    FINAL_STATUSES, KINDS, OPEN_STATUSES, ComplaintSetting, DayOff, Petition, PetitionEvent,
)
from thiduaweb.core import clock
from thiduaweb.core.audit import record
from thiduaweb.core.reads import Read
from thiduaweb.core.tenancy import all_units, cross_unit_writes
from thiduaweb.core.vntext import fold
from thiduaweb.extensions import db

#: Letters and digits a person reads without confusion (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31^12 ≈ 7.9e17 codes
DUE_SOON_DAYS = 7
#: Roles that may be assigned a đơn.
HANDLER_ROLES = ("officer", "chairman", "supervisor")
#: Which classification each kind allows.
OUTCOMES = {
    "accept": "Thụ lý giải quyết",
    "refuse": "Không thụ lý (nêu lý do)",
    "forward": "Chuyển đơn đến cơ quan có thẩm quyền",
    "guide": "Trả lại đơn và hướng dẫn",
    "inspect": "Đơn nặc danh có nội dung cụ thể: chuyển kiểm tra, xác minh",
    "record": "Đơn nặc danh không đủ cơ sở: lưu đơn",
}
ANSWER_DOC = {  # kind → (document type, kind title, subject)
    "complaint": ("QĐ", "QUYẾT ĐỊNH", "Về việc giải quyết khiếu nại"),
    "denunciation": ("KL", "KẾT LUẬN", "Nội dung tố cáo"),
    "petition": ("TB", "THÔNG BÁO", "Trả lời kiến nghị"),
    "report": ("TB", "THÔNG BÁO", "Trả lời phản ánh"),
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^(\+84|0)\d{8,10}$")


class PetitionError(ValueError):
    """A refusal for the user, in Vietnamese, attached to a form field ("" = the whole form)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# --- Codes ---------------------------------------------------------------------------------

def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str | None) -> str:
    """What the citizen typed → the stored form (case, spaces and dashes ignored); "" if malformed."""
    code = re.sub(r"[\s\-.]", "", (text or "").upper())
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return ""
    return code


def find_by_code(unit_id: int, code: str) -> Petition | None:
    """The unit's đơn with this code; None for a wrong code or another unit's code."""
    code = normalize_code(code)
    if not code:
        return None
    return db.session.scalar(select(Petition).where(Petition.unit_id == unit_id, Petition.tracking_code == code))


def find_first_instance(supervising_unit, code: str) -> Petition | None:
    """A đơn of one of the supervising unit's communes, by its code, for a khiếu nại lần hai on paper."""
    from thiduaweb.units.models import Unit

    code = normalize_code(code)
    if not code:
        return None
    return db.session.scalar(select(Petition).join(Petition.unit).where(
        Petition.tracking_code == code, Petition.instance == 1, Unit.parent_id == supervising_unit.id))


# --- Helpers ---------------------------------------------------------------------------------

def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None:
        return None, "Người gửi đơn"
    return actor.id, actor.full_name


def _event(petition: Petition, action: str, actor, *, on: date, note: str | None = None,
           public_text: str | None = None, from_status: str | None = None) -> PetitionEvent:
    actor_id, actor_name = _actor_fields(actor)
    event = PetitionEvent(unit_id=petition.unit_id, petition_id=petition.id, on=on, action=action,
                          from_status=from_status, to_status=petition.status, actor_id=actor_id,
                          actor_name=actor_name, note=note, public_text=public_text)
    db.session.add(event)
    record(db.session, unit_id=petition.unit_id, action=f"petition.{action}", object_type="Petition",
           object_id=petition.id, label=petition.audit_label,
           changes={"status": [from_status, petition.status]} if from_status != petition.status else {})
    return event


def _search_text(petition: Petition) -> str:
    parts = [petition.subject, petition.content, petition.tracking_code, petition.kind_label]
    if not petition.identity_protected:
        parts.append(petition.filer_name or "")
    return fold(" ".join(p for p in parts if p))


def _set_due(petition: Petition, stage: str, start: date) -> None:
    """Start the clock of `stage` from `start` (or stop it when no rule applies)."""
    variant = "normal"
    if stage == "accept" and petition.kind == "denunciation" and petition.several_places:
        variant = "several_places"
    elif stage == "resolve":
        variant = deadlines.resolve_variant(petition.kind, complex_case=petition.is_complex,
                                            remote=petition.remote_area)
    try:
        deadline = deadlines.deadline_for(petition.kind, stage, start, unit_id=petition.unit_id,
                                          instance=petition.instance, variant=variant)
    except deadlines.NoRule:
        petition.due_on, petition.due_rule_id = None, None
        return
    petition.due_on, petition.due_rule_id = deadline.due, deadline.rule.id
    petition.due_rule = deadline.rule


def _first_stage(kind: str) -> str:
    return "process" if kind in ("petition", "report") else "accept"


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _validate_filing(data: dict) -> dict:
    """Check a filing; raise PetitionError on the first field that is wrong."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise PetitionError("Vui lòng chọn loại đơn.", "kind")
    subject = (data.get("subject") or "").strip()
    content = (data.get("content") or "").strip()
    if not subject:
        raise PetitionError("Vui lòng nhập tiêu đề ngắn của đơn.", "subject")
    if len(content) < 20:
        raise PetitionError("Vui lòng trình bày nội dung đơn (ít nhất 20 ký tự).", "content")
    anonymous = bool(data.get("anonymous"))
    name = (data.get("filer_name") or "").strip()
    address = (data.get("filer_address") or "").strip()
    if kind == "complaint" and (anonymous or not name):
        raise PetitionError("Đơn khiếu nại phải ghi rõ họ tên người khiếu nại (Điều 8 Luật Khiếu nại).",
                            "filer_name")
    if kind == "complaint" and not address:
        raise PetitionError("Đơn khiếu nại phải ghi rõ địa chỉ người khiếu nại (Điều 8 Luật Khiếu nại).",
                            "filer_address")
    if not anonymous and not name:
        raise PetitionError("Vui lòng nhập họ tên, hoặc chọn gửi đơn không ghi tên.", "filer_name")
    email = (data.get("filer_email") or "").strip()
    if email and not EMAIL_RE.match(email):
        raise PetitionError("Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@gmail.com.", "filer_email")
    phone = re.sub(r"[\s.\-]", "", data.get("filer_phone") or "")
    if phone and not PHONE_RE.match(phone):
        raise PetitionError("Số điện thoại không hợp lệ: 10 chữ số bắt đầu bằng 0, ví dụ 0912345678.",
                            "filer_phone")
    if anonymous:
        name = address = email = phone = ""
    return dict(kind=kind, subject=subject[:255], content=content, anonymous=anonymous, filer_name=name or None,
                filer_address=address or None, filer_email=email or None, filer_phone=phone or None,
                nomination_id=data.get("nomination_id") or None, decision_id=data.get("decision_id") or None)


def _save_files(petition: Petition, files, *, public: bool, uploaded_by_id: int | None = None) -> None:
    from thiduaweb.files.services import UploadRefused, save_upload

    for file in files or []:
        try:
            save_upload(file, unit_id=petition.unit_id, owner_type="Petition", owner_id=petition.id,
                        public=public, uploaded_by_id=uploaded_by_id)
        except UploadRefused as error:
            raise PetitionError(str(error), "files") from None


def check_files(files) -> None:
    """Refuse a bad attachment before anything is written (the form shows it beside the field)."""
    from thiduaweb.files.services import UploadRefused, check_upload

    for file in files or []:
        try:
            check_upload(file)
        except UploadRefused as error:
            raise PetitionError(str(error), "files") from None
        finally:
            if file is not None and getattr(file, "stream", None) is not None:
                file.stream.seek(0)


# --- Filing --------------------------------------------------------------------------------

def file_petition(unit, data: dict, *, files=(), actor=None, channel: str = "online",
                  received_on: date | None = None) -> Petition:
    """Record a new đơn in `unit` (a citizen online, or an officer for a paper đơn)."""
    clean = _validate_filing(data)
    check_files(files)
    today = received_on or clock.today()
    petition = Petition(unit_id=unit.id, tracking_code=_unique_code(unit.id), channel=channel, received_on=today,
                        remote_area=bool(getattr(unit, "remote_area", False)),
                        several_places=bool(data.get("several_places")), **clean)
    petition.status = "received"
    petition.search_text = _search_text(petition)
    try:
        db.session.add(petition)
        db.session.flush()
        _save_files(petition, files, public=False, uploaded_by_id=actor.id if actor else None)
        _set_due(petition, _first_stage(petition.kind), today)
        note = None
        if petition.kind == "denunciation" and petition.anonymous:
            note = ("Đơn tố cáo không ghi tên: không xử lý theo thủ tục tố cáo; kiểm tra, xác minh nếu nội dung "
                    "rõ ràng, có căn cứ (Điều 25 Luật Tố cáo).")
        _event(petition, "file", actor, on=today, note=note,
               public_text=f"Đã tiếp nhận đơn ngày {_fmt(today)}.")
        _freeze(petition)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return petition


def _unique_code(unit_id: int) -> str:
    while True:
        code = new_tracking_code()
        taken = db.session.scalar(all_units(select(func.count()).select_from(Petition)
                                            .where(Petition.tracking_code == code)))
        if not taken:
            return code


# --- Classification ------------------------------------------------------------------------

def outcomes_for(petition: Petition) -> dict[str, str]:
    if petition.status != "received":
        return {}
    if petition.kind == "denunciation" and petition.anonymous:
        keys = ("inspect", "record", "forward")
    else:
        keys = ("accept", "refuse", "forward", "guide")
    labels = dict(OUTCOMES)
    if petition.kind in ("petition", "report"):
        labels["accept"] = "Tiếp nhận, xử lý"
        labels["refuse"] = "Không xử lý (nêu lý do)"
    return {k: labels[k] for k in keys}


def classify(petition: Petition, outcome: str, actor, *, reason: str = "", guidance: str = "",
             target_unit=None, is_complex: bool = False, several_places: bool = False,
             number: int | None = None, on: date | None = None) -> Petition:
    """Phân loại: thụ lý, không thụ lý, chuyển đơn, hướng dẫn (or, for an anonymous denunciation,
    kiểm tra xác minh / lưu đơn)."""
    allowed = outcomes_for(petition)
    if outcome not in allowed:
        raise PetitionError("Kết quả phân loại này không áp dụng cho đơn ở trạng thái hiện tại.", "outcome")
    on = on or clock.today()
    if on < petition.received_on:
        raise PetitionError("Ngày phân loại không được trước ngày nhận đơn.", "on")
    reason, guidance = (reason or "").strip(), (guidance or "").strip()
    before = petition.status
    try:
        if outcome == "accept":
            petition.is_complex = is_complex
            petition.several_places = several_places or petition.several_places
            petition.status, petition.accepted_on = "accepted", on
            if petition.kind in ("complaint", "denunciation"):
                petition.accept_symbol = _issue(petition, "TB", number, on).symbol
                _set_due(petition, "resolve", on)
            text = (f"Đơn đã được thụ lý ngày {_fmt(on)}" if petition.kind in ("complaint", "denunciation")
                    else f"Đơn đã được tiếp nhận để xử lý ngày {_fmt(on)}")
            if petition.due_on:
                text += f"; thời hạn giải quyết đến hết ngày {_fmt(petition.due_on)}"
            _event(petition, "accept", actor, on=on, note=reason or None, public_text=text + ".", from_status=before)
        elif outcome == "refuse":
            if not reason:
                raise PetitionError("Không thụ lý phải nêu rõ lý do (Điều 27 Luật Khiếu nại).", "reason")
            petition.status, petition.refusal_reason = "refused", reason
            petition.refusal_symbol = _issue(petition, "TB", number, on).symbol
            _stop(petition)
            _event(petition, "refuse", actor, on=on, note=reason,
                   public_text=f"Đơn không được thụ lý. Lý do: {reason}", from_status=before)
        elif outcome == "guide":
            if not guidance:
                raise PetitionError("Vui lòng ghi nội dung hướng dẫn người gửi đơn.", "guidance")
            petition.status, petition.guidance = "guided", guidance
            _stop(petition)
            _event(petition, "guide", actor, on=on, note=reason or None,
                   public_text=f"Hướng dẫn người gửi đơn: {guidance}", from_status=before)
        elif outcome == "forward":
            _forward(petition, actor, target_unit, reason, on, before)
        elif outcome == "inspect":
            petition.status, petition.accepted_on = "inspection", on
            petition.due_on, petition.due_rule_id = None, None
            _event(petition, "inspect", actor, on=on,
                   note=reason or "Nội dung rõ ràng, có tài liệu, chứng cứ: kiểm tra, xác minh theo thẩm quyền "
                                   "(Điều 25 Luật Tố cáo).",
                   public_text="Đơn được tiếp nhận để kiểm tra, xác minh theo thẩm quyền.", from_status=before)
        elif outcome == "record":
            petition.status = "filed"
            _stop(petition)
            _event(petition, "record", actor, on=on,
                   note=reason or "Đơn không ghi tên, không đủ căn cứ để kiểm tra, xác minh: lưu đơn "
                                   "(Điều 25 Luật Tố cáo).",
                   public_text="Đơn đã được ghi nhận và lưu theo quy định.", from_status=before)
        petition.search_text = _search_text(petition)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return petition


def _issue(petition: Petition, doc_type: str, number: int | None, on: date):
    from thiduaweb.core.numbering import NumberTaken, issue_number

    try:
        return issue_number(petition.unit_id, doc_type, on.year, number=number, object_type="Petition",
                            object_id=petition.id)
    except NumberTaken as error:
        raise PetitionError(str(error), "number") from None


def _stop(petition: Petition) -> None:
    petition.due_on, petition.due_rule_id = None, None
    if petition.status in FINAL_STATUSES and petition.status != "forwarded":
        _lift(petition)


def forward_targets(unit) -> list:
    """Where a đơn may be forwarded: the supervising unit, its other communes, this unit's communes."""
    from thiduaweb.units.models import Unit

    ids = set()
    if unit.parent_id:
        ids.add(unit.parent_id)
        ids |= set(db.session.scalars(select(Unit.id).where(Unit.parent_id == unit.parent_id)))
    ids |= set(db.session.scalars(select(Unit.id).where(Unit.parent_id == unit.id)))
    ids.discard(unit.id)
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(ids))))
    return sorted(units, key=lambda u: (u.is_commune_level, fold(u.name)))


def _forward(petition: Petition, actor, target_unit, reason: str, on: date, before: str) -> Petition:
    if target_unit is None or target_unit.id == petition.unit_id:
        raise PetitionError("Vui lòng chọn cơ quan, đơn vị có thẩm quyền để chuyển đơn.", "target_unit")
    if target_unit.id not in {u.id for u in forward_targets(petition.unit)}:
        raise PetitionError("Chỉ chuyển đơn đến cấp trên hoặc các xã, phường trong cùng địa bàn.", "target_unit")
    petition.status, petition.forwarded_to_unit_id = "forwarded", target_unit.id
    petition.due_on, petition.due_rule_id = None, None
    _event(petition, "forward", actor, on=on, note=reason or None,
           public_text=f"Đơn đã được chuyển đến {target_unit.name} là cơ quan có thẩm quyền giải quyết. "
                       f"Dùng cùng mã tra cứu tại trang đơn thư của {target_unit.name}.",
           from_status=before)
    db.session.flush()
    return _copy_into(petition, target_unit, actor, on, channel="forwarded", instance=petition.instance,
                      action="receive_forwarded",
                      public_text=f"{target_unit.name} đã nhận đơn do {petition.unit.name} chuyển đến ngày {_fmt(on)}.")


def _copy_into(petition: Petition, target_unit, actor, on: date, *, channel: str, instance: int, action: str,
               public_text: str, extra_content: str = "") -> Petition:
    """A new đơn in `target_unit` carrying the whole file: content, identity, history, attachments."""
    from thiduaweb.files.models import Attachment
    from thiduaweb.files.services import attachments_for

    with cross_unit_writes():
        exists = db.session.scalar(all_units(select(Petition.id).where(
            Petition.unit_id == target_unit.id, Petition.tracking_code == petition.tracking_code)))
        if exists:
            raise PetitionError(f"{target_unit.name} đã có đơn này (cùng mã tra cứu).", "target_unit")
        copy = Petition(unit_id=target_unit.id, tracking_code=petition.tracking_code, kind=petition.kind,
                        instance=instance, status="received", channel=channel,
                        subject=petition.subject, content=petition.content + extra_content,
                        filer_name=petition.filer_name, filer_address=petition.filer_address,
                        filer_phone=petition.filer_phone, filer_email=petition.filer_email,
                        anonymous=petition.anonymous, received_on=on,
                        remote_area=bool(target_unit.remote_area), several_places=petition.several_places,
                        nomination_id=petition.nomination_id, decision_id=petition.decision_id,
                        freeze_applied=petition.freeze_applied,
                        origin_id=petition.id, origin_unit_id=petition.unit_id)
        copy.search_text = _search_text(copy)
        db.session.add(copy)
        db.session.flush()
        for old in petition.events:
            db.session.add(PetitionEvent(
                unit_id=copy.unit_id, petition_id=copy.id, at=old.at, on=old.on, action=old.action,
                from_status=old.from_status, to_status=old.to_status, actor_id=old.actor_id,
                actor_name=old.actor_name, note=old.note, public_text=old.public_text,
                copied_from_unit=old.copied_from_unit or petition.unit.name))
        for attachment in attachments_for("Petition", petition.id):
            db.session.add(Attachment(unit_id=copy.unit_id, owner_type="Petition", owner_id=copy.id,
                                      filename=attachment.filename, content_type=attachment.content_type,
                                      size=attachment.size, data=attachment.data, public=False,
                                      uploaded_by_id=attachment.uploaded_by_id))
        _set_due(copy, _first_stage(copy.kind), on)
        _event(copy, action, actor, on=on, public_text=public_text)
        db.session.flush()
    return copy


# --- Handling ------------------------------------------------------------------------------

def handler_choices(unit) -> list:
    from thiduaweb.accounts.models import Membership, User

    stmt = (select(User).join(Membership).where(Membership.unit_id == unit.id, Membership.active.is_(True),
                                                 Membership.role.in_(HANDLER_ROLES), User.active.is_(True))
            .distinct())
    from thiduaweb.core.vntext import name_sort_key

    return sorted(db.session.scalars(stmt), key=lambda u: name_sort_key(u.full_name))


def assign(petition: Petition, handler_id: int | None, actor) -> Petition:
    if petition.status in FINAL_STATUSES:
        raise PetitionError("Đơn đã kết thúc, không phân công được.", "handler_id")
    handler = next((u for u in handler_choices(petition.unit) if u.id == handler_id), None)
    if handler is None:
        raise PetitionError("Vui lòng chọn một cán bộ của đơn vị.", "handler_id")
    petition.handler_id = handler.id
    _event(petition, "assign", actor, on=clock.today(), note=f"Giao cho {handler.full_name}.",
           from_status=petition.status)
    db.session.commit()
    return petition


def add_note(petition: Petition, actor, text: str, files=()) -> PetitionEvent:
    """An internal note, with evidence files (never shown to the citizen)."""
    text = (text or "").strip()
    if not text and not any(f and f.filename for f in files or []):
        raise PetitionError("Vui lòng nhập ghi chú hoặc chọn tệp chứng cứ.", "note")
    check_files(files)
    try:
        event = _event(petition, "note", actor, on=clock.today(), note=text or "Bổ sung tài liệu, chứng cứ.",
                       from_status=petition.status)
        _save_files(petition, files, public=False, uploaded_by_id=actor.id if actor else None)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return event


def extension_allowed(petition: Petition) -> str | None:
    """Why an extension is not possible now, or None when it is."""
    if petition.status != "accepted":
        return "Chỉ gia hạn đơn đang giải quyết."
    if petition.kind == "complaint":
        return "Vụ việc đã được xác định là phức tạp: không gia hạn thêm." if petition.is_complex else None
    if petition.kind == "denunciation":
        rule = deadlines.rule_for("denunciation", "extend", petition.accepted_on or petition.received_on)
        return (f"Đã gia hạn {petition.extensions} lần: tối đa {rule.max_extensions} lần ({rule.citation})."
                if petition.extensions >= rule.max_extensions else None)
    return "Kiến nghị, phản ánh không có thủ tục gia hạn."


def extend(petition: Petition, actor, reason: str) -> Petition:
    """Gia hạn: a complaint becomes a complex case (Điều 28/37); a denunciation gains 30 days, twice
    at most (Điều 30). The reason is required."""
    problem = extension_allowed(petition)
    if problem:
        raise PetitionError(problem, "reason")
    reason = (reason or "").strip()
    if not reason:
        raise PetitionError("Gia hạn phải nêu rõ lý do.", "reason")
    today = clock.today()
    if petition.kind == "complaint":
        petition.is_complex = True
        _set_due(petition, "resolve", petition.accepted_on)
    else:
        rule = deadlines.rule_for("denunciation", "extend", petition.accepted_on)
        deadline = deadlines.compute(petition.due_on or today, rule, unit_id=petition.unit_id)
        petition.due_on = deadline.due
        petition.extensions += 1
    _event(petition, "extend", actor, on=today, note=reason,
           public_text=f"Thời hạn giải quyết được gia hạn đến hết ngày {_fmt(petition.due_on)}.",
           from_status=petition.status)
    db.session.commit()
    return petition


def answer(petition: Petition, actor, text: str, *, number: int | None = None, on: date | None = None) -> Petition:
    """The answer (trả lời) or decision (quyết định, kết luận) with its document number."""
    if petition.status not in ("accepted", "inspection"):
        raise PetitionError("Chỉ trả lời đơn đã thụ lý.", "answer_text")
    text = (text or "").strip()
    if len(text) < 10:
        raise PetitionError("Vui lòng nhập nội dung trả lời, quyết định gửi người có đơn.", "answer_text")
    on = on or clock.today()
    if petition.accepted_on and on < petition.accepted_on:
        raise PetitionError("Ngày trả lời không được trước ngày thụ lý.", "on")
    before = petition.status
    try:
        doc_type = ANSWER_DOC[petition.kind][0]
        petition.answer_symbol = _issue(petition, doc_type, number, on).symbol
        petition.status, petition.answer_text, petition.answered_on = "answered", text, on
        petition.due_on, petition.due_rule_id = None, None
        _lift(petition)
        _event(petition, "answer", actor, on=on, public_text=f"Văn bản số {petition.answer_symbol} ngày {_fmt(on)}: {text}",
               from_status=before)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return petition


def close(petition: Petition, actor, note: str = "") -> Petition:
    if petition.status != "answered":
        raise PetitionError("Chỉ kết thúc đơn đã có văn bản trả lời hoặc quyết định.", "note")
    before, petition.status, petition.closed_on = petition.status, "closed", clock.today()
    _event(petition, "close", actor, on=petition.closed_on, note=(note or "").strip() or None,
           public_text="Việc giải quyết đơn đã kết thúc.", from_status=before)
    db.session.commit()
    return petition


def withdraw(petition: Petition, actor, reason: str = "", on: date | None = None) -> Petition:
    """Rút đơn (Điều 10 Luật Khiếu nại): the clock stops; the days left are kept."""
    if petition.status not in OPEN_STATUSES:
        raise PetitionError("Đơn này không còn đang xử lý nên không rút được.", "reason")
    on = on or clock.today()
    before = petition.status
    if petition.due_on:
        petition.stopped_days_left = (petition.due_on - on).days
    petition.status, petition.withdrawn_on = "withdrawn", on
    _stop(petition)
    _event(petition, "withdraw", actor, on=on, note=(reason or "").strip() or None,
           public_text=f"Người gửi đã rút đơn ngày {_fmt(on)}; việc giải quyết dừng lại.", from_status=before)
    db.session.commit()
    return petition


def appeal_deadline(petition: Petition) -> date | None:
    """The last day to bring a complaint to the second instance (Điều 33)."""
    if petition.kind != "complaint" or petition.instance != 1 or not petition.answered_on:
        return None
    variant = "remote" if petition.remote_area else "normal"
    try:
        return deadlines.deadline_for("complaint", "appeal", petition.answered_on, unit_id=petition.unit_id,
                                      variant=variant).due
    except deadlines.NoRule:
        return None


def can_escalate(petition: Petition, today: date | None = None) -> bool:
    today = today or clock.today()
    last = appeal_deadline(petition)
    return bool(petition.status in ("answered", "closed") and last and today <= last
                and petition.unit.parent_id and petition.unit.is_commune_level)


def escalate(petition: Petition, reason: str, actor=None) -> Petition:
    """Khiếu nại lần hai: the supervising unit receives the đơn with the whole file."""
    reason = (reason or "").strip()
    if not can_escalate(petition):
        raise PetitionError("Đơn này không thể khiếu nại lần hai (chưa có quyết định lần đầu hoặc đã quá thời hạn "
                            "khiếu nại theo Điều 33 Luật Khiếu nại).", "reason")
    if len(reason) < 10:
        raise PetitionError("Vui lòng nêu lý do không đồng ý với quyết định giải quyết lần đầu.", "reason")
    today = clock.today()
    city = petition.unit.parent
    try:
        with cross_unit_writes():
            copy = _escalate(petition, city, reason, actor, today)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return copy


def _escalate(petition: Petition, city, reason: str, actor, today: date) -> Petition:
    _event(petition, "escalate", actor, on=today, note=reason,
           public_text=f"Người khiếu nại đã khiếu nại lần hai đến {city.name} ngày {_fmt(today)}.",
           from_status=petition.status)
    db.session.flush()
    copy = _copy_into(petition, city, actor, today, channel="second_instance", instance=2,
                      action="receive_second",
                      public_text=f"{city.name} đã nhận khiếu nại lần hai ngày {_fmt(today)}.",
                      extra_content=f"\n\nKhiếu nại lần hai (không đồng ý với quyết định "
                                    f"{petition.answer_symbol or ''}): {reason}")
    _freeze(copy)
    db.session.flush()
    return copy


# --- Identity of a denouncer ---------------------------------------------------------------

def can_see_identity(petition: Petition, user, roles) -> bool:
    if not petition.identity_protected:
        return True
    return bool(user is not None and (petition.handler_id == user.id or "chairman" in set(roles)))


def reveal_identity(petition: Petition, user, roles) -> dict:
    """The denouncer's identity for the handler or the chairman; every view goes to the audit trail."""
    if not can_see_identity(petition, user, roles):
        raise PermissionError("Chỉ người được giao xử lý và Chủ tịch UBND được xem danh tính người tố cáo.")
    if petition.identity_protected:
        record(db.session, unit_id=petition.unit_id, action="petition.identity_view", object_type="Petition",
               object_id=petition.id, label=petition.audit_label)
        db.session.commit()
    return {"name": petition.filer_name, "address": petition.filer_address, "phone": petition.filer_phone,
            "email": petition.filer_email, "anonymous": petition.anonymous}


# --- Lists and counts ----------------------------------------------------------------------

TABS = {
    "new": "Mới nhận",
    "handling": "Đang giải quyết",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "closed": "Đã kết thúc",
    "all": "Tất cả",
}


def inbox(unit_ids, *, tab: str = "open", kind: str = "", q: str = "", today: date | None = None,
          unit_id: int | None = None) -> list[Petition]:
    """The inbox page: the first 500 rows of `inbox_query` (the Excel export takes them all)."""
    return list(db.session.scalars(inbox_query(unit_ids, tab=tab, kind=kind, q=q, today=today, unit_id=unit_id)
                                   .limit(500)))


def inbox_query(unit_ids, *, tab: str = "open", kind: str = "", q: str = "", today: date | None = None,
                unit_id: int | None = None):
    """The inbox's statement: the tab's petitions of the given units, filtered, soonest due first."""
    today = today or clock.today()
    stmt = select(Petition).where(Petition.unit_id.in_(list(unit_ids)))
    if unit_id:
        stmt = stmt.where(Petition.unit_id == unit_id)
    if tab == "new":
        stmt = stmt.where(Petition.status == "received")
    elif tab == "handling":
        stmt = stmt.where(Petition.status.in_(("accepted", "inspection")))
    elif tab == "due_soon":
        stmt = stmt.where(Petition.status.in_(OPEN_STATUSES), Petition.due_on >= today,
                          Petition.due_on <= today + timedelta(days=DUE_SOON_DAYS))
    elif tab == "overdue":
        stmt = stmt.where(Petition.status.in_(OPEN_STATUSES), Petition.due_on < today)
    elif tab == "closed":
        stmt = stmt.where(Petition.status.in_(FINAL_STATUSES + ("answered",)))
    elif tab == "open":
        stmt = stmt.where(Petition.status.in_(OPEN_STATUSES))
    if kind in KINDS:
        stmt = stmt.where(Petition.kind == kind)
    if q.strip():
        needle = f"%{fold(q).strip()}%"
        code = normalize_code(q)
        stmt = stmt.where(or_(Petition.search_text.like(needle), Petition.tracking_code == code) if code
                          else Petition.search_text.like(needle))
    stmt = stmt.order_by(Petition.due_on.is_(None), Petition.due_on, Petition.received_on.desc(), Petition.id.desc())
    return stmt.options(selectinload(Petition.unit), selectinload(Petition.handler))


def counts(unit_ids, today: date | None = None) -> dict[str, int]:
    """New, in hand, due within DUE_SOON_DAYS and overdue petitions of the units, in one statement."""
    return counts_of(counts_read(unit_ids, today).rows())


def counts_read(unit_ids, today: date | None = None) -> Read:
    """The statement of `counts` (`counts_of` reads its row)."""
    today = today or clock.today()
    return Read(_counts_select(), {"unit_ids": list(unit_ids), "today": today,
                                   "soon_end": today + timedelta(days=DUE_SOON_DAYS)})


def counts_of(rows: list[tuple]) -> dict[str, int]:
    return {k: int(v) for k, v in rows[0]._asdict().items()}


@functools.cache
def _counts_select():
    """Built once (bound parameters unit_ids, today, soon_end): composing it cost more than running it."""
    today, soon_end = bindparam("today", type_=Date), bindparam("soon_end", type_=Date)
    is_open = Petition.status.in_(OPEN_STATUSES)
    conditions = {
        "new": Petition.status == "received",
        "handling": Petition.status.in_(("accepted", "inspection")),
        "due_soon": and_(is_open, Petition.due_on >= today, Petition.due_on <= soon_end),
        "overdue": and_(is_open, Petition.due_on < today),
    }
    return (select(*[func.coalesce(func.sum(case((c, 1), else_=0)), 0).label(k) for k, c in conditions.items()])
            .where(Petition.unit_id.in_(bindparam("unit_ids", expanding=True))))


def get_petition(petition_id: int) -> Petition | None:
    return db.session.get(Petition, petition_id)


def history(petition: Petition, *, public_only: bool = False) -> list[PetitionEvent]:
    events = list(petition.events)
    return [e for e in events if e.public_text] if public_only else events


def origin_of(petition: Petition) -> Petition | None:
    """The đơn this one came from, when the reader may see it (the city reads its communes)."""
    if not petition.origin_id:
        return None
    return db.session.get(Petition, petition.origin_id)


# --- Settings: counting and days off -----------------------------------------------------

def setting_for(unit_id: int) -> ComplaintSetting | None:
    return db.session.scalar(select(ComplaintSetting).where(ComplaintSetting.unit_id == unit_id))


def set_counting(unit, working_days: bool) -> None:
    setting = setting_for(unit.id)
    if setting is None:
        setting = ComplaintSetting(unit_id=unit.id)
        db.session.add(setting)
    setting.count_working_days = bool(working_days)
    db.session.commit()


def days_off_of(unit_id: int, year: int) -> list[DayOff]:
    stmt = select(DayOff).where(DayOff.unit_id == unit_id, DayOff.day >= date(year, 1, 1),
                                DayOff.day <= date(year, 12, 31)).order_by(DayOff.day)
    return list(db.session.scalars(stmt))


def add_day_off(unit, day: date | None, reason: str) -> DayOff:
    reason = (reason or "").strip()
    if day is None:
        raise PetitionError("Vui lòng nhập ngày nghỉ theo dạng ngày/tháng/năm.", "day")
    if not reason:
        raise PetitionError("Vui lòng ghi căn cứ (ví dụ: Thông báo của Bộ Nội vụ về nghỉ bù).", "reason")
    if db.session.scalar(select(DayOff).where(DayOff.unit_id == unit.id, DayOff.day == day)):
        raise PetitionError(f"Ngày {_fmt(day)} đã được khai báo.", "day")
    day_off = DayOff(unit_id=unit.id, day=day, reason=reason[:200])
    db.session.add(day_off)
    db.session.commit()
    return day_off


def delete_day_off(unit, day_off_id: int) -> bool:
    day_off = db.session.get(DayOff, day_off_id)
    if day_off is None or day_off.unit_id != unit.id:
        return False
    db.session.delete(day_off)
    db.session.commit()
    return True


# --- Awards: freeze a nomination while a complaint or denunciation about it is verified --------

def _awards():
    try:
        from thiduaweb.awards import services as awards_services
    except ImportError:
        return None
    return awards_services


def _freeze(petition: Petition) -> None:
    """A complaint or denunciation about a nomination or decision freezes its nominees (NĐ 152/2025 Điều 4)."""
    if petition.kind not in ("complaint", "denunciation") or not (petition.nomination_id or petition.decision_id):
        return
    awards = _awards()
    hook = getattr(awards, "freeze_nominee", None) if awards else None
    if hook is None:
        return
    error_class = getattr(awards, "AwardsError", ValueError)
    try:
        with cross_unit_writes():  # the nominee lives in the unit where the đơn was first filed
            hook(unit_id=petition.origin_unit_id or petition.unit_id, nomination_id=petition.nomination_id,
                 decision_id=petition.decision_id, source_type="Petition", source_id=petition.id,
                 reason=f"Đang giải quyết {petition.audit_label.lower()} (Điều 4 Nghị định 152/2025/NĐ-CP).",
                 actor_name="Bộ phận đơn thư")
    except error_class:
        return  # the reference names nothing this unit holds: the đơn stands, nothing to freeze
    petition.freeze_applied = True


def _lift(petition: Petition) -> None:
    if not petition.freeze_applied:
        return
    awards = _awards()
    hook = getattr(awards, "lift_freeze", None) if awards else None
    if hook is None:
        return
    with cross_unit_writes():  # a city's decision lifts the freeze its commune's đơn opened
        for source_id in {petition.id, petition.origin_id} - {None}:
            hook(source_type="Petition", source_id=source_id, actor_name="Bộ phận đơn thư",
                 reason=f"Đã giải quyết {petition.audit_label.lower()}.")
    petition.freeze_applied = False
