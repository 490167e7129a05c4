"""Demo awards: the law's catalogue, nominees of Đồng Liên and Tân Cương, the register 2018–2021, and
2021 nominations in every state of the workflow (one proposal waiting in the city's queue).

Each step is taken with the clock pinned to its day in the 2021 story, so the nominations' histories read
as they happened (created in November, bình xét on 01/12/2021, decided on 16/12/2021 ...)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from thiduaweb.awards import catalogue, rules, workflow
from thiduaweb.awards.models import Award, Decision, Nomination, NominationStep, Nominee
from thiduaweb.core import clock
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.core.vntext import fold
from thiduaweb.extensions import db
from thiduaweb.units.models import Body

ALL = {"nomination.view", "nomination.edit", "nomination.review", "nomination.appraise", "nomination.decide"}

# name, gender, birth year, position, body, occupation
PEOPLE = {
    "xa-dong-lien": [
        ("Nguyễn Thị Hoa", "female", 1982, "Giáo viên", "Trường Tiểu học Đồng Liên", "teacher"),
        ("Trần Văn Bình", "male", 1975, "Xã viên", "Hợp tác xã Chè Đồng Liên", "farmer"),
        ("Lê Thị Mai", "female", 1988, "Công nhân chế biến chè", "Hợp tác xã Chè Đồng Liên", "worker"),
        ("Phạm Văn Đức", "male", 1970, "Trưởng xóm", "Xóm Cây Thị", "farmer"),
        ("Hoàng Văn Nam", "male", 1979, "Công chức Văn phòng - Thống kê", "Văn phòng HĐND - UBND xã", "civil_servant"),
        ("Đỗ Thị Lan", "female", 1985, "Giáo viên", "Trường THCS Đồng Liên", "teacher"),
        ("Vũ Văn Hùng", "male", 1968, "Nông dân", "Xóm Mỹ Khánh", "farmer"),
        ("Ngô Thị Thu", "female", 1990, "Y sĩ", "Trạm Y tế xã", "civil_servant"),
        ("Dương Văn Toàn", "male", 1983, "Thợ cơ khí", "Xóm Thanh Xuyên", "labourer"),
        ("Bùi Thị Hạnh", "female", 1977, "Nông dân", "Xóm Trung Thành", "farmer"),
        ("Nguyễn Văn An", "male", 1981, "Chủ tịch Hội Nông dân xã", "Hội Nông dân xã", "civil_servant"),
        ("Tạ Thị Yến", "female", 1992, "Giáo viên mầm non", "Trường Mầm non Đồng Liên", "teacher"),
    ],
    "xa-tan-cuong": [
        ("Lương Văn Chè", "male", 1972, "Nghệ nhân chè", "Hợp tác xã Chè Tân Cương", "farmer"),
        ("Hà Thị Nhung", "female", 1986, "Giáo viên", "Trường Tiểu học Tân Cương", "teacher"),
        ("Đinh Văn Quang", "male", 1980, "Xã viên", "Hợp tác xã Chè Tân Cương", "farmer"),
        ("Nông Thị Huệ", "female", 1991, "Công nhân", "Xóm Guộc", "worker"),
        ("Mai Văn Sơn", "male", 1976, "Công chức Văn hóa - Xã hội", "Văn phòng HĐND - UBND xã", "civil_servant"),
        ("Lý Thị Hà", "female", 1984, "Nông dân", "Xóm Nam Tiến", "farmer"),
        ("Trịnh Văn Khải", "male", 1978, "Nông dân", "Xóm Hồng Thái 2", "farmer"),
        ("Cao Thị Ngọc", "female", 1989, "Giáo viên", "Trường THCS Tân Cương", "teacher"),
        ("Phùng Văn Lực", "male", 1974, "Thợ xây", "Xóm Guộc", "labourer"),
        ("Vi Thị Thắm", "female", 1993, "Công nhân chế biến chè", "Hợp tác xã Chè Tân Cương", "worker"),
        ("Hứa Văn Tài", "male", 1971, "Nông dân", "Xóm Hồng Thái 1", "farmer"),
    ],
}
COLLECTIVES = {
    "xa-dong-lien": ["Trường Tiểu học Đồng Liên", "Hợp tác xã Chè Đồng Liên"],
    "xa-tan-cuong": ["Trường Tiểu học Tân Cương"],
}
HOUSEHOLDS = {
    "xa-dong-lien": [("Phạm Văn Đức", "male", "Xóm Cây Thị"), ("Bùi Thị Hạnh", "female", "Xóm Trung Thành"),
                     ("Vũ Văn Hùng", "male", "Xóm Mỹ Khánh")],
    "xa-tan-cuong": [("Lương Văn Chè", "male", "Xóm Hồng Thái 1"), ("Lý Thị Hà", "female", "Xóm Nam Tiến")],
}


def seed(world) -> None:
    catalogue.load_catalogue()
    db.session.flush()
    city, dong_lien, tan_cuong = world.city, world.dong_lien, world.tan_cuong
    _chairman(world, city, "thanhpho.chutich", "Nguyễn Văn Lượng", "Chủ tịch UBND thành phố")
    _chairman(world, tan_cuong, "tancuong.chutich", "Phạm Văn Thành", "Chủ tịch UBND xã")
    with unit_scope({city.id, dong_lien.id, tan_cuong.id}):
        done = db.session.scalar(all_units(select(func.count()).select_from(Nomination).where(
            Nomination.unit_id.in_([dong_lien.id, tan_cuong.id]))))
        if done:
            return
        for unit in (dong_lien, tan_cuong):
            people = _nominees(unit)
            _history(unit, city, people)
            db.session.commit()
            officer = world.users["donglien.canbo" if unit is dong_lien else "tancuong.canbo"]
            chairman = world.users["donglien.chutich" if unit is dong_lien else "tancuong.chutich"]
            _nominations_2021(unit, people, officer, chairman)
            if unit is dong_lien:
                _council_and_season(unit, people, officer, chairman)
        db.session.commit()


def _chairman(world, unit, username, full_name, position) -> None:
    """Chairmen the other demo steps do not create (the city's, Tân Cương's): they sign decisions."""
    from thiduaweb.accounts.models import Membership, User
    from thiduaweb.accounts.passwords import hash_password
    from thiduaweb.demo import DEMO_PASSWORD

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, full_name=full_name, position=position,
                    password_hash=hash_password(DEMO_PASSWORD))
        user.memberships.append(Membership(unit_id=unit.id, role="chairman"))
        db.session.add(user)
        db.session.flush()
    world.users[username] = user


def _bodies(unit) -> dict[str, Body]:
    return {b.name: b for b in db.session.scalars(select(Body).where(Body.unit_id == unit.id))}


def _nominee(unit, kind, name, **fields) -> Nominee:
    nominee = Nominee(unit_id=unit.id, kind=kind, name=name, name_folded=fold(name), **fields)
    db.session.add(nominee)
    db.session.flush()
    nominee.lineage_key, nominee.origin_unit_id = f"{unit.id}:{nominee.id}", unit.id
    return nominee


def _nominees(unit) -> dict[str, Nominee]:
    bodies = _bodies(unit)
    made = {}
    for index, (name, gender, born, position, body, group) in enumerate(PEOPLE[unit.slug]):
        made[name] = _nominee(unit, "person", name, gender=gender, birth_year=born, position=position,
                              body_id=bodies[body].id if body in bodies else None, occupation_group=group,
                              identity_number=f"0191{born}{index:05d}")
    for name in COLLECTIVES[unit.slug]:
        made["tt:" + name] = _nominee(unit, "collective", name, body_id=bodies[name].id if name in bodies else None,
                                      member_count=bodies[name].member_count if name in bodies else None)
    for name, gender, village in HOUSEHOLDS[unit.slug]:
        made["hgd:" + name] = _nominee(unit, "household", name, gender=gender, occupation_group="farmer",
                                       body_id=bodies[village].id if village in bodies else None, member_count=4)
    return made


def _decision(unit, decided_on: date, title: str, signer: str) -> Decision:
    from thiduaweb.core.numbering import issue_number

    decision = Decision(unit_id=unit.id, number_symbol="", decided_on=decided_on, signer_name=signer, title=title)
    db.session.add(decision)
    db.session.flush()
    issued = issue_number(unit.id, "QĐ", decided_on.year, object_type="Decision", object_id=decision.id)
    decision.number_symbol, decision.issued_number_id = issued.symbol, issued.id
    return decision


def _award(decision, nominee, code, year, body_name=None):
    award_type = rules.award_type_for(code, date(year, 12, 31))
    db.session.add(Award(unit_id=decision.unit_id, decision_id=decision.id, nominee_id=nominee.id,
                         award_type_id=award_type.id, award_code=code, year=year, nominee_name=nominee.display_name,
                         nominee_kind=nominee.kind, body_name=body_name or (nominee.body.name if nominee.body else None),
                         occupation_group=nominee.occupation_group, reward_multiple=award_type.reward_multiple,
                         lineage_key=nominee.lineage_key, home_unit_id=nominee.origin_unit_id or nominee.unit_id))


def _city_copy(city, nominee: Nominee) -> Nominee:
    copy = db.session.scalar(all_units(select(Nominee).where(Nominee.unit_id == city.id,
                                                             Nominee.lineage_key == nominee.lineage_key)))
    if copy is None:
        copy = Nominee(unit_id=city.id, kind=nominee.kind, name=nominee.name, name_folded=nominee.name_folded,
                       gender=nominee.gender, birth_year=nominee.birth_year, position=nominee.position,
                       occupation_group=nominee.occupation_group, lineage_key=nominee.lineage_key,
                       origin_unit_id=nominee.unit_id)
        db.session.add(copy)
        db.session.flush()
    return copy


def _history(unit, city, people) -> None:
    """The register 2018–2020 (and the LĐTT of 2021): commune decisions and the city's CSTĐCS."""
    persons = [n for key, n in people.items() if n.kind == "person"]
    households = [n for key, n in people.items() if n.kind == "household"]
    stars = persons[:2]  # CSTĐCS three years running: eligible for CSTĐ cấp tỉnh in 2021
    for year in (2018, 2019, 2020, 2021):
        decision = _decision(unit, date(year, 12, 20), f"Về việc công nhận danh hiệu Lao động tiên tiến năm {year}",
                             "Chủ tịch UBND xã")
        for index, person in enumerate(persons):
            if (index + year) % 5 != 0 or person in stars:
                _award(decision, person, "ldtt", year)
        if year < 2021:
            family = _decision(unit, date(year, 12, 5), f"Về việc công nhận danh hiệu Gia đình văn hóa năm {year}",
                               "Chủ tịch UBND xã")
            for household in households:
                _award(family, household, "gdvh", year)
            city_decision = _decision(city, date(year, 12, 28), f"Về việc tặng danh hiệu Chiến sĩ thi đua cơ sở năm "
                                                                f"{year}", "Chủ tịch UBND thành phố")
            for star in stars:
                _award(city_decision, _city_copy(city, star), "cstdcs", year,
                       body_name=star.body.name if star.body else None)
    gk = _decision(unit, date(2020, 9, 2), "Về việc tặng Giấy khen nhân dịp Quốc khánh 2/9", "Chủ tịch UBND xã")
    _award(gk, persons[3], "giay_khen", 2020)


