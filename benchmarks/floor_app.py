"""The app the dashboard benchmark serves: the real application, plus one page that only the
benchmark has — a unit's bare layout (navigation bar, the unit's menu, its lineage banner) with
nothing in it. Every unit page pays for that layout; the home page and the lists are measured
against it as well as against the own-password page (the layout of a page outside any unit)."""
from flask import request, render_template
from jinja2 import ChoiceLoader, DictLoader

from thiduaweb import create_app
from thiduaweb.core import clock
from thiduaweb.core.permissions import requires
from thiduaweb.core.tenancy import unit_blueprint

floor = unit_blueprint("benchmark_floor", __name__, "/_san")
BARE = "_benchmark_bare_unit_layout.html"


@floor.get("/")
@requires("unit.view")
def bare_unit_layout():
    # A named template, compiled once like every page's (render_template_string compiles on each call).
    return render_template(BARE)


app = create_app()
app.register_blueprint(floor)
app.jinja_env.loader = ChoiceLoader([
    DictLoader({BARE: '{% extends "base.html" %}{% block content %}{% endblock %}'}), app.jinja_env.loader])


#: A request with this header first makes its process forget what a new day would: every part kept
#: under a key that names the day (core.revisions: the parts of unit pages), not the copies of units and
#: users, the units a supervisor reads or the reference data (their keys do not). What the first visit
#: of a page in a day meets.
NEW_DAY_HEADER = "X-Benchmark-New-Day"


@app.before_request
def _as_on_a_new_day():
    kept = app.extensions.get("thiduaweb_page_cache")
    if kept is None or not request.headers.get(NEW_DAY_HEADER):
        return
    today = clock.today()
    for key in [key for key in kept.parts if today in key]:
        kept.size -= kept.parts.pop(key)[1]
