"""The "Thay đổi" column of the audit trail (page and Excel export) names each field in Vietnamese and
shows its values as people write them: labels of codes, Có/Không, dd/mm/yyyy, units by name."""
from datetime import date
from decimal import Decimal

from lxml import html
from sqlalchemy import select

from tests.list_exports import sheet_rows
from thiduaweb.audit.changes import describe_changes, field_label, unlabeled_keys
from thiduaweb.audit.models import AuditEntry
from thiduaweb.core.audit import audited_columns, is_audited, record
from thiduaweb.core.tenancy import UnitOwned, all_units, cross_unit_writes, unit_scope
from thiduaweb.extensions import db


def _trail(client, url: str) -> list[list[str]]:
    """The lines of the "Thay đổi" cell of each row of the trail's table, newest entry first."""
    tree = html.fromstring(client.get(url, htmx=True).get_data(as_text=True))
    rows = tree.xpath('//*[@id="audit-table"]//tbody/tr[not(td[@colspan])]')
    return [[" ".join(div.text_content().split()) for div in row.xpath("./td[6]/div")] for row in rows]


def _entries(**where) -> list[AuditEntry]:
    stmt = all_units(select(AuditEntry).filter_by(**where).order_by(AuditEntry.id))
    return list(db.session.scalars(stmt))


def _movement_with_an_achievement(client) -> None:
    """What a commune officer does: a movement, its interim review, a collective singled out."""
    base = "/u/xa-dong-lien/movements"
    response = client.post(f"{base}/new", {"name": "Phong trào Chuyển đổi số", "kind": "thematic",
                                           "level": "commune", "starts_on": "20/12/2021", "plan_item_id": "0"})
    assert response.status_code == 303, response.status_code
    movement_url = response.headers["Location"]
    response = client.post(f"{movement_url}/reviews/new", {"kind": "interim", "held_on": "21/12/2021",
                                                           "summary": "Hoàn thành tốt"})
    assert response.status_code == 303, response.status_code
    response = client.post(response.headers["Location"], {"subject_kind": "collective",
                                                          "subject_name": "Xóm Cây Thị", "description": "Dẫn đầu"})
    assert response.status_code == 303, response.status_code


def test_a_commune_officer_reads_vietnamese_field_names_and_values_in_the_trail(world, login):
    officer = login("officer_a")
    _movement_with_an_achievement(officer)
    (review,) = _entries(object_type="Review")
    achievement, review_lines, *_, movement = _trail(officer, "/u/xa-dong-lien/audit/")
    assert achievement == ["Sơ kết, tổng kết: #" + str(review.object_id), "Đối tượng: Tập thể",
                           "Tên tập thể, cá nhân, hộ gia đình: Xóm Cây Thị", "Thành tích: Dẫn đầu"]
    assert "Hình thức: Sơ kết" in review_lines and "Ngày tổ chức: 21/12/2021" in review_lines
    assert {"Loại phong trào: Theo chuyên đề", "Cấp phát động: Xã", "Ngày bắt đầu: 20/12/2021",
            "Phát động cho tất cả xã, phường trực thuộc: Không"} <= set(movement)
    assert not any(line.startswith("Thời điểm tạo") for line in movement)  # the entry's own time says it
    table = officer.get("/u/xa-dong-lien/audit/", htmx=True).get_data(as_text=True)
    for raw in ("subject_kind", "review_id", "collective", "thematic", "starts_on", "2021-12-20", "False"):
        assert raw not in table, raw


def test_the_excel_export_says_the_same_as_the_page(world, login):
    officer = login("officer_a")
    _movement_with_an_achievement(officer)
    page = _trail(officer, "/u/xa-dong-lien/audit/")
    header, rows = sheet_rows(officer.get("/u/xa-dong-lien/audit/?format=xlsx"))
    column = header.index("Thay đổi")
    assert [(row[column] or "").split("\n") for row in rows] == page
    assert "Đối tượng: Tập thể" in rows[0][column]


