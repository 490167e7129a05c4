"""Reference data kept per process (core.reference): read once, forgotten as soon as it is written."""
from __future__ import annotations

from tests.helpers import count_queries
from thiduaweb.awards import rules
from thiduaweb.awards.models import RuleParameter
from thiduaweb.awards.catalogue import load_catalogue
from thiduaweb.extensions import db


def _target_row() -> RuleParameter:
    return db.session.query(RuleParameter).filter_by(key="direct_labour_share_target", version_id=None).one()


def test_a_rule_parameter_is_read_once_then_kept(app):
    load_catalogue()
    db.session.commit()
    assert rules.parameter("direct_labour_share_target", None, None) == 0.30
    with count_queries(db.engine) as n:
        assert rules.parameter("direct_labour_share_target", None, None) == 0.30
    assert n() == 0


def test_a_changed_parameter_is_read_at_once_in_the_same_process(app):
    load_catalogue()
    db.session.commit()
    assert rules.parameter("direct_labour_share_target", None, None) == 0.30
    _target_row().value = 0.35
    db.session.commit()
    assert rules.parameter("direct_labour_share_target", None, None) == 0.35


def test_a_value_read_inside_a_rolled_back_change_is_forgotten(app):
    load_catalogue()
    db.session.commit()
    _target_row().value = 0.5
    db.session.flush()
    assert rules.parameter("direct_labour_share_target", None, None) == 0.5
    db.session.rollback()
    assert rules.parameter("direct_labour_share_target", None, None) == 0.30


def test_without_a_lifetime_every_read_goes_to_the_database(app, monkeypatch):
    load_catalogue()
    db.session.commit()
    monkeypatch.setitem(app.config, "REFERENCE_CACHE_SECONDS", 0)
    rules.parameter("direct_labour_share_target", None, None)
    with count_queries(db.engine) as n:
        rules.parameter("direct_labour_share_target", None, None)
    assert n() == 1
