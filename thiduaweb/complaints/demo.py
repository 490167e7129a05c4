"""Demo đơn thư of 2021 in Đồng Liên and Tân Cương: every kind and every state, one forwarded
between the communes, one complaint at the second instance at the city."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from flask import current_app
from sqlalchemy import select

from thiduaweb.complaints import deadlines, services
from thiduaweb.complaints.models import Petition
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db

MARK = "Khiếu nại việc không được bình xét Lao động tiên tiến năm 2020"


@contextmanager
def _on(day: date, unit):
    """Act on `day` within `unit`'s scope (the services read today from the clock)."""
    saved = current_app.config.get("TODAY")
    current_app.config["TODAY"] = day
    try:
        with unit_scope({unit.id}):
            yield
    finally:
        current_app.config["TODAY"] = saved


def seed(world) -> None:
    if db.session.scalar(all_units(select(Petition.id).where(Petition.subject == MARK))):
        return
    deadlines.ensure_rules()
    db.session.commit()
    dl, tc, city = world.dong_lien, world.tan_cuong, world.city
    officer, chairman = world.users["donglien.canbo"], world.users["donglien.chutich"]
    officer_tc, noivu = world.users["tancuong.canbo"], world.users["noivu"]

    def new(unit, day, **data):
        with _on(day, unit):
            return services.file_petition(unit, data, received_on=day)

    # Filed (in Đồng Liên unless said otherwise).
    new(dl, date(2021, 3, 15), kind="complaint", subject=MARK,
        content="Tôi là giáo viên Trường Tiểu học Đồng Liên, năm 2020 hoàn thành xuất sắc nhiệm vụ nhưng không "
                "có tên trong danh sách bình xét Lao động tiên tiến. Đề nghị UBND xã xem xét lại.",
        filer_name="Ngô Thị Hạnh", filer_address="Xóm Cây Thị, xã Đồng Liên", filer_phone="0912345001")
    handling = new(dl, date(2021, 3, 2), kind="complaint", subject="Khiếu nại danh sách Gia đình văn hóa xóm Đồng Tâm",
                   content="Gia đình tôi đạt đủ ba nhóm tiêu chí nhưng không được đưa vào danh sách Gia đình văn hóa "
                           "năm 2020 của xóm Đồng Tâm. Đề nghị xem xét lại việc bình xét.",
                   filer_name="Trần Văn Bình", filer_address="Xóm Đồng Tâm, xã Đồng Liên", filer_phone="0912345002")
    closed = new(dl, date(2021, 1, 18), kind="complaint", subject="Khiếu nại mức tiền thưởng Giấy khen",
                 content="Tiền thưởng kèm Giấy khen của UBND xã năm 2020 thấp hơn mức quy định tại Nghị định 91/2017.",
                 filer_name="Lê Văn Cường", filer_address="Xóm Bến Đò, xã Đồng Liên", filer_email="cuong.le@example.vn")
    appealed = new(dl, date(2021, 1, 11), kind="complaint",
                   subject="Khiếu nại quyết định không tặng Chiến sĩ thi đua cơ sở",
                   content="Tôi có sáng kiến được công nhận năm 2020 nhưng không được đề nghị Chiến sĩ thi đua cơ sở. "
                           "Đề nghị xem xét lại quyết định của Hội đồng Thi đua – Khen thưởng xã.",
                   filer_name="Phạm Thị Dung", filer_address="Xóm Hòa Bình, xã Đồng Liên", filer_phone="0912345004")
    refused = new(dl, date(2021, 2, 22), kind="complaint", subject="Khiếu nại kết quả bình xét năm 2019",
                  content="Đề nghị xem xét lại kết quả bình xét Lao động tiên tiến năm 2019 của thôn Đồng Liên.",
                  filer_name="Hoàng Văn Đức", filer_address="Xóm Bến Đò, xã Đồng Liên")
    denounced = new(dl, date(2021, 1, 25), kind="denunciation",
                    subject="Tố cáo kê khai khống thành tích hộ kinh doanh",
                    content="Hồ sơ đề nghị tặng Giấy khen của một hộ kinh doanh ở xóm Cây Thị kê khai doanh thu và số "
                            "lao động cao hơn thực tế. Tôi có bảng kê thuế năm 2020 để đối chiếu.",
                    filer_name="Đinh Văn Hùng", filer_address="Xóm Cây Thị, xã Đồng Liên", filer_phone="0912345006")
    concrete = new(dl, date(2021, 2, 8), kind="denunciation", anonymous=True,
                   subject="Tố cáo khai khống số hộ Gia đình văn hóa xóm Hòa Bình",
                   content="Danh sách Gia đình văn hóa năm 2020 của xóm Hòa Bình có 5 hộ đã chuyển đi nơi khác từ năm "
                           "2019; kèm danh sách tên các hộ.")
    vague = new(dl, date(2021, 2, 9), kind="denunciation", anonymous=True, subject="Đơn không ghi tên về cán bộ xã",
                content="Có cán bộ xã thiên vị trong việc bình xét thi đua, đề nghị làm rõ.")
    guided = new(dl, date(2021, 3, 1), kind="petition", subject="Kiến nghị khen thưởng đột xuất người cứu đuối",
                 content="Đề nghị khen thưởng anh Nguyễn Văn Tâm đã cứu hai cháu bé đuối nước ở sông Cầu ngày "
                         "27/02/2021.", filer_name="Vũ Thị Lan", filer_address="Xóm Bến Đò, xã Đồng Liên")
    answered = new(dl, date(2021, 2, 1), kind="report", subject="Phản ánh chậm trao Giấy khen năm 2020",
                   content="Giấy khen năm 2020 của các hộ gia đình xóm Đồng Tâm đến nay chưa được trao.",
                   filer_name="Bùi Văn Nam", filer_address="Xóm Đồng Tâm, xã Đồng Liên", filer_phone="0912345010")
    withdrawn = new(dl, date(2021, 3, 3), kind="report", subject="Phản ánh việc niêm yết danh sách bình xét",
                    content="Danh sách bình xét của xóm Hòa Bình niêm yết ở nhà văn hóa chưa đủ 10 ngày.",
                    filer_name="Tạ Thị Oanh", filer_address="Xóm Hòa Bình, xã Đồng Liên")
    forwarded = new(dl, date(2021, 3, 4), kind="petition", subject="Kiến nghị về danh hiệu Thôn văn hóa xóm Soi Mít",
                    content="Xóm Soi Mít thuộc xã Tân Cương đề nghị xem xét lại tiêu chí Thôn văn hóa năm 2020.",
                    filer_name="Lương Văn Phúc", filer_address="Xóm Soi Mít, xã Tân Cương")
    new(tc, date(2021, 2, 24), kind="complaint", subject="Khiếu nại kết quả bình xét Lao động tiên tiến xóm Nam Đồng",
        content="Kết quả họp bình xét của xóm Nam Đồng không đúng số phiếu thực tế, đề nghị UBND xã kiểm tra lại.",
        filer_name="Đặng Thị Quế", filer_address="Xóm Nam Đồng, xã Tân Cương", filer_phone="0912345013")
    tc_report = new(tc, date(2021, 2, 2), kind="report", subject="Phản ánh việc công khai danh sách khen thưởng",
                    content="Danh sách khen thưởng năm 2020 chưa được đăng trên bảng tin của xã Tân Cương.",
                    filer_name="Mai Văn Sơn", filer_address="Xóm Hồng Thái, xã Tân Cương")
    new(tc, date(2021, 3, 8), kind="denunciation", subject="Tố cáo việc sửa biên bản họp bình xét",
        content="Biên bản họp bình xét Chiến sĩ thi đua cơ sở của trường THCS Tân Cương bị sửa số phiếu sau cuộc "
                "họp; tôi có bản chụp biên bản gốc.",
        filer_name="Chu Văn Tuấn", filer_address="Xóm Gò Móc, xã Tân Cương", filer_phone="0912345015")

    # The officers' steps, day by day (document numbers run in this order).
    second_instance = {}
    steps = [
        (date(2021, 1, 15), dl, lambda: services.classify(appealed, "accept", officer, on=date(2021, 1, 15))),
        (date(2021, 1, 22), dl, lambda: services.classify(closed, "accept", officer, on=date(2021, 1, 22))),
        (date(2021, 2, 1), dl, lambda: services.classify(denounced, "accept", officer, on=date(2021, 2, 1))),
        (date(2021, 2, 1), dl, lambda: services.assign(denounced, officer.id, chairman)),
        (date(2021, 2, 2), dl, lambda: services.classify(answered, "accept", officer, on=date(2021, 2, 2))),
        (date(2021, 2, 3), tc, lambda: services.classify(tc_report, "accept", officer_tc, on=date(2021, 2, 3))),
        (date(2021, 2, 9), dl, lambda: services.answer(
            answered, officer, "UBND xã trao Giấy khen tại hội nghị xóm ngày 20/02/2021.", on=date(2021, 2, 9))),
        (date(2021, 2, 10), tc, lambda: services.answer(
            tc_report, officer_tc, "UBND xã đã niêm yết danh sách tại bảng tin và đăng trên trang thông tin điện tử "
                                   "của xã ngày 09/02/2021.", on=date(2021, 2, 10))),
        (date(2021, 2, 11), tc, lambda: services.close(tc_report, officer_tc)),
        (date(2021, 2, 18), dl, lambda: services.classify(concrete, "inspect", officer, on=date(2021, 2, 18))),
        (date(2021, 2, 19), dl, lambda: services.classify(vague, "record", officer, on=date(2021, 2, 19))),
        (date(2021, 2, 19), dl, lambda: services.answer(
            closed, officer, "Chấp nhận khiếu nại: chi bổ sung tiền thưởng theo đúng mức quy định tại Nghị định "
                             "91/2017/NĐ-CP.", on=date(2021, 2, 19))),
        (date(2021, 2, 24), dl, lambda: services.close(closed, officer, "Đã chi bổ sung, người khiếu nại đã nhận.")),
        (date(2021, 2, 25), dl, lambda: services.classify(
            refused, "refuse", officer, on=date(2021, 2, 25),
            reason="Đã hết thời hiệu khiếu nại 90 ngày kể từ ngày có quyết định (Điều 9 Luật Khiếu nại).")),
        (date(2021, 2, 26), dl, lambda: services.answer(
            appealed, officer, "Giữ nguyên kết quả: tỷ lệ Chiến sĩ thi đua cơ sở đã đủ 15% số Lao động tiên tiến "
                               "của đơn vị (khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP).", on=date(2021, 2, 26))),
        (date(2021, 3, 3), dl, lambda: services.extend(
            denounced, officer, "Phải xác minh tại Chi cục Thuế và hai xóm: vụ việc phức tạp (Điều 30 Luật Tố cáo).")),
        (date(2021, 3, 4), dl, lambda: services.classify(
            guided, "guide", officer, on=date(2021, 3, 4),
            guidance="Đề nghị Ban công tác Mặt trận xóm Bến Đò lập hồ sơ đề nghị khen thưởng đột xuất gửi UBND xã; "
                     "công chức văn hóa - xã hội sẽ hướng dẫn thủ tục.")),
        (date(2021, 3, 5), dl, lambda: second_instance.setdefault("p", services.escalate(
            appealed, "Tôi không đồng ý: sáng kiến của tôi có phạm vi ảnh hưởng cấp xã và được công nhận trước các "
                      "trường hợp khác."))),
        (date(2021, 3, 5), dl, lambda: services.withdraw(
            withdrawn, officer, "Người phản ánh rút đơn sau khi được giải thích thời gian niêm yết.",
            on=date(2021, 3, 5))),
        (date(2021, 3, 5), dl, lambda: services.classify(
            forwarded, "forward", officer, target_unit=tc, on=date(2021, 3, 5),
            reason="Nội dung thuộc thẩm quyền UBND xã Tân Cương.")),
        (date(2021, 3, 8), dl, lambda: services.classify(handling, "accept", officer, on=date(2021, 3, 8))),
        (date(2021, 3, 8), dl, lambda: services.assign(handling, officer.id, chairman)),
        (date(2021, 3, 9), dl, lambda: services.add_note(
            handling, officer, "Đã làm việc với trưởng xóm Đồng Tâm, xin biên bản họp bình xét.")),
        (date(2021, 3, 9), city, lambda: services.classify(
            db.session.get(Petition, second_instance["p"].id), "accept", noivu, on=date(2021, 3, 9))),
        (date(2021, 3, 9), city, lambda: services.assign(
            db.session.get(Petition, second_instance["p"].id), noivu.id, noivu)),
    ]
    for day, unit, step in steps:
        with _on(day, unit):
            step()
    _award_season(dl, tc, new)


