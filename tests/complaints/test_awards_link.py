"""A complaint about a nomination freezes the nominee until it is resolved (NĐ 152/2025 Điều 4)."""
import pytest
from sqlalchemy import select

from thiduaweb.complaints import services
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db

awards_services = pytest.importorskip("thiduaweb.awards.services")
if not hasattr(awards_services, "freeze_nominee"):
    pytest.skip("the awards module has no freeze yet", allow_module_level=True)
awards_conftest = pytest.importorskip("tests.awards.conftest")


def test_a_complaint_about_a_nomination_freezes_it_until_answered(app, world, monkeypatch):
    from datetime import date

    from thiduaweb.awards import catalogue
    from thiduaweb.awards.models import NomineeFreeze

    catalogue.load_catalogue()
    db.session.commit()
    nominee = awards_conftest.make_nominee(world.a)
    nomination = awards_conftest.make_nomination(world.a, nominee)
    officer = world.users["officer_a"]
    with unit_scope({world.a.id}):
        petition = services.file_petition(world.a, {
            "kind": "complaint", "subject": "Khiếu nại đề nghị Lao động tiên tiến",
            "content": "Người được đề nghị không đủ tiêu chuẩn vì nghỉ việc ba tháng trong năm.",
            "filer_name": "Nguyễn Văn Bình", "filer_address": "Xóm Cây Thị", "nomination_id": nomination.id})
        assert petition.freeze_applied
        freeze = db.session.scalar(select(NomineeFreeze).where(NomineeFreeze.source_type == "Petition"))
        assert freeze is not None and freeze.nominee_id == nominee.id and freeze.lifted_at is None
        services.classify(petition, "accept", officer)
        services.answer(petition, officer, "Kết quả xác minh: người được đề nghị đủ tiêu chuẩn.")
        db.session.refresh(freeze)
        assert freeze.lifted_at is not None and not petition.freeze_applied


def test_a_reference_to_nothing_freezes_nothing(world):
    with unit_scope({world.a.id}):
        petition = services.file_petition(world.a, {
            "kind": "denunciation", "subject": "Tố cáo khai man", "filer_name": "Lê Văn Cường",
            "content": "Hồ sơ đề nghị khen thưởng có số liệu không đúng thực tế.", "nomination_id": 999999})
    assert petition.id and not petition.freeze_applied


def test_a_forwarded_complaint_answered_by_the_other_commune_ends_the_first_communes_freeze(app, world):
    from thiduaweb.awards import catalogue
    from thiduaweb.awards.models import NomineeFreeze
    from thiduaweb.core.tenancy import all_units

    catalogue.load_catalogue()
    db.session.commit()
    nominee = awards_conftest.make_nominee(world.a)
    nomination = awards_conftest.make_nomination(world.a, nominee)
    with unit_scope({world.a.id}):
        petition = services.file_petition(world.a, {
            "kind": "complaint", "subject": "Khiếu nại đề nghị Lao động tiên tiến",
            "content": "Người được đề nghị đã chuyển công tác sang xã Tân Cương từ tháng 6.",
            "filer_name": "Nguyễn Văn Bình", "filer_address": "Xóm Cây Thị", "nomination_id": nomination.id})
        services.classify(petition, "forward", world.users["officer_a"], target_unit=world.b,
                          reason="Thuộc thẩm quyền UBND xã Tân Cương.")
    with unit_scope({world.b.id}):
        copy = db.session.scalar(select(services.Petition).where(services.Petition.unit_id == world.b.id))
        services.classify(copy, "accept", world.users["officer_b"])
        services.answer(copy, world.users["officer_b"], "Đã xác minh: người được đề nghị đủ tiêu chuẩn.")
    freeze = db.session.scalar(all_units(select(NomineeFreeze)))
    assert freeze.unit_id == world.a.id and freeze.lifted_at is not None
