"""Emulation clusters: set-up, self-scoring with evidence, cluster then city review, published ranking."""
from decimal import Decimal
from io import BytesIO

import pytest

from tests.factories import make_unit, make_user
from tests.helpers import UserClient, text_of
from thiduaweb.clusters import services
from thiduaweb.clusters.models import SelfScore
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _setup(world):
    """Cluster 1 = Đồng Liên (leader) + Tân Cương; a table with two criteria (10 + 2 bonus, 20)."""
    with unit_scope({world.city.id}):
        cluster = services.save_cluster(world.city, {"name": "Cụm thi đua số 1", "member_ids": [world.a.id, world.b.id],
                                                     "leader_unit_id": world.a.id})
        table = services.save_table(world.city, {"year": 2021, "title": "Chấm điểm thi đua 2021"})
        group = services.add_group(table, "Công tác thi đua")
        c1 = services.add_criterion(table, {"group_id": group.id, "text": "Ban hành kế hoạch", "max_points": Decimal(10),
                                            "bonus_points": Decimal(2)})
        c2 = services.add_criterion(table, {"group_id": group.id, "text": "Tổ chức phong trào", "max_points": Decimal(20)})
        services.open_table(table)
        return cluster.id, table.id, c1.id, c2.id


def _score(client, slug, table_id, c1, c2, p1, p2, bonus=""):
    response = client.post(f"/u/{slug}/clusters/tables/{table_id}/start", {})
    score_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    client.post(f"/u/{slug}/clusters/scores/{score_id}/lines",
                {f"points-{c1}": p1, f"bonus-{c1}": bonus, f"points-{c2}": p2})
    assert client.post(f"/u/{slug}/clusters/scores/{score_id}/transition/submit", {}).status_code == 303
    return score_id


def test_a_commune_scores_itself_and_the_cluster_then_the_city_review(world, login):
    _, table_id, c1, c2 = _setup(world)
    tan_cuong = login("officer_b")
    score_id = _score(tan_cuong, "xa-tan-cuong", table_id, c1, c2, "8,5", "15", "1")
    with unit_scope({world.b.id}):
        score = db.session.get(SelfScore, score_id)
        assert score.status == "submitted" and score.total == Decimal("24.50") and score.locked
    # The leading commune (Đồng Liên) returns it with a reason, then accepts it.
    leader = login("officer_a")
    assert "Xã Tân Cương" in text_of(leader.get("/u/xa-dong-lien/clusters/"))
    refused = leader.post(f"/u/xa-dong-lien/clusters/scores/{score_id}/transition/cluster_return", {}, htmx=True)
    assert refused.status_code == 422 and "Vui lòng ghi rõ lý do trả lại." in text_of(refused)
    leader.post(f"/u/xa-dong-lien/clusters/scores/{score_id}/transition/cluster_return",
                {"reason": "Thiếu minh chứng tiêu chí 1"})
    with unit_scope({world.b.id}):
        assert db.session.get(SelfScore, score_id).status == "returned"
    tan_cuong.post(f"/u/xa-tan-cuong/clusters/scores/{score_id}/lines",
                   {f"points-{c1}": "8,5", f"evidence-{c1}": (BytesIO(PDF), "ke-hoach.pdf")},
                   content_type="multipart/form-data")
    tan_cuong.post(f"/u/xa-tan-cuong/clusters/scores/{score_id}/transition/submit", {})
    assert leader.post(f"/u/xa-dong-lien/clusters/scores/{score_id}/transition/cluster_accept", {}).status_code == 303
    city = login("supervisor")
    assert city.post(f"/u/tp-thai-nguyen/clusters/scores/{score_id}/transition/city_accept", {}).status_code == 303
    with unit_scope({world.b.id}):
        assert db.session.get(SelfScore, score_id).status == "approved"


def test_published_results_are_locked_and_ranked_per_cluster(world, login):
    _, table_id, c1, c2 = _setup(world)
    dong_lien = _score(login("officer_a"), "xa-dong-lien", table_id, c1, c2, "10", "18", "2")  # 30, leader
    tan_cuong = _score(login("officer_b"), "xa-tan-cuong", table_id, c1, c2, "9", "19")  # 28
    login("officer_a").post(f"/u/xa-dong-lien/clusters/scores/{tan_cuong}/transition/cluster_accept", {})
    city = login("supervisor")
    for score_id in (dong_lien, tan_cuong):
        assert city.post(f"/u/tp-thai-nguyen/clusters/scores/{score_id}/transition/city_accept", {}).status_code == 303
    assert city.post(f"/u/tp-thai-nguyen/clusters/tables/{table_id}/publish", {}).status_code == 303
    with unit_scope({world.a.id, world.b.id}):
        first, second = db.session.get(SelfScore, dong_lien), db.session.get(SelfScore, tan_cuong)
        assert (first.rank, second.rank) == (1, 2) and first.status == second.status == "published"
        with pytest.raises(services.ClusterError):
            services.save_lines(second, {c1: {"points": "10"}})
    page = text_of(login("officer_b").get(f"/u/xa-tan-cuong/clusters/tables/{table_id}"))
    assert "Xã Đồng Liên" in page and "30,00" in page and "28,00" in page


def test_bad_points_are_shown_beside_the_field_and_kept(world, login):
    _, table_id, c1, c2 = _setup(world)
    officer = login("officer_b")
    response = officer.post(f"/u/xa-tan-cuong/clusters/tables/{table_id}/start", {})
    score_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    bad = officer.post(f"/u/xa-tan-cuong/clusters/scores/{score_id}/lines",
                       {f"points-{c1}": "12", f"bonus-{c1}": "abc", f"points-{c2}": "15", f"note-{c2}": "Có báo cáo"},
                       htmx=True)
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert f'id="points-{c1}-error"' in body and "Điểm phải từ 0 đến 10" in body
    assert f'id="bonus-{c1}-error"' in body and 'value="abc"' in body and "Có báo cáo" in body
    cluster = login("supervisor").post("/u/tp-thai-nguyen/clusters/new", {"name": "", "leader_unit_id": "0"},
                                       htmx=True)
    assert cluster.status_code == 422
    assert 'id="name-error"' in cluster.get_data(as_text=True)


def test_a_commune_cannot_see_another_communes_scoring(app, world, login):
    _, table_id, c1, c2 = _setup(world)
    third = make_unit("Xã Phúc Trìu", parent=world.city, slug="xa-phuc-triu")
    make_user("phuctriu.canbo", third, ("officer",))
    score_id = _score(login("officer_b"), "xa-tan-cuong", table_id, c1, c2, "9", "19")
    outsider = UserClient(app)
    outsider.login("phuctriu.canbo")
    assert outsider.get(f"/u/xa-phuc-triu/clusters/scores/{score_id}").status_code == 404
    assert outsider.post(f"/u/xa-phuc-triu/clusters/scores/{score_id}/transition/cluster_accept", {}).status_code == 404
    assert outsider.get(f"/u/xa-tan-cuong/clusters/scores/{score_id}").status_code == 404
    # The leading commune reads its member's scoring but cannot edit the lines.
    leader = login("officer_a")
    assert leader.get(f"/u/xa-dong-lien/clusters/scores/{score_id}").status_code == 200
    assert leader.post(f"/u/xa-dong-lien/clusters/scores/{score_id}/lines", {f"points-{c1}": "1"}).status_code == 404