def _nominations_2021(unit, people, officer, chairman) -> None:
    """One or more 2021 nominations in every state of the workflow."""
    person = [n for n in people.values() if n.kind == "person"]
    collective = [n for n in people.values() if n.kind == "collective"]
    household = [n for n in people.values() if n.kind == "household"]
    bodies = _bodies(unit)
    proposer = bodies.get("Hội Nông dân xã") or next(iter(bodies.values()))
    plan = [  # nominee, award, target state, extra fields
        (household[0], "gdvh", "awarded", {}),
        (household[1], "gdvh", "cong_khai", {}),
        (person[1], "giay_khen", "appraised", {"basis": "chuyen_de",
                                               "movement_name": "Phong trào chung sức xây dựng nông thôn mới"}),
        (person[0], "cstdcs", "proposed", {"initiative": "Sáng kiến “Dạy học tích cực qua trải nghiệm”, "
                                                         "công nhận tại Quyết định số 15/QĐ-UBND ngày 20/11/2021"}),
        (person[1], "cstd_tinh", "appraisal", {"initiative": "Quy trình chế biến chè sạch VietGAP, áp dụng toàn tỉnh"}),
        (person[2], "giay_khen", "binh_xet", {"basis": "dot_xuat",
                                              "achievements": "Dũng cảm cứu người đuối nước tại sông Cầu."}),
        (person[4], "giay_khen", "submitted", {}),
        (person[5], "giay_khen", "draft", {}),
        (person[3], "giay_khen", "returned", {}),
        (collective[0], "ttldtt", "refused", {"members_total": 30, "members_completed": 30, "members_ldtt": 12,
                                              "members_cstdcs": 1, "members_disciplined": 0}),
    ]
    for nominee, code, target, extra in plan:
        judged_on = rules.judged_on_for(2021, date(2021, 12, 31))
        award = rules.award_type_for(code, judged_on)
        fields = {"achievements": f"Hoàn thành xuất sắc nhiệm vụ năm 2021; tích cực tham gia các phong trào thi đua "
                                  f"của {unit.name}.", "proposing_body_id": proposer.id} | extra
        nomination = _draft(unit, nominee, award, officer, code, judged_on=judged_on, **fields)
        _walk(nomination, target, officer, chairman, code)
    # The city decides nothing yet: the CSTĐCS proposal waits in its queue (state "submitted").


