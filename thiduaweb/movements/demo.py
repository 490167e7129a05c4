"""Demo movements: those named in item II.6 of 26/KH-UBND with their launching levels, targets,
progress and a sơ kết for a few; the city's “Thực hiện cải cách hành chính” joined by Đồng Liên and
Tân Cương; registrations and a compact for 2021. Target values are illustrative."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db
from thiduaweb.movements import services
from thiduaweb.movements.models import Movement
from thiduaweb.units.models import Body

YEAR_START, YEAR_END = date(2021, 3, 10), date(2021, 12, 31)
NOTE = "Chỉ tiêu và số liệu tiến độ là dữ liệu minh họa."

CITY_MOVEMENT = ("Thực hiện cải cách hành chính", "regular", "city",
                 "Thành phố phát động trong toàn thành phố; các xã, phường tham gia với chỉ tiêu của mình.",
                 [("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 98, date(2021, 12, 31)),
                  ("Tỷ lệ hồ sơ tiếp nhận trực tuyến mức độ 3, 4", "%", 30, date(2021, 12, 31))])

# name, kind, level, bodies (names), targets [(indicator, measure, value, due, [(date, value, note)])], review
DONG_LIEN = [
    ("Thái Nguyên chung sức xây dựng nông thôn mới", "regular", "province", ["Hội Nông dân xã", "Xóm Cây Thị"],
     [("Đường giao thông nông thôn được bê tông hóa", "km", 2.5, date(2021, 11, 30),
       [(date(2021, 5, 31), 0.8, "Xóm Cây Thị, xóm Mỹ Khánh"), (date(2021, 8, 31), 1.7, ""),
        (date(2021, 10, 31), 2.2, "")])], True),
    ("Cả nước chung tay vì người nghèo - không để ai bị bỏ lại phía sau", "regular", "central",
     ["Ủy ban Mặt trận Tổ quốc xã", "Hội Liên hiệp Phụ nữ xã"],
     [("Số hộ thoát nghèo trong năm", "hộ", 8, date(2021, 12, 31),
       [(date(2021, 6, 30), 3, ""), (date(2021, 9, 30), 5, "")])], True),
    ("Đẩy mạnh học tập và làm theo tư tưởng đạo đức, phong cách Hồ Chí Minh", "regular", "commune",
     ["Văn phòng HĐND - UBND xã", "Đoàn Thanh niên xã"], [], False),
    ("Toàn dân bảo vệ an ninh Tổ quốc", "regular", "commune", ["Công an xã"],
     [("Xóm đạt tiêu chuẩn “An toàn về an ninh, trật tự”", "xóm", 6, date(2021, 12, 31),
       [(date(2021, 6, 30), 4, "")])], False),
    ("Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh", "regular", "commune", ["Ủy ban Mặt trận Tổ quốc xã"],
     [("Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa”", "%", 90, date(2021, 11, 25),
       [(date(2021, 6, 30), 86.5, "Số liệu đăng ký đầu năm")])], False),
    ("Bảo đảm an toàn giao thông", "regular", "commune", ["Công an xã", "Đoàn Thanh niên xã"],
     [("Số buổi tuyên truyền an toàn giao thông tại các xóm, trường học", "buổi", 12, date(2021, 12, 31),
       [(date(2021, 6, 30), 5, "")])], False),
    ("Nông dân thi đua, sản xuất kinh doanh giỏi", "regular", "commune", ["Hội Nông dân xã", "Hợp tác xã Chè Đồng Liên"],
     [("Hộ đạt danh hiệu sản xuất kinh doanh giỏi các cấp", "hộ", 120, date(2021, 12, 15),
       [(date(2021, 7, 15), 64, "Sơ kết 6 tháng của Hội Nông dân")])], True),
    ("Xây dựng đô thị Xanh - Sạch - Đẹp gắn với tăng trưởng Xanh", "thematic", "commune", ["Đoàn Thanh niên xã"],
     [("Số cây xanh trồng mới", "cây", 1000, date(2021, 10, 31), [(date(2021, 4, 30), 650, "Tết trồng cây")])], False),
    ("Đổi mới, sáng tạo trong dạy và học", "thematic", "commune",
     ["Trường Mầm non Đồng Liên", "Trường Tiểu học Đồng Liên", "Trường THCS Đồng Liên"],
     [("Tỷ lệ giáo viên đạt danh hiệu giáo viên dạy giỏi cấp trường", "%", 70, date(2021, 12, 31), [])], False),
    ("Lao động giỏi, lao động sáng tạo", "regular", "commune", ["Văn phòng HĐND - UBND xã", "Trạm Y tế xã"],
     [("Sáng kiến, giải pháp được công nhận", "sáng kiến", 3, date(2021, 11, 30), [])], False),
    ("Thi đua lập thành tích chào mừng các ngày lễ lớn của đất nước", "periodic", "commune", [], [], False),
]

REVIEWS = {
    "Thái Nguyên chung sức xây dựng nông thôn mới": (
        "Sau 6 tháng, nhân dân các xóm hiến đất, đóng góp ngày công làm đường; đã bê tông hóa 0,8 km. Cần đẩy "
        "nhanh tiến độ ở xóm Trung Thành.", "Đạt 32% chỉ tiêu năm",
        [("collective", "Xóm Cây Thị", "Dẫn đầu phong trào hiến đất, góp công làm đường giao thông nông thôn."),
         ("household", "Hộ ông Nguyễn Văn Thắng (xóm Mỹ Khánh)", "Hiến 120 m² đất làm đường.")]),
    "Cả nước chung tay vì người nghèo - không để ai bị bỏ lại phía sau": (
        "Đã hỗ trợ 3 hộ thoát nghèo; vận động Quỹ “Vì người nghèo” đạt kế hoạch 6 tháng.", "Đạt 38% chỉ tiêu năm",
        [("collective", "Hội Liên hiệp Phụ nữ xã", "Giúp 2 hộ hội viên nghèo vay vốn phát triển chè.")]),
    "Nông dân thi đua, sản xuất kinh doanh giỏi": (
        "64 hộ đăng ký và đạt tiêu chí sơ bộ; sản xuất chè an toàn theo VietGAP được mở rộng.", "Đạt 53% chỉ tiêu năm",
        [("person", "Bà Trần Thị Lan (xóm Thanh Xuyên)", "Mô hình chè VietGAP cho thu nhập cao."),
         ("collective", "Hợp tác xã Chè Đồng Liên", "Liên kết tiêu thụ chè cho 40 hộ thành viên.")]),
}

REGISTRATIONS = [
    ("person", "Dương Thị Hồng", "Văn phòng HĐND - UBND xã", "Lao động tiên tiến"),
    ("person", "Nguyễn Văn Toàn", "Văn phòng HĐND - UBND xã", "Chiến sĩ thi đua cơ sở"),
    ("person", "Trần Văn Hải", "Văn phòng HĐND - UBND xã", "Lao động tiên tiến"),
    ("person", "Lê Thị Thu", "Trường Tiểu học Đồng Liên", "Chiến sĩ thi đua cơ sở"),
    ("person", "Phạm Minh Đức", "Trạm Y tế xã", "Lao động tiên tiến"),
    ("collective", "Trường Tiểu học Đồng Liên", "Trường Tiểu học Đồng Liên", "Tập thể lao động xuất sắc"),
    ("collective", "Trường THCS Đồng Liên", "Trường THCS Đồng Liên", "Tập thể lao động tiên tiến"),
    ("collective", "Trạm Y tế xã", "Trạm Y tế xã", "Tập thể lao động tiên tiến"),
    ("collective", "Xóm Cây Thị", "Xóm Cây Thị", "Thôn, xóm văn hóa"),
    ("collective", "Xóm Mỹ Khánh", "Xóm Mỹ Khánh", "Thôn, xóm văn hóa"),
    ("household", "Hộ ông Nguyễn Văn Thắng", "Xóm Mỹ Khánh", "Gia đình văn hóa"),
    ("household", "Hộ bà Trần Thị Lan", "Xóm Thanh Xuyên", "Gia đình văn hóa"),
]


def _evidence(name: str):
    """A small PDF standing in for the scanned page of a register (the demo's evidence file)."""
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    data = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return FileStorage(stream=BytesIO(data), filename=name, content_type="application/pdf")


def _bodies(unit) -> dict[str, Body]:
    return {b.name: b for b in db.session.scalars(select(Body).where(Body.unit_id == unit.id))}


def _has_movements(unit) -> bool:
    return db.session.scalar(all_units(select(Movement.id).where(Movement.unit_id == unit.id)).limit(1)) is not None


def seed(world) -> None:
    city, dong_lien, tan_cuong = world.city, world.dong_lien, world.tan_cuong
    if _has_movements(dong_lien):
        return
    supervisor = world.users.get("noivu")
    officer = world.users.get("donglien.canbo")
    with unit_scope({city.id}):
        name, kind, level, description, targets = CITY_MOVEMENT
        city_movement = services.create_movement(city, supervisor, {
            "name": name, "kind": kind, "level": level, "starts_on": date(2021, 1, 15), "ends_on": YEAR_END,
            "description": description, "for_communes": True})
        for indicator, measure, value, due in targets:
            services.add_target(city_movement, {"indicator": indicator, "measure": measure,
                                                "target_value": Decimal(str(value)), "due_on": due})
    plan26 = world.extra.get("plan26")
    item_ii6 = next((i for i in plan26.items if i.section == "II" and i.position == 6), None) if plan26 else None
    with unit_scope({dong_lien.id}):
        bodies = _bodies(dong_lien)
        cchc = services.join(dong_lien, city_movement, officer)
        cchc.plan_item_id = item_ii6.id if item_ii6 else None
        db.session.commit()
        first, second = cchc.targets
        services.update_target(cchc, first, {"indicator": first.indicator, "measure": "%",
                                             "target_value": Decimal(100), "due_on": first.due_on})
        for day, value in [(date(2021, 3, 31), 96), (date(2021, 6, 30), 98.5), (date(2021, 9, 30), 99.2)]:
            services.add_progress(cchc, first, officer, {"reported_on": day, "value": Decimal(str(value)),
                                                         "note": "Theo sổ theo dõi của bộ phận một cửa"},
                                  [_evidence(f"so-theo-doi-mot-cua-{day:%m-%Y}.pdf")])
        for day, value in [(date(2021, 6, 30), 18), (date(2021, 9, 30), 27)]:
            services.add_progress(cchc, second, officer, {"reported_on": day, "value": Decimal(value)})
        for name, kind, level, body_names, targets, reviewed in DONG_LIEN:
            movement = services.create_movement(dong_lien, officer, {
                "name": name, "kind": kind, "level": level, "starts_on": YEAR_START, "ends_on": YEAR_END,
                "description": NOTE if targets else "",
                "plan_item_id": item_ii6.id if item_ii6 else None,
                "body_ids": [bodies[n].id for n in body_names if n in bodies]})
            for indicator, measure, value, due, reports in targets:
                target = services.add_target(movement, {"indicator": indicator, "measure": measure,
                                                        "target_value": Decimal(str(value)), "due_on": due})
                for day, reached, note in reports:
                    services.add_progress(movement, target, officer,
                                          {"reported_on": day, "value": Decimal(str(reached)), "note": note})
            if reviewed and name in REVIEWS:
                summary, assessment, achievements = REVIEWS[name]
                results = {t.id: (next((r.value for r in t.reports if r.reported_on <= date(2021, 7, 20)), None),
                                  assessment) for t in movement.targets}
                review = services.add_review(movement, officer, {"kind": "interim", "held_on": date(2021, 7, 20),
                                                                 "summary": summary}, results)
                for subject_kind, subject_name, description in achievements:
                    services.add_achievement(review, {"subject_kind": subject_kind, "subject_name": subject_name,
                                                      "description": description})
        for subject_kind, subject_name, body_name, title in REGISTRATIONS:
            services.add_registration(dong_lien, {
                "year": 2021, "subject_kind": subject_kind, "subject_name": subject_name,
                "body_id": bodies[body_name].id if body_name in bodies else None, "title": title,
                "registered_on": date(2021, 3, 20)})
        villages = [n for n in bodies if n.startswith("Xóm")]
        if len(villages) >= 2:
            services.add_compact(dong_lien, {
                "year": 2021, "name": "Giao ước thi đua giữa các xóm năm 2021", "signed_on": date(2021, 3, 25),
                "parties": "\n".join(villages),
                "content": "Các xóm giao ước thi đua thực hiện tốt phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, "
                           "đô thị văn minh”, giữ vững danh hiệu xóm văn hóa, không có điểm nóng về an ninh, trật tự."})
    tc_officer = world.users.get("tancuong.canbo")
    with unit_scope({tan_cuong.id}):
        joined = services.join(tan_cuong, city_movement, tc_officer)
        first, second = joined.targets
        for day, value in [(date(2021, 6, 30), 95), (date(2021, 9, 30), 97)]:
            services.add_progress(joined, first, tc_officer, {"reported_on": day, "value": Decimal(value)})
        services.add_progress(joined, second, tc_officer, {"reported_on": date(2021, 9, 30), "value": Decimal(22)})
        services.add_target(joined, {"indicator": "Thủ tục hành chính được niêm yết công khai đầy đủ", "measure": "%",
                                     "target_value": Decimal(100), "due_on": date(2021, 6, 30)})
        bodies = _bodies(tan_cuong)
        for subject_kind, subject_name, body_name, title in [
                ("person", "Lê Thị Minh", "Văn phòng HĐND - UBND xã", "Lao động tiên tiến"),
                ("collective", "Trường Tiểu học Tân Cương", "Trường Tiểu học Tân Cương", "Tập thể lao động tiên tiến"),
                ("household", "Hộ ông Đỗ Văn Quý", "Xóm Nam Tiến", "Gia đình văn hóa")]:
            services.add_registration(tan_cuong, {
                "year": 2021, "subject_kind": subject_kind, "subject_name": subject_name,
                "body_id": bodies[body_name].id if body_name in bodies else None, "title": title,
                "registered_on": date(2021, 3, 22)})
