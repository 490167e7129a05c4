"""Demo clusters: the city's three emulation clusters, the 2021 scoring table, the self-scoring of the
communes of cluster 1 reviewed by Đồng Liên (its leader) and the city, and the published ranking."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from thiduaweb.clusters import services, workflow
from thiduaweb.clusters.models import EmulationCluster, ScoreEvent, SelfScore, SelfScoreLine
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db
from thiduaweb.files.models import Attachment
from thiduaweb.units.models import Unit

CLUSTERS = [
    ("Cụm thi đua số 1 (các xã phía Tây, Nam)", "05914", ["05914", "05503", "05494", "05488", "05497", "05491", "05485"]),
    ("Cụm thi đua số 2 (các xã phía Đông Bắc)", "05695", ["05695", "05653", "05701", "05713"]),
    ("Cụm thi đua số 3 (các phường)", "05449", ["05449", "05431", "05434", "05437", "05440", "05443", "05446",
                                                "05452", "05455", "05458", "05461", "05464", "05467", "05470",
                                                "05473", "05476", "05479", "05482", "05500", "05659", "05710"]),
]
TABLE = [
    ("Thực hiện nhiệm vụ chính trị, phát triển kinh tế - xã hội", [
        ("Hoàn thành các chỉ tiêu kinh tế - xã hội năm 2021 do HĐND xã giao", 30, 3, "Báo cáo kinh tế - xã hội"),
        ("Xây dựng nông thôn mới, đô thị văn minh", 15, 2, "Kết quả đánh giá tiêu chí"),
    ]),
    ("Công tác thi đua, khen thưởng", [
        ("Ban hành kế hoạch, tổ chức phong trào thi đua, sơ kết, tổng kết", 20, 0, "Kế hoạch, báo cáo"),
        ("Phát hiện, nhân rộng điển hình tiên tiến", 10, 2, "Danh sách, bài tuyên truyền"),
        ("Tự kiểm tra công tác thi đua, khen thưởng", 10, 0, "Biên bản tự kiểm tra đã ký"),
    ]),
    ("Xây dựng hệ thống chính trị", [
        ("Đảng bộ, chính quyền, Mặt trận và các đoàn thể được đánh giá hoàn thành tốt nhiệm vụ", 15, 3,
         "Kết quả đánh giá, xếp loại"),
    ]),
]
#: commune code → points per criterion (in table order) and bonus per criterion.
SCORES = {
    "05914": ([28, 14, 19, 10, 9, 14], [2, 1, 0, 2, 0, 2]),
    "05503": ([29, 13, 17, 9, 6, 14], [3, 2, 0, 1, 0, 1]),
    "05494": ([26, 12, 18, 8, 9, 13], [1, 0, 0, 0, 0, 1]),
    "05488": ([25, 13, 16, 7, 8, 13], [0, 1, 0, 0, 0, 0]),
}
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def seed(world) -> None:
    city = world.city
    communes = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.parent_id == city.id))}
    with unit_scope({city.id} | {u.id for u in communes.values()}):
        if db.session.scalar(select(EmulationCluster).where(EmulationCluster.unit_id == city.id)):
            return
        for name, leader, members in CLUSTERS:
            ids = [communes[c].id for c in members if c in communes]
            services.save_cluster(city, {"name": name, "leader_unit_id": communes[leader].id, "member_ids": ids,
                                         "note": "Quyết định thành lập cụm, khối thi đua năm 2021 của UBND thành phố."})
        table = services.save_table(city, {"year": 2021, "title": "Bảng chấm điểm thi đua các xã, phường năm 2021",
                                           "deadline": date(2021, 12, 10)})
        for title, criteria in TABLE:
            group = services.add_group(table, title)
            for text, max_points, bonus, evidence in criteria:
                services.add_criterion(table, {"group_id": group.id, "text": text, "max_points": Decimal(max_points),
                                               "bonus_points": Decimal(bonus), "evidence_expected": evidence})
        services.open_table(table)
        criteria = table.criteria
        noivu, dl_officer = world.users["noivu"], world.users["donglien.canbo"]
        for code, (points, bonus) in SCORES.items():
            commune = communes[code]
            score = services.start_score(commune, table)
            for criterion, p, b in zip(criteria, points, bonus):
                score.lines.append(SelfScoreLine(unit_id=commune.id, criterion_id=criterion.id, points=Decimal(p),
                                                 bonus=Decimal(b) if b else None,
                                                 note="Có báo cáo kèm theo." if p == criterion.max_points else None))
            db.session.commit()
            first = score.lines[0]
            db.session.add(Attachment(unit_id=commune.id, owner_type="SelfScoreLine", owner_id=first.id,
                                      filename="bao-cao-kinh-te-xa-hoi-2021.pdf", content_type="application/pdf",
                                      size=len(PDF), data=PDF))
            db.session.commit()
            actor = world.users["donglien.canbo"] if code == "05914" else (
                world.users["tancuong.canbo"] if code == "05503" else dl_officer)
            workflow.apply(score, "submit", actor, permissions={"cluster.score"}, acting_unit=commune)
            if code == "05503":  # returned once by the cluster leader, then corrected
                workflow.apply(score, "cluster_return", dl_officer, permissions={"cluster.score"},
                               acting_unit=world.dong_lien, reason="Bổ sung minh chứng tiêu chí xây dựng nông thôn mới.")
                workflow.apply(score, "submit", actor, permissions={"cluster.score"}, acting_unit=commune)
            if score.status == "submitted":
                workflow.apply(score, "cluster_accept", dl_officer, permissions={"cluster.score"},
                               acting_unit=world.dong_lien)
            workflow.apply(score, "city_accept", noivu, permissions={"cluster.manage"}, acting_unit=city)
        services.publish_results(city, table, noivu)
        _backdate(table)


def _backdate(table) -> None:
    from datetime import datetime, timezone

    at = datetime(2021, 12, 20, 3, 0, tzinfo=timezone.utc)
    table.published_at = at
    for event in db.session.scalars(select(ScoreEvent).join(SelfScore, SelfScore.id == ScoreEvent.score_id)
                                    .where(SelfScore.table_id == table.id)):
        event.at = at
    db.session.commit()
