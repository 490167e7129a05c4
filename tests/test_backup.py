"""Backups: `flask backup create` then `flask backup restore` into an empty database finds every row and file."""
from io import BytesIO

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from tests import factories
from tests.helpers import fresh_database
from thiduaweb import create_app
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db
from thiduaweb.files.models import Attachment
from thiduaweb.files.services import save_upload
from thiduaweb.units.models import Body, Unit

PDF = b"%PDF-1.4\n% ho so thi dua\n" + b"x" * 2000


def _counts():
    return {model.__name__: db.session.scalar(all_units(select(func.count()).select_from(model)))
            for model in (Unit, Body, Attachment)}


def test_a_backup_restored_into_an_empty_database_holds_every_row_and_file(tmp_path):
    source_url, drop_source = fresh_database(tmp_path, "source")
    target_url, drop_target = fresh_database(tmp_path, "target")
    backup_file = tmp_path / "thiduaweb.backup"
    try:
        source = create_app("testing", SQLALCHEMY_DATABASE_URI=source_url)
        with source.app_context():
            db.create_all()
            world = factories.make_world()
            factories.make_body(world.a, "Xóm Cây Thị")
            with unit_scope({world.a.id}):
                save_upload(FileStorage(BytesIO(PDF), "báo cáo thành tích.pdf"), unit_id=world.a.id,
                            owner_type="Body", owner_id=1)
                db.session.commit()
            before = _counts()
            result = source.test_cli_runner().invoke(args=["backup", "create", str(backup_file)])
            assert result.exit_code == 0, result.output
            db.session.remove()
            db.engine.dispose()

        target = create_app("testing", SQLALCHEMY_DATABASE_URI=target_url)
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["backup", "restore", str(backup_file)])
            assert result.exit_code == 0, result.output
            assert _counts() == before
            attachment = db.session.scalar(all_units(select(Attachment)))
            assert (attachment.filename, attachment.data) == ("báo cáo thành tích.pdf", PDF)
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_source()
        drop_target()


def test_restoring_a_missing_file_says_so(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "khong-co.backup")])
    assert result.exit_code != 0 and "Không có tệp sao lưu" in result.output
