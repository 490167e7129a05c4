"""Demo exemplars of Đồng Liên and Tân Cương: advanced examples and "Người tốt, việc tốt" at every
stage, with their publicity; the published ones show on each commune's public page."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from thiduaweb.core.tenancy import unit_scope
from thiduaweb.core.vntext import fold
from thiduaweb.exemplars.models import Exemplar, Publicity
from thiduaweb.extensions import db
from thiduaweb.files.models import Attachment

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

EXEMPLARS = {
    "xa-dong-lien": [
        dict(category="good_deed", kind="person", name="Phạm Văn Đức", description="Trưởng xóm Cây Thị",
             movement="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
             story="Ngày 05/6/2021, ông Phạm Văn Đức nhặt được chiếc túi xách có 25 triệu đồng cùng giấy tờ tùy thân "
                   "bên đường liên xóm. Ông đã báo Công an xã và trả lại toàn bộ cho người đánh rơi là chị Nguyễn Thị "
                   "Thu (xã Phúc Xuân).",
             stage="fostered", discovered_on=date(2021, 6, 6), follow_up_name="Dương Thị Hồng", published=True,
             evidence=["bien-ban-tra-lai-tai-san.pdf"],
             publicity=[(date(2021, 6, 12), "loa", "Gương người tốt, việc tốt ở xóm Cây Thị", None),
                        (date(2021, 6, 20), "portal", "Trả lại 25 triệu đồng cho người đánh rơi",
                         "https://thainguyencity.gov.vn/tin-tuc/guong-nguoi-tot-viec-tot-xom-cay-thi")]),
        dict(category="advanced", kind="person", name="Trần Văn Bình", description="Xã viên Hợp tác xã Chè Đồng Liên",
             movement="Nông dân thi đua, sản xuất kinh doanh giỏi",
             story="Mạnh dạn chuyển 1,2 ha chè sang sản xuất theo tiêu chuẩn VietGAP, thu nhập trên 300 triệu đồng "
                   "mỗi năm; hướng dẫn 15 hộ trong xóm cùng làm theo, tạo việc làm cho 8 lao động địa phương.",
             stage="replicated", discovered_on=date(2021, 3, 15), follow_up_name="Nguyễn Văn An", published=True,
             evidence=["mo-hinh-che-vietgap.pdf"],
             publicity=[(date(2021, 9, 8), "newspaper", "Làm giàu từ cây chè VietGAP ở Đồng Liên",
                         "https://baothainguyen.vn/kinh-te/lam-giau-tu-cay-che-vietgap")]),
        dict(category="advanced", kind="collective", name="Hợp tác xã Chè Đồng Liên",
             description="Hợp tác xã nông nghiệp, xóm Đồng Liên", movement="Toàn dân đoàn kết xây dựng nông thôn mới, "
             "đô thị văn minh",
             story="Liên kết 60 hộ trồng chè, xây dựng nhãn hiệu chè Đồng Liên đạt sản phẩm OCOP 3 sao năm 2021.",
             stage="fostered", discovered_on=date(2021, 4, 2), follow_up_name="Hoàng Văn Nam", published=False,
             evidence=[], publicity=[]),
        dict(category="good_deed", kind="person", name="Dương Văn Toàn", description="Thợ cơ khí, xóm Thanh Xuyên",
             movement="",
             story="Chiều 18/7/2021, anh Dương Văn Toàn đã lao xuống hồ cứu hai học sinh bị đuối nước tại xóm "
                   "Thanh Xuyên.",
             stage="discovered", discovered_on=date(2021, 7, 19), follow_up_name="Dương Thị Hồng", published=False,
             evidence=["xac-nhan-cua-xom-Thanh-Xuyen.pdf"], publicity=[]),
    ],
    "xa-tan-cuong": [
        dict(category="advanced", kind="person", name="Lương Văn Chè", description="Nghệ nhân chè, Hợp tác xã Chè Tân Cương",
             movement="Nông dân thi đua, sản xuất kinh doanh giỏi",
             story="Giữ gìn và truyền dạy kỹ thuật sao chè thủ công truyền thống cho hơn 100 hộ; sản phẩm chè đặc "
                   "sản đạt giải vàng hội chợ chè quốc tế.",
             stage="replicated", discovered_on=date(2021, 2, 20), follow_up_name="Lê Thị Minh", published=True,
             evidence=[], publicity=[(date(2021, 10, 2), "tv", "Người giữ hồn chè Tân Cương",
                                      "https://thainguyentv.vn/phong-su/nguoi-giu-hon-che-tan-cuong")]),
        dict(category="good_deed", kind="person", name="Vi Thị Thắm", description="Công nhân chế biến chè",
             movement="", story="12 lần hiến máu tình nguyện; vận động 30 đoàn viên thanh niên cùng tham gia.",
             stage="discovered", discovered_on=date(2021, 8, 10), follow_up_name="Lê Thị Minh", published=True,
             evidence=[], publicity=[]),
    ],
}


def _movement_id(unit_id: int, name: str) -> int | None:
    """A movement of the commune with this name, when the movements demo made one."""
    if not name:
        return None
    from thiduaweb.movements.models import Movement

    for movement in db.session.scalars(select(Movement).where(Movement.unit_id == unit_id)):
        if fold(name)[:30] in fold(movement.name) or fold(movement.name) in fold(name):
            return movement.id
    return None


def _nomination_id(unit_id: int, name: str, kind: str) -> int | None:
    """The awards demo's nomination for this person, so the exemplar links to it."""
    from thiduaweb.awards.models import Nomination, Nominee

    return db.session.scalar(select(Nomination.id).join(Nominee, (Nominee.id == Nomination.nominee_id)
                                                        & (Nominee.unit_id == Nomination.unit_id))
                             .where(Nomination.unit_id == unit_id, Nominee.name == name, Nominee.kind == kind)
                             .order_by(Nomination.id))


def seed(world) -> None:
    for slug, rows in EXEMPLARS.items():
        unit = world.units[slug]
        with unit_scope({unit.id}):
            if db.session.scalar(select(Exemplar.id).where(Exemplar.unit_id == unit.id)):
                continue
            for row in rows:
                movement_id = _movement_id(unit.id, row["movement"])
                exemplar = Exemplar(unit_id=unit.id, kind=row["kind"], category=row["category"], name=row["name"],
                                    description=row["description"], movement_id=movement_id,
                                    movement_name=None if movement_id else (row["movement"] or None),
                                    story=row["story"], stage=row["stage"], discovered_on=row["discovered_on"],
                                    follow_up_name=row["follow_up_name"], published=row["published"],
                                    nomination_id=_nomination_id(unit.id, row["name"], row["kind"]))
                for published_on, channel, title, link in row["publicity"]:
                    exemplar.publicity.append(Publicity(unit_id=unit.id, published_on=published_on, channel=channel,
                                                        title=title, link=link))
                db.session.add(exemplar)
                db.session.flush()
                for filename in row["evidence"]:
                    db.session.add(Attachment(unit_id=unit.id, owner_type="Exemplar", owner_id=exemplar.id,
                                              filename=filename, content_type="application/pdf", size=len(PDF),
                                              data=PDF))
            db.session.commit()
