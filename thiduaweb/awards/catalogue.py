"""The law as data: regulation versions, their titles and forms, the authority table, parameters.

`load_catalogue()` writes (and updates) these rows; it runs in the demo seed, in tests and from
`flask awards load-catalogue`. A new decree is a new entry in VERSIONS, not a code change.
Each requirement names a rule of `rules.py`, its parameters, and the article it comes from.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from thiduaweb.awards.models import AuthorityRule, AwardType, RegulationVersion, RuleParameter
from thiduaweb.extensions import db

LAW_2003 = "Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013)"
LAW_2022 = "Luật Thi đua, Khen thưởng 2022"


def _common(law: str, principle_article: str, freeze_article: str) -> list[dict]:
    return [
        {"rule": "applies_to", "article": f"{law}, {principle_article}"},
        {"rule": "one_award_per_achievement", "article": f"{law}, {principle_article}"},
        {"rule": "not_frozen", "article": freeze_article},
    ]


def _awards(law: str, *, decree: str, cstdcs_extra: list[dict], gdvh_basis: str) -> list[dict]:
    """The titles and forms a commune works with, as `law` + `decree` define them."""
    return [
        dict(code="ldtt", name="Lao động tiên tiến", category="title", applies_to="person", multiple=0.3,
             basis=f"{law}, Điều 24",
             criteria="Hoàn thành tốt nhiệm vụ trở lên; tự lực, tự cường, đoàn kết, tương trợ, tích cực tham gia "
                      "phong trào thi đua. Công nhân, nông dân, người lao động: lao động sản xuất có hiệu quả, "
                      "tích cực tham gia phong trào thi đua và hoạt động xã hội.",
             requirements=[]),
        dict(code="cstdcs", name="Chiến sĩ thi đua cơ sở", category="title", applies_to="person", multiple=1.0,
             basis=f"{law}, Điều 23",
             criteria="Đạt tiêu chuẩn Lao động tiên tiến trong năm và có sáng kiến được cơ sở công nhận, hoặc đề tài, "
                      "đề án, công trình khoa học đã được nghiệm thu.",
             requirements=[
                 {"rule": "prerequisite_title", "award": "ldtt", "article": f"{law}, Điều 23"},
                 {"rule": "initiative", "article": f"{law}, Điều 23"},
                 *cstdcs_extra,
             ]),
        dict(code="cstd_tinh", name="Chiến sĩ thi đua cấp tỉnh", category="title", applies_to="person",
             multiple=3.0, basis=f"{law}, Điều 22",
             criteria="03 lần liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở; có sáng kiến được áp dụng hiệu quả, "
                      "có phạm vi ảnh hưởng trong tỉnh.",
             requirements=[
                 {"rule": "consecutive_years", "award": "cstdcs", "years": 3, "article": f"{law}, Điều 22"},
                 {"rule": "initiative", "article": f"{law}, Điều 22"},
             ]),
        dict(code="cstd_tq", name="Chiến sĩ thi đua toàn quốc", category="title", applies_to="person",
             multiple=4.5, basis=f"{law}, Điều 21",
             criteria="02 lần liên tục đạt danh hiệu Chiến sĩ thi đua cấp tỉnh; sáng kiến có phạm vi toàn quốc.",
             requirements=[
                 {"rule": "consecutive_years", "award": "cstd_tinh", "years": 2, "article": f"{law}, Điều 21"},
                 {"rule": "initiative", "article": f"{law}, Điều 21"},
             ]),
        dict(code="ttldtt", name="Tập thể lao động tiên tiến", category="title", applies_to="collective",
             multiple=0.8, basis=f"{law}, Điều 28",
             criteria="Hoàn thành tốt nhiệm vụ; trên 50% thành viên đạt Lao động tiên tiến; không có thành viên bị kỷ "
                      "luật từ hình thức cảnh cáo trở lên.",
             requirements=[
                 {"rule": "member_share", "field": "members_ldtt", "min": 0.5, "strict": True,
                  "label": "Trên 50% thành viên đạt Lao động tiên tiến", "article": f"{law}, Điều 28"},
                 {"rule": "no_discipline", "article": f"{law}, Điều 28"},
             ]),
        dict(code="ttldxs", name="Tập thể lao động xuất sắc", category="title", applies_to="collective",
             multiple=1.5, basis=f"{law}, Điều 27",
             criteria="100% thành viên hoàn thành nhiệm vụ, ít nhất 70% đạt Lao động tiên tiến, có cá nhân đạt Chiến sĩ "
                      "thi đua cơ sở; không có thành viên bị kỷ luật từ hình thức cảnh cáo trở lên.",
             requirements=[
                 {"rule": "member_share", "field": "members_completed", "min": 1.0, "strict": False,
                  "label": "100% thành viên hoàn thành nhiệm vụ", "article": f"{law}, Điều 27"},
                 {"rule": "member_share", "field": "members_ldtt", "min": 0.7, "strict": False,
                  "label": "Ít nhất 70% thành viên đạt Lao động tiên tiến", "article": f"{law}, Điều 27"},
                 {"rule": "member_count", "field": "members_cstdcs", "min": 1,
                  "label": "Có cá nhân đạt Chiến sĩ thi đua cơ sở", "article": f"{law}, Điều 27"},
                 {"rule": "no_discipline", "article": f"{law}, Điều 27"},
             ]),
        dict(code="gdvh", name="Gia đình văn hóa", category="title", applies_to="household", multiple=None,
             basis=gdvh_basis, posting_days=10,
             criteria="Ba nhóm tiêu chuẩn: gương mẫu chấp hành pháp luật; tích cực tham gia phong trào thi đua, lao động, "
                      "học tập; gia đình no ấm, tiến bộ, hạnh phúc, văn minh. Bình xét xong trước ngày 25/11; danh sách "
                      "niêm yết 10 ngày tại thôn, xóm.",
             requirements=[
                 {"rule": "review_before", "month": 11, "day": 25, "article": gdvh_basis},
             ]),
        dict(code="thon_vh", name="Thôn, tổ dân phố văn hóa", category="title", applies_to="collective",
             multiple=1.5, basis=f"{law}, Điều 30" if law == LAW_2022 else f"{law}; NĐ 122/2018/NĐ-CP",
             posting_days=10,
             criteria="Đời sống kinh tế ổn định và phát triển; đời sống văn hóa lành mạnh; môi trường an toàn, sạch đẹp; "
                      "chấp hành tốt chủ trương, chính sách, pháp luật. Công khai 10 ngày trước khi trình.",
             requirements=[]),
        dict(code="xa_tieubieu", name="Xã, phường, thị trấn tiêu biểu", category="title", applies_to="collective",
             multiple=2.0, basis=f"{law}, Điều 29" if law == LAW_2022 else law,
             criteria="Dẫn đầu phong trào thi đua; hoàn thành tốt nhiệm vụ kinh tế - xã hội, quốc phòng - an ninh.",
             requirements=[]),
        dict(code="giay_khen", name="Giấy khen của Chủ tịch UBND", category="form",
             applies_to="person,collective,household", multiple=0.3,
             basis=f"{law}, Điều 75" if law == LAW_2022 else f"{law}, Điều 76",
             criteria="Thành tích trong phong trào thi đua, hành động đột xuất, hoặc hộ gia đình gương mẫu, đóng góp "
                      "công sức, đất đai, tài sản cho địa phương (tiêu chuẩn chi tiết do tỉnh quy định).",
             requirements=[]),
        dict(code="bang_khen_tinh", name="Bằng khen của Chủ tịch UBND tỉnh", category="form",
             applies_to="person,collective,household", multiple=1.0,
             basis=f"{law}, Điều 74" if law == LAW_2022 else f"{law}, Điều 72",
             criteria="Tiêu chuẩn chi tiết do tỉnh quy định.", requirements=[]),
    ]


_COMMUNE = ["ldtt", "giay_khen", "gdvh"]
_DISTRICT = ["cstdcs", "ttldtt", "thon_vh", "ldtt", "giay_khen"]
_PROVINCE = ["cstd_tinh", "ttldxs", "xa_tieubieu", "bang_khen_tinh", "cstdcs", "ttldtt", "thon_vh", "ldtt",
             "giay_khen"]
_CENTRAL = ["cstd_tq"]

VERSIONS = [
    dict(code="nd91-2017", name="Luật TĐKT 2003 (sửa đổi 2013) và Nghị định 91/2017/NĐ-CP",
         legal_basis=f"{LAW_2003}; Nghị định 91/2017/NĐ-CP ngày 31/7/2017",
         valid_from=date(2017, 10, 1), valid_to=date(2023, 12, 31),
         requirements=_common(LAW_2003, "Điều 6", "Nghị định 91/2017/NĐ-CP (nguyên tắc xét khen thưởng)"),
         awards=_awards(LAW_2003, decree="91/2017", gdvh_basis="Nghị định 122/2018/NĐ-CP",
                        cstdcs_extra=[{"rule": "ratio_cap", "award": "cstdcs", "of": "ldtt",
                                       "parameter": "cstdcs_ratio_cap", "article": "Nghị định 91/2017/NĐ-CP, Điều 9"}]),
         authority={"commune": _COMMUNE, "district": _DISTRICT, "province": _PROVINCE, "central": _CENTRAL},
         authority_basis=f"{LAW_2003}, Điều 77",
         parameters={"cstdcs_ratio_cap": (0.15, "Nghị định 91/2017/NĐ-CP, khoản 3 Điều 9")}),
    dict(code="nd98-2023", name="Luật TĐKT 2022 và Nghị định 98/2023/NĐ-CP",
         legal_basis=f"{LAW_2022} (06/2022/QH15); Nghị định 98/2023/NĐ-CP ngày 31/12/2023",
         valid_from=date(2024, 1, 1), valid_to=date(2025, 6, 30),
         requirements=_common(LAW_2022, "Điều 5", "Luật TĐKT 2022, Điều 5; Nghị định 98/2023/NĐ-CP"),
         awards=_awards(LAW_2022, decree="98/2023", gdvh_basis="Nghị định 86/2023/NĐ-CP",
                        cstdcs_extra=[{"rule": "ratio_cap", "award": "cstdcs", "of": "ldtt",
                                       "parameter": "cstdcs_ratio_cap", "article": "Quy định của tỉnh"}]),
         authority={"commune": _COMMUNE, "district": _DISTRICT, "province": _PROVINCE, "central": _CENTRAL},
         authority_basis=f"{LAW_2022}, Điều 79, 80",
         parameters={}),
    dict(code="nd152-2025", name="Luật TĐKT 2022 và Nghị định 152/2025/NĐ-CP (chính quyền hai cấp)",
         legal_basis=f"{LAW_2022}; Nghị định 152/2025/NĐ-CP, hiệu lực từ 01/7/2025",
         valid_from=date(2025, 7, 1), valid_to=None,
         requirements=_common(LAW_2022, "Điều 5", "Nghị định 152/2025/NĐ-CP, Điều 4"),
         awards=_awards(LAW_2022, decree="152/2025", gdvh_basis="Nghị định 86/2023/NĐ-CP",
                        cstdcs_extra=[{"rule": "ratio_cap", "award": "cstdcs", "of": "ldtt",
                                       "parameter": "cstdcs_ratio_cap", "article": "Quy định của tỉnh"}]),
         # No district level any more: the former district titles go to the province unless the
         # province's own rows (province_code) give them to the commune.
         authority={"commune": _COMMUNE, "province": _PROVINCE, "central": _CENTRAL},
         authority_basis=f"{LAW_2022}, Điều 79, 80; Nghị định 152/2025/NĐ-CP",
         parameters={}),
]

#: Numbers that hold for every version (version None): defaults a province may override.
GENERAL_PARAMETERS = {
    "direct_labour_share_target": (0.30, "Kế hoạch thi đua, khen thưởng của thành phố, mục II.9: khen thưởng công "
                                         "nhân, nông dân, người lao động trực tiếp trên 30%"),
    "posting_days_default": (5, "Quy định của tỉnh về thời gian công khai (mặc định của hệ thống)"),
}


def load_catalogue() -> dict[str, RegulationVersion]:
    """Create or update every version, award type, authority row and parameter. Idempotent."""
    versions = {}
    for spec in VERSIONS:
        version = db.session.scalar(select(RegulationVersion).where(RegulationVersion.code == spec["code"]))
        if version is None:
            version = RegulationVersion(code=spec["code"])
            db.session.add(version)
        version.name, version.legal_basis = spec["name"], spec["legal_basis"]
        version.valid_from, version.valid_to = spec["valid_from"], spec["valid_to"]
        version.requirements = spec["requirements"]
        db.session.flush()
        existing = {t.code: t for t in db.session.scalars(select(AwardType).where(AwardType.version_id == version.id))}
        for position, award in enumerate(spec["awards"]):
            row = existing.get(award["code"]) or AwardType(version_id=version.id, code=award["code"])
            row.name, row.category, row.applies_to = award["name"], award["category"], award["applies_to"]
            row.criteria, row.legal_basis = award["criteria"], award["basis"]
            row.reward_multiple = award["multiple"]
            row.posting_days = award.get("posting_days")
            row.requirements = award["requirements"]
            row.position = position
            db.session.add(row)
        _load_authority(version, spec["authority"], spec["authority_basis"])
        for key, (value, basis) in spec["parameters"].items():
            _set_parameter(version.id, None, key, value, basis)
        versions[version.code] = version
    for key, (value, basis) in GENERAL_PARAMETERS.items():
        _set_parameter(None, None, key, value, basis)
    db.session.flush()
    from thiduaweb.awards.council import load_vote_thresholds
    from thiduaweb.awards.season import load_base_salaries

    load_vote_thresholds(versions)
    load_base_salaries()
    return versions


def _load_authority(version: RegulationVersion, table: dict[str, list[str]], basis: str) -> None:
    have = {(r.level, r.award_code) for r in db.session.scalars(select(AuthorityRule).where(
        AuthorityRule.version_id == version.id, AuthorityRule.province_code.is_(None)))}
    for level, codes in table.items():
        for code in codes:
            if (level, code) not in have:
                db.session.add(AuthorityRule(version_id=version.id, province_code=None, level=level,
                                             award_code=code, legal_basis=basis))


def _set_parameter(version_id, province_code, key, value, basis) -> None:
    row = db.session.scalar(select(RuleParameter).where(
        RuleParameter.version_id.is_(None) if version_id is None else RuleParameter.version_id == version_id,
        RuleParameter.province_code.is_(None) if province_code is None else RuleParameter.province_code == province_code,
        RuleParameter.key == key))
    if row is None:
        row = RuleParameter(version_id=version_id, province_code=province_code, key=key)
        db.session.add(row)
    row.value, row.legal_basis = value, basis
