"""The audit trail: who changed what, chained by hash so an edited row is detected."""
from sqlalchemy import select, text

from tests import factories
from thiduaweb.audit.models import AuditEntry
from thiduaweb.core.audit import verify_chain
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db
from thiduaweb.units.models import Body


def _entries():
    return list(db.session.scalars(all_units(select(AuditEntry).order_by(AuditEntry.id))))


def test_create_update_and_delete_are_recorded_with_the_changed_fields(world):
    with unit_scope({world.a.id}):
        body = Body(name="Xóm Cây Thị", kind="village", member_count=120)
        db.session.add(body)
        db.session.commit()
        body.member_count = 135
        db.session.commit()
        db.session.delete(body)
        db.session.commit()
    create, update, delete = _entries()
    assert (create.action, create.unit_id, create.object_type, create.object_label) == (
        "create", world.a.id, "Body", "Xóm Cây Thị")
    assert create.changes["name"] == [None, "Xóm Cây Thị"]
    assert update.changes == {"member_count": [120, 135]}
    assert delete.action == "delete" and delete.changes["name"] == ["Xóm Cây Thị", None]


def test_the_actor_is_the_logged_in_user(world, login):
    login("officer_a").post("/u/xa-dong-lien/bodies/new", {"name": "Xóm Mới", "kind": "village"})
    (entry,) = _entries()
    assert (entry.actor_id, entry.actor_name) == (world.users["officer_a"].id, "Cán bộ officer_a")


def test_verify_finds_an_intact_chain_and_detects_an_edited_row(world):
    for name in ("Xóm 1", "Xóm 2", "Xóm 3"):
        factories.make_body(world.a, name)
    checked, broken = verify_chain(db.session.connection())
    assert (checked, broken) == (3, None)
    second = _entries()[1]
    db.session.execute(text("UPDATE audit_entry SET actor_name = 'Người khác' WHERE id = :id"), {"id": second.id})
    db.session.commit()
    assert verify_chain(db.session.connection()) == (2, second.id)


def test_audit_verify_command_exits_1_on_tampering(app, world):
    factories.make_body(world.a)
    runner = app.test_cli_runner()
    assert "nguyên vẹn: 1" in runner.invoke(args=["audit", "verify"]).output
    db.session.execute(text("UPDATE audit_entry SET changes = '{}'"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "bị sửa" in result.output


def test_the_audit_page_filters_through_htmx_and_the_city_sees_its_communes(world, login):
    factories.make_body(world.a, "Xóm A")
    factories.make_body(world.b, "Xóm B")
    commune = login("officer_a").get("/u/xa-dong-lien/audit/").get_data(as_text=True)
    assert "Xóm A" in commune and "Xóm B" not in commune
    city = login("supervisor")
    everything = city.get("/u/tp-thai-nguyen/audit/").get_data(as_text=True)
    assert "Xóm A" in everything and "Xóm B" in everything
    only_b = city.get(f"/u/tp-thai-nguyen/audit/?unit={world.b.id}", htmx=True)
    assert only_b.status_code == 200 and "<html" not in only_b.get_data(as_text=True)
    assert "Xóm B" in only_b.get_data(as_text=True) and "Xóm A" not in only_b.get_data(as_text=True)


def test_a_bad_date_in_the_audit_filter_is_explained_not_a_500(world, login):
    response = login("officer_a").get("/u/xa-dong-lien/audit/?since=31/02/2021")
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.get_data(as_text=True)


def test_verify_detects_entries_deleted_from_the_end(world):
    for name in ("Xóm 1", "Xóm 2"):
        factories.make_body(world.a, name)
    last = _entries()[-1]
    db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": last.id})
    db.session.commit()
    assert verify_chain(db.session.connection()) == (1, 0)
