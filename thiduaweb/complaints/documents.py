"""The desk's notices as .docx in the Nghị định 30/2020 layout: acceptance, refusal, answer."""
from __future__ import annotations

from sqlalchemy import select

from thiduaweb.complaints.models import Petition
from thiduaweb.complaints.services import ANSWER_DOC
from thiduaweb.core.documents import OfficialDocument, Signature, format_place_date
from thiduaweb.extensions import db

DOCS = {"accept": "Thông báo thụ lý", "refuse": "Thông báo không thụ lý", "answer": "Văn bản trả lời / quyết định"}
LAWS = {
    "complaint": "Luật Khiếu nại ngày 11 tháng 11 năm 2011",
    "denunciation": "Luật Tố cáo ngày 12 tháng 6 năm 2018",
    "petition": "Luật Tiếp công dân ngày 25 tháng 11 năm 2013",
    "report": "Luật Tiếp công dân ngày 25 tháng 11 năm 2013",
}


def available(petition: Petition) -> list[str]:
    docs = []
    if petition.accept_symbol:
        docs.append("accept")
    if petition.refusal_symbol:
        docs.append("refuse")
    if petition.answer_symbol:
        docs.append("answer")
    return docs


def _chairman_name(unit_id: int) -> str:
    from thiduaweb.accounts.models import Membership, User

    name = db.session.scalar(select(User.full_name).join(Membership).where(
        Membership.unit_id == unit_id, Membership.role == "chairman", Membership.active.is_(True)))
    return name or ""


def _filer(petition: Petition) -> str:
    if petition.anonymous or not petition.filer_name:
        return "người gửi đơn (không ghi tên)"
    where = f", địa chỉ: {petition.filer_address}" if petition.filer_address else ""
    return f"ông/bà {petition.filer_name}{where}"


def build(petition: Petition, which: str) -> OfficialDocument:
    unit = petition.unit
    place = unit.place_name or unit.name
    authority_body = unit.name.upper()
    kind = petition.kind_label.lower()
    law = LAWS[petition.kind]
    received = petition.received_on.strftime("%d/%m/%Y")
    basis = [f"Căn cứ {law};", f"Xét đơn {kind} nhận ngày {received} (mã {petition.display_code}) của {_filer(petition)}."]
    if which == "accept":
        on, symbol = petition.accepted_on, petition.accept_symbol
        kind_title, title = "THÔNG BÁO", [f"Về việc thụ lý giải quyết {kind}"]
        body = basis + [f"Ủy ban nhân dân {unit.name} thông báo: đơn {kind} nêu trên đủ điều kiện và đã được thụ lý "
                        f"giải quyết từ ngày {on.strftime('%d/%m/%Y')}."]
        if petition.due_on:
            body.append(f"Thời hạn giải quyết đến hết ngày {petition.due_on.strftime('%d/%m/%Y')}"
                        + (f" ({petition.due_rule.citation})." if petition.due_rule else "."))
    elif which == "refuse":
        event = next((e for e in reversed(petition.events) if e.action == "refuse"), None)
        on, symbol = (event.on if event else petition.received_on), petition.refusal_symbol
        kind_title, title = "THÔNG BÁO", [f"Về việc không thụ lý giải quyết {kind}"]
        body = basis + [f"Ủy ban nhân dân {unit.name} thông báo: đơn {kind} nêu trên không được thụ lý giải quyết.",
                        f"Lý do: {petition.refusal_reason}"]
    else:
        doc_type, kind_title, subject = ANSWER_DOC[petition.kind]
        on, symbol = petition.answered_on, petition.answer_symbol
        suffix = " (lần hai)" if petition.kind == "complaint" and petition.instance == 2 else (
            " (lần đầu)" if petition.kind == "complaint" else "")
        title = [f"{subject}{suffix}"]
        body = basis + [line for line in (petition.answer_text or "").splitlines() if line.strip()]
    if not symbol or on is None:
        raise LookupError(which)
    recipients = ["Người gửi đơn", "Thanh tra cấp trên (để b/c)" if unit.is_commune_level else "Thanh tra thành phố"]
    return OfficialDocument(
        issuer_name=["ỦY BAN NHÂN DÂN", authority_body],
        number_symbol=symbol, place_date=format_place_date(place, on), doc_kind_title=kind_title,
        title_lines=title, body=body, recipients=recipients, filed_at="VT, hồ sơ đơn thư",
        signature=Signature("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", _chairman_name(petition.unit_id)),
    )