def test_a_deactivated_account_and_its_roles_read_in_vietnamese(world, login):
    council = world.users["council_a"]
    response = login("supervisor").post(f"/u/xa-dong-lien/users/{council.id}/edit", {
        "full_name": "Cán bộ council_a", "roles": ["council", "viewer"]})  # "active" unticked
    assert response.status_code == 303
    (lines,) = _trail(login("officer_a"), "/u/xa-dong-lien/audit/?action=user.update")
    assert lines == ["Đang hoạt động: Có → Không",
                     "Vai trò: Thành viên Hội đồng TĐKT → Thành viên Hội đồng TĐKT, Người xem"]


def test_a_workflow_step_names_its_stage_and_a_commune_is_named(world, login):
    from thiduaweb.clusters.models import ClusterMember, EmulationCluster
    from thiduaweb.exemplars import services as exemplars

    with unit_scope({world.a.id}):
        exemplar = exemplars.save_exemplar(world.a, {"kind": "person", "category": "good_deed",
                                                     "name": "Bà Nguyễn Thị Hoa", "stage": "discovered"})
        exemplars.advance_stage(exemplar)
    with cross_unit_writes():
        cluster = EmulationCluster(unit_id=world.city.id, name="Cụm số 1", leader_unit_id=world.a.id)
        db.session.add(cluster)
        db.session.flush()
        db.session.add(ClusterMember(unit_id=world.city.id, cluster_id=cluster.id, member_unit_id=world.b.id))
        db.session.commit()
    officer = login("officer_a")
    assert _trail(officer, "/u/xa-dong-lien/audit/?action=exemplar.stage") == [["Giai đoạn: Phát hiện → Bồi dưỡng"]]
    created = _trail(officer, "/u/xa-dong-lien/audit/?type=Exemplar&action=create")[0]
    assert "Loại điển hình: Người tốt, việc tốt" in created
    assert "Công khai trên trang của đơn vị: Không" in created
    member, made = _trail(login("supervisor"), f"/u/tp-thai-nguyen/audit/?unit={world.city.id}")
    assert member == [f"Cụm thi đua: #{cluster.id}", "Xã, phường trong cụm: Xã Tân Cương"]
    assert "Cụm trưởng: Xã Đồng Liên" in made


def test_numbers_dates_and_derived_columns(world):
    from thiduaweb.awards.models import Nominee
    from thiduaweb.movements.models import Movement, ProgressReport, Target

    with unit_scope({world.a.id}):
        movement = Movement(name="Phong trào A", starts_on=date(2021, 1, 1))
        db.session.add(movement)
        db.session.flush()
        target = Target(movement_id=movement.id, indicator="Hộ đạt chuẩn", target_value=Decimal("1500.50"),
                        due_on=date(2021, 12, 31))
        db.session.add(target)
        db.session.flush()
        db.session.add(ProgressReport(target_id=target.id, reported_on=date(2021, 6, 30), value=Decimal("12.00")))
        db.session.add(Nominee(kind="household", name="Nguyễn Thị Hoa", gender="female"))
        db.session.commit()

    def lines(object_type):
        (entry,) = _entries(object_type=object_type)
        return [(line.label, line.before, line.after) for line in describe_changes(entry.object_type, entry.changes)]

    assert ("Giá trị chỉ tiêu", None, "1.500,5") in lines("Target")
    assert ("Thời hạn", None, "31/12/2021") in lines("Target")
    assert ("Giá trị đạt được", None, "12") in lines("ProgressReport")
    nominee = lines("Nominee")
    assert ("Loại đối tượng", None, "Hộ gia đình") in nominee and ("Giới tính", None, "Nữ") in nominee
    assert not {label for label, _, _ in nominee} & {"sort_key", "name_folded", "lineage_key", None}
    (entry,) = _entries(object_type="Nominee")
    assert "sort_key" in entry.changes  # stored as before, only not shown


