"""Demo plans: the city's 32/KH-UBND (illustrative text) and Đồng Liên's 26/KH-UBND, loaded item by
item exactly as the seed document has it, as an adaptation of 32/KH-UBND (kept, changed, removed
and added items); Tân Cương has adopted 32/KH-UBND and is still drafting."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from thiduaweb.core import clock
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db
from thiduaweb.plans import services
from thiduaweb.plans.models import Plan, PlanItem

SEED_ITEMS = {
    'I': [
        'Nhằm tổ chức thực hiện phong trào thi đua yêu nước trên địa bàn xã, góp phần thực hiện thắng lợi mục tiêu, nhiệm vụ phát triển kinh tế - xã hội của xã năm 2021 và kế hoạch 5 năm (2020 - 2025) theo Nghị quyết Đại hội Đảng bộ xã Đồng Liên lần thứ XXIV.',
        'Nâng cao chất lượng khen thưởng, đảm bảo chính xác, công khai, công bằng, dân chủ, kịp thời động viên những tập thể, cá nhân, hộ gia đình có thành tích xuất sắc trong các phong trào thi đua yêu nước, nhất là ở các lĩnh vực, các tập thể nhỏ, tập thể, cá nhân, hộ gia đình, công nhân, nông dân, người lao động trực tiếp sản xuất, công tác.',
        'Công tác thi đua, khen thưởng phải đảm bảo bám sát nhiệm vụ chính trị của thành phố, địa phương, đơn vị, mang tính tuyên truyền, giáo dục cao, có sức lan tỏa phù hợp với từng đối tượng, thu hút sự quan tâm, theo dõi, tham gia, hưởng ứng của đông đảo nhân dân; tạo động lực thực sự cho sự phát triển kinh tế - xã hội và xây dựng con người mới.',
    ],
    'II': [
        'Thực hiện tốt công tác xây dựng Đảng, xây dựng hệ thống chính trị theo tinh thần Nghị quyết Trung ương 4 khoá XI, XII về tăng cường xây dựng chính đảng; Chỉ thị số 05 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; phấn đấu thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ thành phố Thái Nguyên lần thứ XVIII và Nghị quyết Đại hội đại biểu Đảng bộ xã lần thứ XXIV.',
        'Tiếp tục cụ thể hoá chủ trương, đường lối của Đảng, chính sách pháp luật của Nhà nước về thi đua, khen thưởng, trọng tâm là Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng.',
        'Tập trung chỉ đạo và thực hiện đồng bộ các giải pháp để thực hiện thắng lợi chủ đề được Ban Chấp hành Đảng bộ xã xác định phần đầu hoàn thành toàn diện, vượt mức các chỉ tiêu năm 2021.',
        'Tổ chức các hoạt động thiết thực chào mừng kỷ niệm 73 năm ngày Chủ tịch Hồ Chí Minh ra lời kêu gọi thi đua ái quốc. Tiếp tục tuyên truyền sâu rộng về phong trào thi đua yêu nước. Đẩy mạnh tuyên truyền các phong trào thi đua, dành nhiều thời lượng, thời gian, chuyên mục về thi đua yêu nước, tăng cường tuyên truyền về gương người tốt, việc tốt.',
        'Tích cực đổi mới phương thức tổ chức phong trào thi đua yêu nước, bảo đảm các phong trào thi đua được tổ chức sâu rộng trên các lĩnh vực, gắn với thực hiện học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, tạo môi trường thi đua thuận lợi nhằm phát huy cao nhất mọi nguồn lực trong nhân dân và người lao động cho sự nghiệp phát triển của địa phương.',
        'Đẩy mạnh các phong trào thi đua yêu nước do Trung ương và tỉnh, thành phố phát động như phong trào “Thực hiện cải cách hành chính”, “Thái Nguyên chung sức xây dựng nông thôn mới”, hưởng ứng phong trào “Cả nước chung tay vì người nghèo - không để ai bị bỏ lại phía sau” ... Tiếp tục thực hiện có hiệu quả phong trào thi đua thường xuyên và các phong trào thi đua theo chuyên đề, thi đua theo đợt do xã phát động đặc biệt là phong trào “Đẩy mạnh học tập và làm theo tư tưởng đạo đức, phong cách Hồ Chí Minh”, “Toàn dân bảo vệ an ninh Tổ quốc”, “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”, “Bảo đảm an toàn giao thông”, “Nông dân thi đua, sản xuất kinh doanh giỏi”, “Xây dựng đô thị Xanh - Sạch - Đẹp gắn với tăng trưởng Xanh” Phong trào thi đua „ Đổi mới, sáng tạo trong dạy và học”, “Phong trào lao động giỏi, lao động sáng tạo”, thi đua lập thành tích chào mừng các ngày lễ lớn của đất nước... Định kỳ tổ chức sơ kết, tổng kết, đánh giá kết quả, hiệu quả các phong trào thi đua của địa phương đã và đang thực hiện trên địa bàn xã Đồng Liên. Phát động một số phong trào thi đua theo chuyên đề mới nhằm thực hiện nhiệm vụ chính trị trọng tâm của xã.',
        'Thực hiện có hiệu quả việc phát hiện, xây dựng và nhân rộng điển hình tiên tiến, mô hình điểm ở địa phương theo từng phong trào, đối tượng thi đua. Xét chọn những cá nhân, tập thể tiêu biểu để bồi dưỡng, nêu gương làm nòng cốt cho phong trào thi đua. Bồi dưỡng các nhân tố khen bậc cao có chất lượng làm sức lan toả, thông qua đó thúc đẩy các phong trào thi đua phát triển ngày càng mạnh mẽ, có chiều sâu. Tạo điều kiện để các điển hình tiên tiến được báo cáo, chia sẻ kinh nghiệm trong phong trào thi đua yêu nước nhằm tạo sự lan toả cộng đồng. Tổ chức các hoạt động, biểu dương các điển hình tiên tiến trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.',
        'Tiếp tục xây dựng kế hoạch hoạt động, xây dựng nội dung sinh hoạt thi đua gắn với nhiệm vụ trọng tâm của các địa phương; những vấn đề khó khăn, phức tạp đưa ra thảo luận tìm các giải pháp, cách làm hay để nhân rộng, tạo sự lan toả thành động lực trong phong trào thi đua.',
        'Thực hiện công tác khen thưởng đúng nguyên tắc, tiêu chuẩn. Người đứng đầu có trách nhiệm chủ động phát hiện, khen thưởng tập thể, cá nhân có thành tích xuất sắc trong lao động sản xuất, học tập và công tác. Tiếp tục tăng cường khen thưởng tập thể, hộ gia đình, công chức chuyên môn, nông dân, người lao động trực tiếp sản xuất, công tác. Bảo đảm khen thưởng cho công nhân, nông dân, người lao động trực tiếp sản xuất, công tác phải đạt trên 30%. Thực hiện xét đề nghị tặng danh hiệu thi đua và hình thức khen thưởng theo thành tích đạt được đối với nông dân, người lao động thuộc phạm vi quản lý của xã. Tăng cường khen thưởng đột xuất và các hình thức động viên khác.',
        'Kiện toàn, nâng cao vai trò, đổi mới phương thức hoạt động của Hội đồng Thi đua, khen thưởng của xã; Đề nghị các cấp tổ chức tập huấn nghiệp vụ công tác thi đua, khen thưởng cho cán bộ làm công tác thi đua, khen thưởng để đáp ứng yêu cầu đổi mới công tác thi đua, khen thưởng.',
        'Thực hiện tốt công tác cải cách hành chính, ứng dụng công nghệ thông tin trong công tác thi đua, khen thưởng. Triển khai thực hiện sử dụng hiệu quả phần mềm quản lý công tác thi đua, khen thưởng của thành phố triển khai. Tăng cường quản lý nhà nước về thi đua, khen thưởng, đảm bảo hiệu lực, hiệu quả. Thực hiện tốt công tác tự kiểm tra, giám sát việc thực hiện chính sách, pháp luật về công tác thi đua, khen thưởng. Giải quyết đúng pháp luật đơn thư, khiếu nại, tố cáo, kiến nghị của công dân về thi đua, khen thưởng, đảm bảo đáp ứng nguyện vọng chính đáng của công dân.',
    ],
    'III': [
        'Hội đồng Thi đua, khen thưởng xã theo dõi, đôn đốc, chỉ đạo, xây dựng kế hoạch triển khai tổ chức thực hiện, tổng hợp các loại báo cáo UBND xã. Hướng dẫn các bộ phận tổ chức đánh giá, bình xét khen thưởng đúng quy trình, tiêu chuẩn, tỷ lệ, công khai, dân chủ; thẩm định hồ sơ khen thưởng trình Chủ tịch UBND xã và cấp trên khen thưởng theo quy định.',
        'UBND các xã phát động và tổ chức các phong trào thi đua yêu nước, tạo môi trường thi đua tốt để phong trào thi đua phát triển, thiết thực và bền vững; tiếp tục thực hiện cải cách hành chính, tích cực ứng dụng công nghệ thông tin vào quản lý công tác thi đua, khen thưởng; nâng cao chất lượng cán bộ làm công tác thi đua để đáp ứng được yêu cầu của công tác thi đua khen thưởng trong giai đoạn hiện nay.',
        'Công chức văn hóa xã hội xây dựng kế hoạch tuyên truyền các phong trào thi đua; có bài viết chuyên trang, chuyên đề tuyên truyền và nêu gương các điển hình tiên tiến; tập trung tuyên truyền về những thành quả của các phong trào thi đua trên các lĩnh vực của đời sống, những gương “Người tốt, việc tốt”, anh hùng, chiến sỹ thi đua trong thời kỳ đổi mới qua đó giáo dục truyền thống yêu nước, tinh thần đoàn kết, ý chí quyết tâm, niềm tự tôn dân tộc và tạo khí thế thi đua sôi nổi của các tầng lớp nhân dân trong công cuộc xây dựng và bảo vệ Tổ quốc.',
        'Đề nghị Ủy ban mặt trận Tổ quốc, các tổ chức chính trị - xã hội phối hợp với chính quyền phát huy sức mạnh khối đại đoàn kết toàn dân trong việc vận động cán bộ, công chức, đoàn viên, hội viên, người sử dụng lao động và nhân dân tích cực hưởng ứng và tham gia các phong trào thi đua, các cuộc vận động chuyên đề với tinh thần trách nhiệm cao, đạt hiệu quả, góp phần tích cực vào sự nghiệp xây dựng và phát triển xã Đồng Liên.',
    ],
}

TITLE_26 = "Tổ chức phong trào thi đua yêu nước\nvà công tác thi đua, khen thưởng xã Đồng Liên năm 2021"
BASES_26 = ("Thực hiện Kế hoạch số 32/KH-UBND ngày 01/3/2021 về tổ chức phong trào thi đua yêu nước và công tác "
            "thi đua, khen thưởng thành phố Thái Nguyên năm 2021, Ủy ban nhân dân xã Đồng Liên ban hành Kế hoạch tổ "
            "chức phong trào thi đua yêu nước và công tác thi đua, khen thưởng xã Đồng Liên năm 2021 như sau:")
CLOSING_26 = ("Trên đây là Kế hoạch tổ chức phong trào thi đua yêu nước và công tác thi đua, khen thưởng trên địa bàn "
              "xã năm 2021. UBND xã Đồng Liên đề nghị các ban ngành đoàn thể, cơ quan đơn vị, trường học, các xóm triển "
              "khai thực hiện./.")
RECIPIENTS_26 = ["UBND thành phố", "Phòng Nội vụ thành phố", "TT Đảng ủy xã", "TT HĐND xã", "Lãnh đạo UBND xã",
                 "Thành viên Hội đồng TĐKT xã", "UBMTTQ, các đoàn thể, CBCC xã", "Các xóm", "Lưu: VP-UBND"]

TITLE_32 = "Tổ chức phong trào thi đua yêu nước\nvà công tác thi đua, khen thưởng thành phố Thái Nguyên năm 2021"
NOTE_32 = ("Văn bản minh họa: toàn văn Kế hoạch số 32/KH-UBND ngày 01/3/2021 của UBND thành phố Thái Nguyên không có "
           "trong tài liệu gốc. Nội dung ở đây được dựng theo cấu trúc của kế hoạch xã Đồng Liên để minh họa việc "
           "tiếp nhận và điều chỉnh kế hoạch cấp trên.")

# The city's plan, item by item: ("same", section, index in the seed) copies the commune's text (kept),
# ("text", section, text, index or None) is the city's own text; the index links it to the seed item
# that adapts it (changed), None means the commune dropped it (removed). Seed items no city item
# links to were added by the commune.
CITY_ITEMS = [
    ("text", "I", "Nhằm tổ chức thực hiện phong trào thi đua yêu nước trên địa bàn thành phố, góp phần thực hiện thắng "
     "lợi mục tiêu, nhiệm vụ phát triển kinh tế - xã hội của thành phố năm 2021 và kế hoạch 5 năm (2020 - 2025) theo "
     "Nghị quyết Đại hội Đảng bộ thành phố Thái Nguyên lần thứ XVIII.", 0),
    ("same", "I", 1),
    ("same", "I", 2),
    ("text", "II", "Thực hiện tốt công tác xây dựng Đảng, xây dựng hệ thống chính trị theo tinh thần Nghị quyết Trung "
     "ương 4 khoá XI, XII về tăng cường xây dựng chỉnh đốn Đảng; Chỉ thị số 05 của Bộ Chính trị về đẩy mạnh học tập và "
     "làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; phấn đấu thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ "
     "thành phố Thái Nguyên lần thứ XVIII.", 0),
    ("same", "II", 1),
    ("text", "II", "Tập trung chỉ đạo và thực hiện đồng bộ các giải pháp để thực hiện thắng lợi chủ đề năm 2021 được "
     "Ban Chấp hành Đảng bộ thành phố xác định, phấn đấu hoàn thành toàn diện, vượt mức các chỉ tiêu năm 2021.", 2),
    ("same", "II", 3),
    ("same", "II", 4),
    ("text", "II", "Đẩy mạnh các phong trào thi đua yêu nước do Trung ương và tỉnh phát động như phong trào “Thực hiện "
     "cải cách hành chính”, “Thái Nguyên chung sức xây dựng nông thôn mới”, hưởng ứng phong trào “Cả nước chung tay vì "
     "người nghèo - không để ai bị bỏ lại phía sau”. Các xã, phường tiếp tục thực hiện có hiệu quả phong trào thi đua "
     "thường xuyên, thi đua theo chuyên đề, thi đua theo đợt; định kỳ sơ kết, tổng kết, đánh giá kết quả các phong trào "
     "thi đua trên địa bàn.", 5),
    ("same", "II", 6),
    ("text", "II", "Các cơ quan, đơn vị, doanh nghiệp trên địa bàn thành phố tổ chức phong trào thi đua gắn với nhiệm "
     "vụ sản xuất, kinh doanh; quan tâm khen thưởng người lao động trực tiếp; thực hiện tốt chính sách đối với người "
     "lao động.", None),
    ("same", "II", 7),
    ("same", "II", 8),
    ("same", "II", 9),
    ("same", "II", 10),
    ("text", "III", "Phòng Nội vụ thành phố (Cơ quan Thường trực Hội đồng Thi đua - Khen thưởng thành phố) theo dõi, "
     "đôn đốc, hướng dẫn các cơ quan, đơn vị, UBND các xã, phường triển khai thực hiện; tổng hợp, báo cáo UBND thành "
     "phố; thẩm định hồ sơ khen thưởng trình Chủ tịch UBND thành phố và cấp trên khen thưởng theo quy định.", 0),
    ("same", "III", 1),
    ("text", "III", "Trung tâm Văn hóa, Thông tin và Truyền thông thành phố xây dựng kế hoạch tuyên truyền các phong "
     "trào thi đua; mở chuyên trang, chuyên mục tuyên truyền và nêu gương các điển hình tiên tiến, những gương “Người "
     "tốt, việc tốt”.", 2),
    ("text", "III", "Các phòng, ban, cơ quan, đơn vị thuộc UBND thành phố căn cứ Kế hoạch này xây dựng kế hoạch triển "
     "khai tại cơ quan, đơn vị; gửi kết quả thực hiện về Phòng Nội vụ thành phố trước ngày 15/11/2021 để tổng hợp.",
     None),
]


def _find(unit_id: int, symbol: str) -> Plan | None:
    return db.session.scalar(all_units(select(Plan).where(Plan.unit_id == unit_id, Plan.number_symbol == symbol)))


def seed(world) -> None:
    city, dong_lien, tan_cuong = world.city, world.dong_lien, world.tan_cuong
    supervisor = world.users.get("noivu")
    chairman = world.users.get("donglien.chutich")
    plan32 = _find(city.id, "32/KH-UBND")
    if plan32 is None:
        plan32 = _seed_city_plan(city, supervisor)
    world.extra["plan32"] = plan32
    plan26 = _find(dong_lien.id, "26/KH-UBND")
    if plan26 is None:
        plan26 = _seed_dong_lien(dong_lien, plan32, world.users.get("donglien.canbo"), chairman)
    world.extra["plan26"] = plan26
    with unit_scope({tan_cuong.id}):
        if services.adoption_of(tan_cuong, plan32) is None:
            draft = services.adopt(tan_cuong, plan32, world.users.get("tancuong.canbo"))
            draft.created_at = datetime(2021, 3, 12, 8, 0, tzinfo=timezone.utc)
            item = draft.items_of("III")[-1]
            services.delete_item(draft, item)


def _seed_city_plan(city, supervisor) -> Plan:
    with unit_scope({city.id}):
        plan = services.create_plan(city, supervisor, {
            "year": 2021, "title": TITLE_32, "place": "Thái Nguyên", "description": NOTE_32,
            "bases": ("Căn cứ Luật Thi đua, khen thưởng; Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ; "
                      "UBND thành phố Thái Nguyên ban hành Kế hoạch tổ chức phong trào thi đua yêu nước và công tác thi "
                      "đua, khen thưởng thành phố năm 2021 như sau:"),
            "closing": "Trên đây là Kế hoạch tổ chức phong trào thi đua yêu nước và công tác thi đua, khen thưởng "
                       "thành phố Thái Nguyên năm 2021./.",
            "recipients": "\n".join(["UBND tỉnh", "Ban Thi đua - Khen thưởng tỉnh", "TT Thành ủy, TT HĐND thành phố",
                                     "Các phòng, ban, đơn vị thuộc UBND thành phố", "UBND các xã, phường",
                                     "Lưu: VT, NV"]),
            "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_position": "CHỦ TỊCH",
            "signer_name": "Chủ tịch UBND thành phố", "adoption_deadline": date(2021, 3, 15),
        })
        for entry in CITY_ITEMS:
            if entry[0] == "same":
                _, section, index = entry
                text = SEED_ITEMS[section][index]
            else:
                _, section, text, _index = entry
            services.add_item(plan, {"section": section, "text": text, "responsible": "", "due_on": None})
        with clock.pinned(date(2021, 3, 1)):  # the history reads the day it was issued
            services.issue(plan, supervisor, issued_on=date(2021, 3, 1), number=32,
                           signer_name="Chủ tịch UBND thành phố")
        return plan


def _seed_dong_lien(unit, plan32: Plan, officer, chairman) -> Plan:
    links: dict[tuple[str, int], int] = {}  # (section, seed index) → city item id
    city_items = sorted(plan32.items, key=lambda i: ({"I": 1, "II": 2, "III": 3}[i.section], i.position))
    for entry, city_item in zip(CITY_ITEMS, city_items):
        index = entry[2] if entry[0] == "same" else entry[3]
        if index is not None:
            links[(entry[1], index)] = city_item.id
    with unit_scope({unit.id}):
        plan = services.adopt(unit, plan32, officer)
        plan.created_at = datetime(2021, 3, 3, 2, 30, tzinfo=timezone.utc)
        plan.title, plan.bases, plan.closing = TITLE_26, BASES_26, CLOSING_26
        plan.recipients = "\n".join(RECIPIENTS_26)
        plan.place = "Đồng Liên"
        plan.signer_authority, plan.signer_position, plan.signer_name = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Tạ Văn Phin"
        by_parent = {item.parent_item_id: item for item in plan.items}
        wanted = set()
        for section, texts in SEED_ITEMS.items():
            for index, text in enumerate(texts):
                parent_id = links.get((section, index))
                item = by_parent.get(parent_id) if parent_id else None
                if item is None:
                    item = PlanItem(unit_id=unit.id, plan_id=plan.id, section=section, text=text, responsible="")
                    plan.items.append(item)
                item.section, item.position, item.text = section, index + 1, text
                wanted.add(id(item))
        for item in list(plan.items):
            if id(item) not in wanted:
                plan.items.remove(item)
        db.session.commit()
        with clock.pinned(date(2021, 3, 10)):
            services.issue(plan, chairman, issued_on=date(2021, 3, 10), number=26, signer_name="Tạ Văn Phin")
        return plan