def _draft(unit, nominee, award, officer, code, **fields) -> Nomination:
    """A 2021 nomination drafted by `officer` two weeks before its bình xét, with its first step."""
    with clock.pinned(_review_on(code) - timedelta(days=14)):
        nomination = Nomination(unit_id=unit.id, nominee_id=nominee.id, award_type_id=award.id, year=2021,
                                state="draft", created_by=officer.full_name, **fields)
        db.session.add(nomination)
        db.session.flush()
        db.session.add(NominationStep(unit_id=unit.id, nomination_id=nomination.id, transition="create",
                                      from_state="", to_state="draft", actor_id=officer.id,
                                      actor_name=officer.full_name))
        db.session.commit()
    return nomination


def _review_on(code) -> date:
    return date(2021, 11, 10) if code == "gdvh" else date(2021, 12, 1)


def _walk(nomination, target, officer, chairman, code) -> None:
    review_on = _review_on(code)
    path = {
        "draft": [],
        "submitted": ["submit"],
        "returned": ["submit", ("return", "Bổ sung báo cáo thành tích có xác nhận của thủ trưởng đơn vị.")],
        "binh_xet": ["submit", "record_vote"],
        "cong_khai": ["submit", "record_vote", "post"],
        "appraisal": ["submit", "record_vote", "post", "start_appraisal"],
        "appraised": ["submit", "record_vote", "post", "start_appraisal", "appraise"],
        "awarded": ["submit", "record_vote", "post", "start_appraisal", "appraise", "decide"],
        "proposed": ["submit", "record_vote", "post", "start_appraisal", "appraise", "propose"],
        "refused": ["submit", "record_vote", "post", "start_appraisal", ("appraise_reject", None),
                    ("refuse", "Hội đồng không đồng ý: tỷ lệ Lao động tiên tiến của tập thể chưa quá 50%.")],
    }[target]
    data = {
        "record_vote": {"review_on": review_on, "voters": 11, "votes_for": 10, "votes_against": 1},
        "post": {"posted_from": review_on.replace(day=review_on.day + 1),
                 "posting_place": "Nhà văn hóa xóm và trang thông tin điện tử xã"},
        "appraise": {"council_result": "approved", "appraised_on": date(2021, 12, 14),
                     "council_note": "Hội đồng nhất trí 7/7 thành viên."},
        "appraise_reject": {"council_result": "rejected", "appraised_on": date(2021, 12, 14),
                            "council_note": "Tập thể chưa đạt tỷ lệ Lao động tiên tiến."},
        "decide": {"decided_on": date(2021, 12, 16)},
        "propose": {"proposed_on": date(2021, 12, 16)},
    }
    days = {"submit": review_on - timedelta(days=7), "return": review_on - timedelta(days=5),
            "record_vote": review_on, "post": data["post"]["posted_from"], "appraise": date(2021, 12, 14),
            "appraise_reject": date(2021, 12, 14), "decide": date(2021, 12, 16), "propose": date(2021, 12, 16),
            "refuse": date(2021, 12, 16)}
    for step in path:
        name, reason = step if isinstance(step, tuple) else (step, None)
        actor = chairman if name in ("decide", "propose", "refuse") else officer
        transition = "appraise" if name == "appraise_reject" else name
        day = nomination.posted_to + timedelta(days=1) if name == "start_appraisal" else days[name]
        with clock.pinned(day):
            workflow.apply(nomination, transition, actor, reason, permissions=ALL, data=data.get(name, {}))


