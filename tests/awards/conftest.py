"""Awards fixtures: the law's catalogue loaded, and small builders for nominees, nominations, register rows."""
from __future__ import annotations

from datetime import date

import pytest

from thiduaweb.awards import catalogue, workflow
from thiduaweb.awards.models import Award, Decision, Nomination, Nominee
from thiduaweb.core.tenancy import cross_unit_writes, unit_scope
from thiduaweb.core.vntext import fold
from thiduaweb.extensions import db

ALL = {"nomination.view", "nomination.edit", "nomination.review", "nomination.appraise", "nomination.decide"}


@pytest.fixture
def law(app, world):
    """The regulation versions, titles, authority table and parameters, and the demo day pinned in 2021."""
    catalogue.load_catalogue()
    db.session.commit()
    app.config["TODAY"] = date(2021, 12, 20)
    yield world
    app.config.pop("TODAY", None)


def make_nominee(unit, name="Nguyễn Văn An", kind="person", occupation="farmer", **extra) -> Nominee:
    with cross_unit_writes():
        nominee = Nominee(unit_id=unit.id, kind=kind, name=name, name_folded=fold(name), occupation_group=occupation,
                          **extra)
        db.session.add(nominee)
        db.session.flush()
        nominee.lineage_key, nominee.origin_unit_id = f"{unit.id}:{nominee.id}", unit.id
        db.session.commit()
    return nominee


def give_award(unit, nominee, code, year, number=None) -> Award:
    """A register row (with its decision) as if decided in `year`."""
    from thiduaweb.awards import rules

    award_type = rules.award_type_for(code, date(year, 12, 31))
    with cross_unit_writes():
        decision = Decision(unit_id=unit.id, number_symbol=f"{number or 100 + year % 100}/QĐ-UBND",
                            decided_on=date(year, 12, 28), signer_name="Chủ tịch")
        db.session.add(decision)
        db.session.flush()
        award = Award(unit_id=unit.id, decision_id=decision.id, nominee_id=nominee.id, award_type_id=award_type.id,
                      award_code=code, year=year, nominee_name=nominee.display_name, nominee_kind=nominee.kind,
                      occupation_group=nominee.occupation_group, lineage_key=nominee.lineage_key,
                      home_unit_id=nominee.origin_unit_id or nominee.unit_id,
                      reward_multiple=award_type.reward_multiple)
        db.session.add(award)
        db.session.commit()
    return award


def make_nomination(unit, nominee, code="ldtt", year=2021, state="draft", **fields) -> Nomination:
    from thiduaweb.awards import rules

    from thiduaweb.core.clock import today

    judged_on = rules.judged_on_for(year, today())
    award_type = rules.award_type_for(code, judged_on)
    defaults = {"achievements": "Hoàn thành xuất sắc nhiệm vụ được giao."}
    defaults.update(fields)
    with cross_unit_writes():
        nomination = Nomination(unit_id=unit.id, nominee_id=nominee.id, award_type_id=award_type.id, year=year,
                                judged_on=judged_on, state=state, **defaults)
        db.session.add(nomination)
        db.session.commit()
    return nomination


def advance(nomination, to_state, actor, permissions=ALL):
    """Walk a nomination through the workflow up to `to_state` (appraised at the latest)."""
    steps = [("submit", {}), ("record_vote", {"voters": 9, "votes_for": 8, "votes_against": 1,
                                              "review_on": date(2021, 11, 10)}),
             ("post", {"posted_from": date(2021, 11, 12)}), ("start_appraisal", {}),
             ("appraise", {"council_result": "approved", "appraised_on": date(2021, 12, 15)})]
    targets = [workflow.TRANSITIONS[name].target for name, _ in steps]
    with unit_scope({nomination.unit_id}):
        for (name, data), target in zip(steps, targets):
            if nomination.state == to_state:
                break
            if nomination.state not in workflow.TRANSITIONS[name].sources:
                continue
            workflow.apply(nomination, name, actor, permissions=permissions, data=data)
    return nomination
