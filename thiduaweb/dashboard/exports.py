"""Excel exports of the drill-down lists, through the generic background mechanism (`core.jobs`):
below `EXPORT_BACKGROUND_FROM` rows the file comes at once, above it a job writes it (RQ or a thread)."""
from __future__ import annotations

from flask import g

from thiduaweb.core.jobs import ExportArgsError, ExportSpec, background_from, export_source, purge_old  # noqa: F401
from thiduaweb.extensions import db


def drill_unit(unit, value):
    """The unit whose list is drilled into: this page's unit, or one of its communes it reads; else None."""
    from thiduaweb.units.models import Unit

    text = str(value or "").strip()
    unit_id = int(text) if text.isdigit() and len(text) < 10 else unit.id
    if unit_id == unit.id:
        return unit
    child = db.session.get(Unit, unit_id)
    if child is None or child.parent_id != unit.id or unit_id not in g.access.readable_unit_ids:
        return None
    return child


def drill_year(key: str, value) -> int | None:
    from thiduaweb.dashboard import services, stats

    if key in stats.DUE_METRICS:
        return None
    text = str(value or "").strip()
    choices = services.year_choices()
    return int(text) if text.isdigit() and int(text) in choices else choices[0]


@export_source("dashboard.drill", "dashboard.view")
def drill_source(unit, args) -> ExportSpec:
    """args: key (the figure), unit (the commune drilled into), year."""
    from thiduaweb.dashboard import drill as presenters
    from thiduaweb.dashboard import services, stats

    key = args.get("key", "")
    if not stats.known_metric(key):
        raise ExportArgsError(key)
    target = drill_unit(unit, args.get("unit"))
    if target is None:
        raise ExportArgsError("unit")
    year = drill_year(key, args.get("year"))
    found = stats.drill_statement(key, target.id, year)
    if found is None:
        raise ExportArgsError(key)
    model = found[0]
    headers, fn = presenters.PRESENTERS[model]
    slug = target.slug

    def rows():
        _model, objects = services.iter_drill(key, target.id, year)
        return (fn(o, slug)[0] for o in objects)

    def count():
        found = services.drill_rows(key, target.id, year, limit=1)
        return found[1] if found else 0

    return ExportSpec(filename=f"{key}-{slug}-{year or 'hien-tai'}", columns=headers, rows=rows, count=count,
                      title=stats.metric_label(key), subtitle=f"{target.name}{f' — năm {year}' if year else ''}")
