"""Accepting uploads safely: type checked by content, size limited, names cleaned."""
from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from io import BytesIO

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from thiduaweb.extensions import db
from thiduaweb.files.models import Attachment

MAX_BYTES = 10 * 1024 * 1024

#: extension → (content type, check of the first bytes / whole content)
ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
ALLOWED_LABEL = "PDF, Word (.doc, .docx), Excel (.xls, .xlsx), ảnh JPG hoặc PNG"
#: content type → what people call it (the audit trail names an upload's type so).
CONTENT_TYPE_LABELS = {
    "application/pdf": "PDF", "image/jpeg": "Ảnh JPG", "image/png": "Ảnh PNG",
    ALLOWED["docx"]: "Word (.docx)", ALLOWED["xlsx"]: "Excel (.xlsx)",
    ALLOWED["doc"]: "Word (.doc)", ALLOWED["xls"]: "Excel (.xls)",
}


#: owner type → check(attachment, user, access) → bool: a feature's extra rule for who may download
#: the files of its records (a denouncer's attachments, say), beyond the unit's file.view permission.
DOWNLOAD_CHECKS: dict = {}


def register_download_check(owner_type: str, check) -> None:
    DOWNLOAD_CHECKS[owner_type] = check


def may_download(attachment: Attachment, user, access) -> bool:
    check = DOWNLOAD_CHECKS.get(attachment.owner_type)
    return check is None or bool(check(attachment, user, access))


class UploadRefused(ValueError):
    """The file was not accepted; the message says why, in Vietnamese."""


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("doc", "xls"):
        return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if extension in ("docx", "xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return False
        return ("word/document.xml" if extension == "docx" else "xl/workbook.xml") in names
    return False


def clean_filename(name: str) -> str:
    """The file's own name without any folder, control characters or path tricks."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip().lstrip(".")
    return name[:200] or "tep-dinh-kem"


def check_upload(file: FileStorage | None) -> tuple[str, str, bytes] | None:
    """(clean name, content type, bytes) of an acceptable upload; None when no file was sent."""
    if file is None or not file.filename:
        return None
    name = clean_filename(file.filename)
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in ALLOWED:
        raise UploadRefused(f"Tệp “{name}” không đúng loại cho phép ({ALLOWED_LABEL}).")
    data = file.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UploadRefused(f"Tệp “{name}” lớn hơn {MAX_BYTES // 1024 // 1024} MB.")
    if not data:
        raise UploadRefused(f"Tệp “{name}” rỗng.")
    if not _content_matches(extension, data):
        raise UploadRefused(f"Nội dung tệp “{name}” không khớp với đuôi .{extension}: tệp có thể đã bị đổi tên.")
    return name, ALLOWED[extension], data


def upload_errors(uploads: dict, *, key_prefix: str = "evidence-") -> dict[str, str]:
    """Check many rows' chosen files at once (a checklist, a scoring table): {f"{prefix}{row}": message}
    for each row with a refused file. Streams are rewound, so the files can be saved afterwards."""
    errors = {}
    for row, files in uploads.items():
        for storage in files:
            try:
                check_upload(storage)
            except UploadRefused as refusal:
                errors[f"{key_prefix}{row}"] = str(refusal)
            storage.stream.seek(0)
    return errors


def save_upload(file: FileStorage | None, *, unit_id: int, owner_type: str, owner_id: int, public: bool = False,
                uploaded_by_id: int | None = None) -> Attachment | None:
    """Attach an uploaded file to a record (no commit: part of the caller's unit of work).

    Returns None when no file was chosen; raises UploadRefused for a file that is not accepted.
    """
    checked = check_upload(file)
    if checked is None:
        return None
    name, content_type, data = checked
    attachment = Attachment(unit_id=unit_id, owner_type=owner_type, owner_id=owner_id, filename=name,
                            content_type=content_type, size=len(data), data=data, public=public,
                            uploaded_by_id=uploaded_by_id)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachments_for(owner_type: str, owner_id: int) -> list[Attachment]:
    stmt = select(Attachment).where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
    return list(db.session.scalars(stmt.order_by(Attachment.id)))


def attachments_for_many(owner_type: str, owner_ids: list[int]) -> dict[int, list[Attachment]]:
    """Attachments of many records at once (one query, for lists)."""
    found: dict[int, list[Attachment]] = {i: [] for i in owner_ids}
    if owner_ids:
        stmt = select(Attachment).where(Attachment.owner_type == owner_type, Attachment.owner_id.in_(owner_ids))
        for attachment in db.session.scalars(stmt.order_by(Attachment.id)):
            found[attachment.owner_id].append(attachment)
    return found