def _award_season(dl, tc, new) -> None:
    """Đơn received in December 2021, during the posting of the year's award lists: the demo's
    "today" (THIDUAWEB_TODAY, 20/12/2021 with `make run`) finds them new or due within days."""
    new(dl, date(2021, 12, 13), kind="complaint",
        subject="Khiếu nại danh sách bình xét Lao động tiên tiến năm 2021 xóm Mỹ Khánh",
        content="Danh sách niêm yết tại nhà văn hóa xóm Mỹ Khánh ngày 10/12/2021 không có tên tôi dù tôi hoàn thành "
                "tốt nhiệm vụ cả năm. Đề nghị Hội đồng Thi đua – Khen thưởng xã xem xét lại.",
        filer_name="Vũ Thị Thu", filer_address="Xóm Mỹ Khánh, xã Đồng Liên", filer_phone="0912345021")
    new(dl, date(2021, 12, 16), kind="report", subject="Phản ánh việc niêm yết danh sách Gia đình văn hóa năm 2021",
        content="Danh sách Gia đình văn hóa năm 2021 của xóm Thanh Xuyên chỉ niêm yết 5 ngày, chưa đủ 10 ngày theo quy định.",
        filer_name="Đặng Văn Hùng", filer_address="Xóm Thanh Xuyên, xã Đồng Liên")
    new(tc, date(2021, 12, 14), kind="petition", subject="Kiến nghị khen thưởng tổ tự quản xóm Hồng Thái 1",
        content="Tổ tự quản xóm Hồng Thái 1 giữ gìn an ninh trật tự tốt suốt năm 2021, đề nghị UBND xã khen thưởng.",
        filer_name="Hà Văn Lợi", filer_address="Xóm Hồng Thái 1, xã Tân Cương", filer_phone="0912345031")
