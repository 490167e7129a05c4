"""Demo self-inspection: the city's checklist for 2021 published to its communes; Đồng Liên's
self-inspection signed off by the chairman, with evidence, findings and corrective actions (one
late), accepted by the city; Tân Cương's still open after the deadline; the city's own inspection
of Tân Cương."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import select

from thiduaweb.core import clock
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db
from thiduaweb.files.models import Attachment
from thiduaweb.inspections import services, workflow
from thiduaweb.inspections.models import ChecklistTemplate, Inspection
from thiduaweb.units.models import Unit

TEMPLATE_NAME = "Bộ tiêu chí tự kiểm tra công tác thi đua, khen thưởng cấp xã"
PLAN = "Kế hoạch 26/KH-UBND ngày 10/3/2021 của UBND xã"
SECTIONS = [
    ("Công tác chỉ đạo, ban hành văn bản", [
        ("Ban hành kế hoạch tổ chức phong trào thi đua yêu nước và công tác thi đua, khen thưởng năm 2021", 10,
         "Kế hoạch 32/KH-UBND ngày 01/3/2021 của UBND thành phố", "Kế hoạch của UBND xã"),
        ("Kiện toàn Hội đồng Thi đua – Khen thưởng xã, phân công thành viên", 5,
         "Nghị định 91/2017/NĐ-CP, Điều 44", "Quyết định kiện toàn Hội đồng"),
        ("Tổ chức đăng ký thi đua, ký giao ước thi đua của các thôn, xóm, cơ quan, đoàn thể", 5,
         f"{PLAN}, mục II.6", "Bản đăng ký, giao ước thi đua"),
    ]),
    ("Tổ chức phong trào thi đua, điển hình tiên tiến", [
        ("Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến theo từng phong trào", 10, f"{PLAN}, mục II.7",
         "Danh sách điển hình, báo cáo"),
        ("Sơ kết, tổng kết các phong trào thi đua theo đợt, chuyên đề", 10, f"{PLAN}, mục II.6",
         "Báo cáo sơ kết, tổng kết"),
        ("Tuyên truyền, nêu gương “Người tốt, việc tốt”, điển hình tiên tiến", 5, f"{PLAN}, mục III.3",
         "Bài viết, tin phát thanh"),
    ]),
    ("Công tác khen thưởng", [
        ("Khen thưởng đúng thẩm quyền, tiêu chuẩn, trình tự, thủ tục", 15,
         "Luật Thi đua, khen thưởng; Nghị định 91/2017/NĐ-CP", "Hồ sơ, quyết định khen thưởng"),
        ("Tỷ lệ khen thưởng công nhân, nông dân, người lao động trực tiếp trên 30%", 10, f"{PLAN}, mục II.9",
         "Báo cáo tổng hợp khen thưởng"),
        ("Công khai danh sách đề nghị khen thưởng trước khi xét", 5, "Nghị định 91/2017/NĐ-CP",
         "Biên bản niêm yết"),
    ]),
    ("Quản lý nhà nước, tự kiểm tra", [
        ("Lưu trữ hồ sơ khen thưởng, sổ theo dõi khen thưởng", 5, "Luật Lưu trữ; Nghị định 91/2017/NĐ-CP",
         "Sổ khen thưởng"),
        ("Giải quyết đơn thư về thi đua, khen thưởng đúng pháp luật, đúng hạn", 10,
         "Luật Khiếu nại 2011; Luật Tố cáo 2018", "Sổ theo dõi đơn thư"),
        ("Ứng dụng phần mềm quản lý công tác thi đua, khen thưởng của thành phố", 5, f"{PLAN}, mục II.11",
         "Dữ liệu trên phần mềm"),
    ]),
]
#: Đồng Liên's answers by item number (1-based): result, note.
DONG_LIEN = {
    1: ("met", "Kế hoạch 26/KH-UBND ngày 10/3/2021."),
    2: ("met", "Quyết định kiện toàn Hội đồng TĐKT xã tháng 01/2021."),
    3: ("met", "6/6 xóm, 3/3 trường đăng ký thi đua."),
    4: ("met", "Phát hiện 4 điển hình, 2 gương Người tốt, việc tốt."),
    5: ("not_met", "Chưa sơ kết phong trào “Xây dựng đô thị Xanh - Sạch - Đẹp”."),
    6: ("met", "8 tin bài trên Đài truyền thanh xã."),
    7: ("met", ""),
    8: ("not_met", "Tỷ lệ đạt 27%, chưa đạt chỉ tiêu trên 30%."),
    9: ("met", "Niêm yết tại trụ sở UBND xã và nhà văn hóa các xóm."),
    10: ("met", ""),
    11: ("na", "Năm 2021 không phát sinh đơn thư về thi đua, khen thưởng."),
    12: ("met", ""),
}
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _attach(unit_id: int, owner_type: str, owner_id: int, filename: str) -> None:
    db.session.add(Attachment(unit_id=unit_id, owner_type=owner_type, owner_id=owner_id, filename=filename,
                              content_type="application/pdf", size=len(PDF), data=PDF))


def seed(world) -> None:
    city, dong_lien, tan_cuong = world.city, world.dong_lien, world.tan_cuong
    scope = {city.id} | {u.id for u in db.session.scalars(select(Unit).where(Unit.parent_id == city.id))}
    with unit_scope(scope):
        if db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.unit_id == city.id,
                                                             ChecklistTemplate.name == TEMPLATE_NAME)):
            return
        template = services.save_template(city, {
            "name": TEMPLATE_NAME,
            "description": "Thực hiện nhiệm vụ tự kiểm tra, giám sát việc thực hiện chính sách, pháp luật về thi đua, "
                           "khen thưởng (Kế hoạch 32/KH-UBND của UBND thành phố)."})
        for title, items in SECTIONS:
            section = services.add_section(template, title)
            for text, weight, basis, evidence in items:
                services.save_item(template, {"section_id": section.id, "text": text, "weight": Decimal(weight),
                                              "basis": basis, "evidence_expected": evidence})
        round_ = services.publish_round(city, template, {
            "title": "Tự kiểm tra công tác thi đua, khen thưởng năm 2021", "period_start": date(2021, 1, 1),
            "period_end": date(2021, 12, 31), "deadline": date(2021, 11, 15),
            "note": "Các xã, phường tự kiểm tra, Chủ tịch UBND ký xác nhận và gửi kết quả về Phòng Nội vụ."})
        items = template.items

        # Đồng Liên: filled in, evidence, findings, corrective actions, signed, accepted.
        inspection = services.start_self_inspection(dong_lien, round_)
        services.save_answers(inspection, {items[n - 1].id: {"result": r, "note": note}
                                           for n, (r, note) in DONG_LIEN.items()})
        answers = services.answers_by_item(inspection)
        _attach(dong_lien.id, "InspectionAnswer", answers[items[0].id].id, "26-KH-UBND-ke-hoach-thi-dua-2021.pdf")
        _attach(dong_lien.id, "InspectionAnswer", answers[items[1].id].id, "QD-kien-toan-Hoi-dong-TDKT.pdf")
        _attach(dong_lien.id, "InspectionAnswer", answers[items[5].id].id, "danh-sach-tin-bai-truyen-thanh.pdf")
        db.session.commit()
        services.add_finding(inspection, "Chưa tổ chức sơ kết phong trào “Xây dựng đô thị Xanh - Sạch - Đẹp gắn với "
                                         "tăng trưởng Xanh” theo kế hoạch.")
        services.add_finding(inspection, "Tỷ lệ khen thưởng công nhân, nông dân, người lao động trực tiếp đạt 27%, "
                                         "thấp hơn chỉ tiêu trên 30% của kế hoạch.")
        closed = services.add_action(inspection, {"what": "Bổ sung sổ theo dõi khen thưởng năm 2020 còn thiếu",
                                                  "who": "Công chức Văn phòng - Thống kê", "due_date": date(2021, 8, 31)})
        services.update_action(closed, {"status": "closed", "progress_note": "Đã bổ sung đủ sổ theo dõi.",
                                        "closed_on": date(2021, 8, 20)})
        services.add_action(inspection, {"what": "Tổ chức sơ kết phong trào “Xây dựng đô thị Xanh - Sạch - Đẹp”",
                                         "who": "Công chức Văn hóa - Xã hội", "due_date": date(2021, 9, 30)})
        progress = services.add_action(inspection, {
            "what": "Tăng đề nghị khen thưởng nông dân, người lao động trực tiếp trong đợt tổng kết năm",
            "who": "Hội đồng Thi đua – Khen thưởng xã", "due_date": date(2021, 12, 31)})
        services.update_action(progress, {"status": "in_progress",
                                          "progress_note": "Đã rà soát danh sách các xóm đề nghị."})
        workflow.apply(inspection, "sign", world.users["donglien.chutich"], permissions={"inspection.sign"},
                       acting_unit_id=dong_lien.id)
        workflow.apply(inspection, "accept", world.users["noivu"], permissions={"inspection.review"},
                       acting_unit_id=city.id,
                       reason="Kết quả tự kiểm tra đầy đủ; đề nghị xã khắc phục các tồn tại đúng hạn.")
        _backdate(inspection, signed=datetime(2021, 11, 10, 2, 0, tzinfo=timezone.utc),
                  reviewed=datetime(2021, 11, 18, 3, 0, tzinfo=timezone.utc))

        # Tân Cương: started, not signed by the deadline (late).
        late = services.start_self_inspection(tan_cuong, round_)
        services.save_answers(late, {items[0].id: {"result": "met", "note": "Kế hoạch số 18/KH-UBND."},
                                     items[1].id: {"result": "met", "note": ""}})

        # The city's own inspection of Tân Cương.
        own = services.start_supervisory(city, round_, tan_cuong, {
            "inspected_on": date(2021, 11, 25), "inspectors": "Phòng Nội vụ thành phố (bà Hoàng Thị Thu Hà)"})
        results = ["met"] * len(items)
        results[4], results[7], results[10] = "not_met", "not_met", "na"
        services.save_answers(own, {item.id: {"result": r} for item, r in zip(items, results)})
        services.add_finding(own, "Xã chưa gửi kết quả tự kiểm tra đúng hạn 15/11/2021.")
        services.add_action(own, {"what": "Hoàn thành và gửi kết quả tự kiểm tra năm 2021",
                                  "who": "UBND xã Tân Cương", "due_date": date(2021, 12, 10)})
        with clock.pinned(date(2021, 11, 25)):  # concluded on the day of the inspection
            workflow.apply(own, "conclude", world.users["noivu"], permissions={"inspection.conduct"},
                           acting_unit_id=city.id)


def _backdate(inspection: Inspection, *, signed: datetime, reviewed: datetime) -> None:
    """The demo world is 2021: the sign-off and review happened then."""
    inspection.signed_at, inspection.reviewed_at = signed, reviewed
    for event, at in zip(inspection.events, (signed, reviewed)):
        event.at = at
    db.session.commit()