COUNCIL_MEMBERS = [  # name, role, job title
    ("Nguyễn Văn Thắng", "chair", "Chủ tịch UBND xã"),
    ("Lê Thị Hằng", "deputy", "Phó Chủ tịch UBND xã"),
    ("Hoàng Văn Nam", "secretary", "Công chức Văn phòng - Thống kê"),
    ("Trần Thị Vân", "member", "Chủ tịch Ủy ban MTTQ xã"),
    ("Nguyễn Văn An", "member", "Chủ tịch Hội Nông dân xã"),
    ("Đào Thị Liên", "member", "Chủ tịch Hội Liên hiệp Phụ nữ xã"),
    ("Vũ Văn Hùng", "member", "Trưởng ban công tác Mặt trận xóm Mỹ Khánh"),
]


def _council_and_season(unit, people, officer, chairman) -> None:
    """Đồng Liên's council (2021–2026), a session on 14/12/2021 voting five Giấy khen (one member recused on
    his own and his household's nomination), one decision for the five, the reward fund of 2021."""
    from thiduaweb.awards import council, season

    body = council.save_council(unit, {"name": "Hội đồng Thi đua – Khen thưởng xã Đồng Liên",
                                       "established_by": "Quyết định số 12/QĐ-UBND ngày 05/01/2021",
                                       "term_from": date(2021, 1, 5), "term_to": date(2026, 6, 30)})
    for name, role, title in COUNCIL_MEMBERS:
        links = {}
        if name in people and name == "Vũ Văn Hùng":
            links = {"nominee_id": people[name].id, "household_nominee_id": people["hgd:" + name].id}
        council.save_member(unit, body, {"full_name": name, "role": role, "job_title": title, **links})
    chosen = [people["Vũ Văn Hùng"], people["Ngô Thị Thu"], people["Dương Văn Toàn"], people["Tạ Thị Yến"],
              people["hgd:Vũ Văn Hùng"]]
    nominations = []
    for nominee in chosen:
        award = rules.award_type_for("giay_khen", date(2021, 12, 31))
        nomination = _draft(unit, nominee, award, officer, "giay_khen", judged_on=date(2021, 12, 31),
                            basis="chuyen_de",
                            movement_name="Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”",
                            achievements="Tích cực tham gia xây dựng nông thôn mới, hiến đất làm đường "
                                         "liên xóm năm 2021.")
        _walk(nomination, "appraisal", officer, chairman, "giay_khen")
        nominations.append(nomination)
    with clock.pinned(date(2021, 12, 14)):
        session = council.create_session(unit, officer, {"held_on": date(2021, 12, 14),
                                                         "place": "Hội trường UBND xã",
                                                         "content": "Xét đề nghị tặng Giấy khen năm 2021."})
        members = council.members_of(session)
        absent = next(m for m in members if m.full_name == "Đào Thị Liên")
        council.set_attendance(unit, session, {m.id for m in members if m is not absent},
                               {absent.id: "Đi tập huấn tại tỉnh"})
        council.add_to_agenda(unit, session, [n.id for n in nominations])
        for index, item in enumerate(session.items):
            context = council.item_context(session, item)
            if index == 3:
                council.record_vote(unit, officer, session, item, method="secret", votes_for=6, votes_against=0)
                continue
            council.record_vote(unit, officer, session, item, method="open",
                                votes={m.id: "for" for m in context["voters"]})
        council.close_session(unit, officer, session, permissions=ALL)
    season.add_fund_entry(unit, officer, entry_on=date(2021, 1, 15), kind="income", amount=15_000_000,
                          description="Ngân sách xã trích lập quỹ thi đua, khen thưởng năm 2021")
    season.add_fund_entry(unit, officer, entry_on=date(2021, 6, 30), kind="income", amount=2_000_000,
                          description="Hợp tác xã Chè Đồng Liên ủng hộ quỹ")
    with clock.pinned(date(2021, 12, 16)):
        season.decide_many(unit, chairman, [n.id for n in nominations], permissions=ALL,
                           decided_on=date(2021, 12, 16),
                           title="Về việc tặng Giấy khen cho cá nhân, hộ gia đình có thành tích trong phong trào "
                                 "“Toàn dân đoàn kết xây dựng đời sống văn hóa” năm 2021")
