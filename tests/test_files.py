"""Uploads: the type is checked by content, the size is limited, and names cannot climb folders."""
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db
from thiduaweb.files.services import UploadRefused, clean_filename, save_upload


def _upload(data: bytes, name: str):
    return FileStorage(BytesIO(data), name)


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\báo cáo.pdf", "báo cáo.pdf"),
    ("/tmp/../x.docx", "x.docx"),
    ("..", "tep-dinh-kem"),
    ("ho\x00so\x1b.pdf", "hoso.pdf"),
])
def test_a_path_in_the_file_name_is_dropped(name, expected):
    assert clean_filename(name) == expected


def test_a_program_renamed_to_pdf_is_refused(world):
    with unit_scope({world.a.id}), pytest.raises(UploadRefused, match="không khớp"):
        save_upload(_upload(b"MZ\x90\x00program", "bao-cao.pdf"), unit_id=world.a.id, owner_type="Body", owner_id=1)


def test_a_zip_renamed_to_docx_is_refused(world):
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with unit_scope({world.a.id}), pytest.raises(UploadRefused, match="không khớp"):
        save_upload(_upload(buffer.getvalue(), "to-trinh.docx"), unit_id=world.a.id, owner_type="Body", owner_id=1)


def test_an_oversized_file_is_refused(world):
    with unit_scope({world.a.id}), pytest.raises(UploadRefused, match="lớn hơn 10 MB"):
        save_upload(_upload(b"%PDF-" + b"0" * (10 * 1024 * 1024), "lon.pdf"), unit_id=world.a.id,
                    owner_type="Body", owner_id=1)


def test_a_good_file_is_stored_with_its_clean_name_and_downloaded_by_its_unit_only(world, login):
    with unit_scope({world.a.id}):
        attachment = save_upload(_upload(b"%PDF-1.4 ok", "../báo cáo.pdf"), unit_id=world.a.id, owner_type="Body",
                                 owner_id=1)
        db.session.commit()
        attachment_id = attachment.id
    response = login("officer_a").get(f"/u/xa-dong-lien/files/{attachment_id}")
    assert response.status_code == 200 and response.data == b"%PDF-1.4 ok"
    assert "attachment" in response.headers["Content-Disposition"]
    assert login("officer_b").get(f"/u/xa-tan-cuong/files/{attachment_id}").status_code == 404


def test_the_audit_trail_names_an_uploaded_file_without_copying_its_bytes(world):
    from thiduaweb.audit.models import AuditEntry

    with unit_scope({world.a.id}):
        attachment = save_upload(_upload(b"%PDF-1.4 secret content", "bien-ban.pdf"), unit_id=world.a.id,
                                 owner_type="Body", owner_id=1)
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "Attachment",
                                                            AuditEntry.object_id == attachment.id)).one()
    assert entry.changes["filename"] == [None, "bien-ban.pdf"] and entry.changes["size"][1] == 23
    assert "data" not in entry.changes and "secret content" not in str(entry.changes)
