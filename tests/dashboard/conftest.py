"""Fixtures of the dashboard tests (the world itself is built in world.py)."""
import pytest

from tests.dashboard.world import build_stats_world


@pytest.fixture
def stats_world(world):
    return build_stats_world(world)