def test_every_audited_column_has_a_vietnamese_label():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    models = {m for m in subclasses(UnitOwned) if is_audited(m)}
    assert len(models) > 40
    missing, stale, blank = [], [], []
    for model in sorted(models, key=lambda m: m.__name__):
        columns = audited_columns(model)
        missing += [f"{model.__name__}.{c}" for c in columns if c not in model.__field_labels__]
        stale += [f"{model.__name__}.{k}" for k in {*model.__field_labels__, *model.__value_labels__}
                  if k not in columns]
        blank += [f"{model.__name__}.{k}" for k, v in model.__field_labels__.items() if v is not None and not v.strip()]
        for key in model.__value_labels__:  # every code list is found (lazy "module:NAME" included)
            assert describe_changes(model.__name__, {key: [None, "x"]})
    assert missing == [], "columns without a Vietnamese label in __field_labels__"
    assert stale == [] and blank == []


def test_entries_stored_earlier_with_keys_nobody_names_still_read(world, login):
    with cross_unit_writes():
        record(db.session(), unit_id=world.a.id, action="update", object_type="Body", object_id=1, label="Xóm Cũ",
               changes={"old_column": [1, 2], "kind": ["village", "school"], "status": "xyz"})
        record(db.session(), unit_id=world.a.id, action="update", object_type="RemovedModel", object_id=2,
               label="Bản ghi cũ", changes={"kind": [None, "school"]})
        db.session.commit()
    newer, older = _trail(login("officer_a"), "/u/xa-dong-lien/audit/")
    assert older == ["old_column: 1 → 2", "Loại: Thôn, xóm, tổ dân phố → Trường học", "status: xyz"]
    assert newer == ["kind: school"]
    assert describe_changes("Body", ["not", "a", "dict"])[0].after == "not, a, dict"
    assert unlabeled_keys("Body", {"old_column": [1, 2], "kind": [None, "x"], "reason": "z"}) == ["old_column"]
    assert field_label("Nomination", "state") == "Trạng thái" and field_label("Award", "sort_key") is None


def test_a_long_text_is_cut_on_the_page_and_kept_longer_in_the_export(world, login):
    from thiduaweb.movements.models import Movement

    with unit_scope({world.a.id}):
        db.session.add(Movement(name="Phong trào A", starts_on=date(2021, 1, 1), description="Nội dung " * 100))
        db.session.commit()
    officer = login("officer_a")
    (line,) = [line for line in _trail(officer, "/u/xa-dong-lien/audit/")[0] if line.startswith("Mô tả")]
    assert line.startswith("Mô tả, nội dung chính: Nội dung Nội dung") and line.endswith("…")
    assert len(line) < 250
    header, rows = sheet_rows(officer.get("/u/xa-dong-lien/audit/?format=xlsx"))
    assert ("Mô tả, nội dung chính: " + "Nội dung " * 99 + "Nội dung") in rows[0][header.index("Thay đổi")]


def test_a_files_bytes_copied_by_an_older_entry_are_not_shown():
    lines = describe_changes("Attachment", {"filename": [None, "bien-ban.pdf"], "data": [None, "b'%PDF-1.4 secret'"]})
    assert [line.label for line in lines] == ["Tên tệp"] and "secret" not in str(lines)


def test_the_trail_keeps_only_the_last_four_digits_of_a_citizens_identity_number(world, login):
    """Those who manage nominees see the number on the nominee's page; the trail, read more widely
    (the chairman, the city), keeps its last four digits, in the database too."""
    officer = login("officer_a")
    response = officer.post("/u/xa-dong-lien/khen-thuong/doi-tuong/moi", {
        "kind": "person", "name": "Nguyễn Văn An", "gender": "male", "occupation_group": "farmer",
        "identity_number": "019085001234"})
    assert response.status_code == 303, response.status_code
    (entry,) = _entries(object_type="Nominee", object_label="Nguyễn Văn An", action="create")
    assert entry.changes["identity_number"] == [None, "••••••••1234"]
    trail = _trail(login("chairman_a"), "/u/xa-dong-lien/audit/")
    assert any("Số định danh cá nhân: ••••••••1234" in lines for lines in trail)
    assert "019085001234" not in str(trail)


def test_an_uploads_type_reads_as_people_call_it():
    lines = describe_changes("Attachment", {"content_type": [None, "application/pdf"],
                                            "filename": [None, "bien-ban.pdf"]})
    assert [(line.label, line.after) for line in lines] == [("Kiểu tệp", "PDF"), ("Tên tệp", "bien-ban.pdf")]
