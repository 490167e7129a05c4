"""seed-scale step: nominations, awards, decisions, petitions and movements at realistic rates, written
with bulk Core inserts (no ORM events, no audit), then the dashboard's summary rows rebuilt in bulk.

Rates per commune and year: about 150 nominations, of which about 140 end in an award, on two
decisions; about 12 petitions (most answered, a few still open); two or three movements with a
target each. At 3,321 communes × 10 years that is ≈ 10 million nomination and award rows.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, insert, select, text

from thiduaweb.awards.models import Award, AwardType, Decision, Nomination, Nominee, name_sort_text
from thiduaweb.complaints.models import Petition
from thiduaweb.core import clock
from thiduaweb.core.vntext import fold
from thiduaweb.extensions import db
from thiduaweb.movements.models import Movement, ProgressReport, Target

NOMINATIONS_PER_YEAR = (130, 170)
NOMINEES_PER_COMMUNE = 220
PETITIONS_PER_YEAR = (6, 18)
BATCH = 20000
OCCUPATIONS = ["farmer"] * 3 + ["worker"] + ["labourer"] + ["civil_servant"] * 2 + ["teacher"] * 2 + ["business", "other"]
#: (code, nominee kind, weight): what a commune confers in a year.
MIX = [("ldtt", "person", 60), ("giay_khen", "person", 25), ("gdvh", "household", 40), ("giay_khen", "collective", 5),
       ("cstdcs", "person", 4), ("ttldtt", "collective", 3)]
STATES_OPEN = ["draft", "submitted", "binh_xet", "cong_khai", "appraisal", "appraised", "proposed", "returned"]


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Linh", "Mai", "Nam",
         "Nga", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vân", "Xuân", "Yến"]


def _not_yet_nominated(rng, candidates: list, code: str, nominated: set, tries: int = 8):
    """A candidate not yet nominated for `code` this year (noted in `nominated`), or None after `tries`
    draws: the app refuses a second nomination of a title in a year, so the synthetic data has none."""
    for _ in range(tries):
        nominee = rng.choice(candidates)
        if (nominee[0], code) not in nominated:
            nominated.add((nominee[0], code))
            return nominee
    return None


def _synthetic_name(rng, kind: str, nid: int) -> tuple[str, str | None]:
    """A name shaped like the real ones, so that lists sort by given name as they would, and the gender
    it reads as. A household's name is its head's, as an officer enters it: the pages say "Hộ ông/bà"."""
    if kind == "collective":
        return f"Tổ sản xuất số {nid}", None
    middle = rng.choice(MIDDLE)
    return f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}", "female" if middle == "Thị" else "male"


class _Ids:
    """Explicit ids for bulk rows (children need them for their composite foreign keys)."""

    def __init__(self, model):
        self.next = (db.session.scalar(select(func.max(model.id)).execution_options(all_units=True)) or 0) + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


def _flush(model, rows: list) -> None:
    if rows:
        db.session.execute(insert(model), rows)
        rows.clear()


def _types() -> dict[str, int]:
    if db.session.scalar(select(func.count()).select_from(AwardType)) == 0:
        from thiduaweb.awards.catalogue import load_catalogue

        load_catalogue()
        db.session.flush()
    types = {}
    for t in db.session.scalars(select(AwardType).order_by(AwardType.id)):
        types[t.code] = t.id  # the latest version's row wins
    return types


def seed_scale(context) -> None:
    rng = context.rng
    types = _types()
    mix = [(code, kind, weight) for code, kind, weight in MIX if code in types]
    codes, weights = [(c, k) for c, k, _w in mix], [w for _c, _k, w in mix]
    done_units = set(db.session.scalars(select(Nomination.unit_id).distinct().execution_options(all_units=True)))
    nominee_ids, nomination_ids, decision_ids, award_ids = _Ids(Nominee), _Ids(Nomination), _Ids(Decision), _Ids(Award)
    petition_ids, movement_ids, target_ids = _Ids(Petition), _Ids(Movement), _Ids(Target)
    rows: dict = {m: [] for m in (Nominee, Nomination, Decision, Award, Petition, Movement, Target, ProgressReport)}
    today = clock.today()
    counts = {"nominations": 0, "awards": 0, "petitions": 0}
    for unit in context.communes:
        if unit.id in done_units:
            continue
        pool = []
        for i in range(NOMINEES_PER_COMMUNE):
            kind = "household" if i % 3 == 0 else ("collective" if i % 17 == 0 else "person")
            nid = nominee_ids.take()
            occupation = rng.choice(OCCUPATIONS) if kind != "collective" else None
            name, gender = _synthetic_name(rng, kind, nid)
            key = name_sort_text(name)
            rows[Nominee].append({"id": nid, "unit_id": unit.id, "kind": kind, "name": name, "gender": gender,
                                  "name_folded": fold(name), "sort_key": key, "occupation_group": occupation,
                                  "active": True, "lineage_key": f"{unit.id}:{nid}", "origin_unit_id": unit.id})
            pool.append((nid, kind, occupation, Nominee.display_name_of(kind, name, gender), key))
        by_kind = {k: [p for p in pool if p[1] == k] for k in ("person", "household", "collective")}
        for year in context.years:
            current = year == today.year
            decisions = []
            for n in (1, 2):
                did = decision_ids.take()
                decided = date(year, 6 if n == 1 else 12, 20)
                rows[Decision].append({"id": did, "unit_id": unit.id, "number_symbol": f"{n:02d}/QĐ-UBND",
                                       "decided_on": decided, "signer_name": "Chủ tịch UBND",
                                       "title": f"Về việc khen thưởng năm {year}"})
                decisions.append(did)
            nominated = set()  # (nominee, title): the law admits one nomination of a title a year
            for i in range(rng.randint(*NOMINATIONS_PER_YEAR)):
                code, kind = rng.choices(codes, weights)[0]
                nominee = _not_yet_nominated(rng, by_kind[kind] or pool, code, nominated)
                if nominee is None:
                    continue
                state = "awarded" if (not current and rng.random() < 0.93) or (current and rng.random() < 0.5) else (
                    rng.choice(STATES_OPEN) if current else "refused")
                nom_id = nomination_ids.take()
                rows[Nomination].append({"id": nom_id, "unit_id": unit.id, "nominee_id": nominee[0],
                                         "award_type_id": types[code], "year": year, "judged_on": date(year, 11, 15),
                                         "basis": "cong_trang", "achievements": "", "state": state,
                                         "sort_key": nominee[4], "created_by": "seed-scale"})
                if state == "awarded":
                    rows[Award].append({"id": award_ids.take(), "unit_id": unit.id, "decision_id": decisions[i % 2],
                                        "nominee_id": nominee[0], "nomination_id": nom_id,
                                        "award_type_id": types[code], "award_code": code, "year": year,
                                        "basis": "cong_trang", "nominee_name": nominee[3], "sort_key": nominee[4],
                                        "nominee_kind": nominee[1], "occupation_group": nominee[2],
                                        "lineage_key": f"{unit.id}:{nominee[0]}", "home_unit_id": unit.id})
                    counts["awards"] += 1
                counts["nominations"] += 1
            for i in range(rng.randint(*PETITIONS_PER_YEAR)):
                pid = petition_ids.take()
                received = date(year, rng.randint(1, 12), rng.randint(1, 28))
                if received > today:
                    received = today - timedelta(days=rng.randint(0, 60))
                open_ = (today - received).days < 60 and rng.random() < 0.6
                rows[Petition].append({
                    "id": pid, "unit_id": unit.id, "tracking_code": f"S{pid:011d}", "kind": rng.choice(
                        ["complaint", "complaint", "denunciation", "petition", "report", "report"]),
                    "instance": 1, "status": rng.choice(["accepted", "received", "inspection"]) if open_ else rng.choice(
                        ["answered", "closed", "guided", "refused"]), "channel": "direct",
                    "subject": "Đơn về việc bình xét khen thưởng", "content": "Nội dung đơn", "anonymous": False,
                    "search_text": "don ve viec binh xet khen thuong", "received_on": received,
                    "is_complex": False, "several_places": False, "remote_area": False, "freeze_applied": False,
                    "due_on": received + timedelta(days=30) if open_ else None, "extensions": 0})
                counts["petitions"] += 1
            for i in range(rng.randint(2, 3)):
                mid, tid = movement_ids.take(), target_ids.take()
                rows[Movement].append({"id": mid, "unit_id": unit.id, "name": f"Phong trào {i + 1} năm {year}",
                                       "kind": "regular", "level": "commune", "starts_on": date(year, 1, 15),
                                       "ends_on": date(year, 12, 15), "description": "", "for_communes": False})
                rows[Target].append({"id": tid, "unit_id": unit.id, "movement_id": mid, "position": 1,
                                     "indicator": "Chỉ tiêu", "measure": "%", "target_value": 100})
                rows[ProgressReport].append({"unit_id": unit.id, "target_id": tid, "reported_on": date(year, 10, 1),
                                             "value": rng.randint(40, 110), "note": ""})
        if sum(len(r) for r in rows.values()) > BATCH:
            for model in rows:
                _flush(model, rows[model])
    for model in rows:
        _flush(model, rows[model])
    _fix_sequences()
    from thiduaweb.dashboard.stats import rebuild

    rebuild(db.session())
    context.summary.update({"đề nghị khen thưởng": counts["nominations"], "khen thưởng": counts["awards"],
                            "đơn thư": counts["petitions"]})


def _fix_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the new rows."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in (Nominee, Nomination, Decision, Award, Petition, Movement, Target):
        table = model.__tablename__
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
