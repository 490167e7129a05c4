"""A unit's home page, its bodies, and (for a supervising unit) its communes and wards."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, g, render_template, request, url_for

from thiduaweb.core import revisions
from thiduaweb.core.excel import xlsx_response
from thiduaweb.core.permissions import requires
from thiduaweb.core.reads import Read, read_together
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.units import services
from thiduaweb.units.forms import BodyForm

bp = unit_blueprint("units", __name__)

nav_item("units.home", "Trang chủ", "unit.view", order=0)
nav_item("units.bodies", "Thôn, xóm, cơ quan", "body.view", order=800)
nav_item("units.children", "Xã, phường", "unit.view", order=10, where="supervisor")


@bp.get("/")
@requires("unit.view")
def home():
    """The unit's figures at a glance. Each part is rendered once per revision of what it reads and kept
    per process (core/revisions.py): a panel is drawn again only when a row of its areas changes, the
    recent activity when anything in the unit does; most visits read one small statement. The parts
    drawn afresh read their rows with one statement together (core/reads.py)."""
    html = _draw_parts(g.unit, [*HOME_PANELS.values(), ABOUT, RECENT])
    return render("units/home.html", panels=[html[name] for name in HOME_PANELS if html[name]],
                  about=html[ABOUT.name], recent=html[RECENT.name])


@dataclass(frozen=True)
class HomePart:
    """A part of the unit home. `read(unit)` gives the statement of its rows (core.reads.Read) or several
    by name, or None when the viewer may not see it; `build(unit, rows)` its values from their rows (a
    list, or lists by name), with the "template" that draws them. It reads the rows of `areas` only
    (core/revisions.py), and is drawn again when one of them changes, and each day unless it is not
    `daily` (it shows nothing that changes with the day, such as deadlines or what is overdue). `own`: it
    shows any row of the unit (the recent activity), and is drawn again when any changes."""

    name: str
    read: Callable[[object], Read | dict[str, Read] | None]
    build: Callable[[object, list | dict[str, list]], dict]
    areas: tuple[str, ...]
    daily: bool = True
    own: bool = False

    def key(self, unit) -> tuple:
        own = revisions.own_revision_of(unit) if self.own else None
        return ("home-part", self.name, own, *revisions.part_key(unit, self.areas, daily=self.daily))

    def render(self, unit, rows: list | dict[str, list]) -> str:
        values = self.build(unit, rows)
        return render_template(values["template"], panel=values, unit=unit)


def _draw_parts(unit, parts: list[HomePart]) -> dict[str, str]:
    """Each part's HTML by name: kept, or drawn afresh, the rows of all those drawn read together (a
    part's several reads named `<part>_<read>`)."""
    keys = {part.name: part.key(unit) for part in parts}
    html = {name: revisions.peek(key) for name, key in keys.items()}
    asked = {part.name: part.read(unit) for part in parts if html[part.name] is None}
    reads = {}
    for name, found in asked.items():
        if isinstance(found, dict):
            reads.update({f"{name}_{sub}": read for sub, read in found.items()})
        elif found is not None:
            reads[name] = found
    rows = read_together(reads)
    for part in parts:
        if part.name not in asked:
            continue
        found = asked[part.name]
        if found is None:
            drawn = ""  # not shown to this viewer
        elif isinstance(found, dict):
            drawn = part.render(unit, {sub: rows[f"{part.name}_{sub}"] for sub in found})
        else:
            drawn = part.render(unit, rows[part.name])
        html[part.name] = revisions.keep_html(keys[part.name], drawn)
    return html


def _about_build(unit, rows) -> dict:
    about = services.about_of(rows)
    return {"template": "units/_home_about.html", "member_counts": about["member"], "body_counts": about["body"],
            "children_count": about["children"], "predecessors": services.predecessors_of(unit)}


def _recent_read(unit) -> Read:
    from thiduaweb.audit.services import recent_read

    return recent_read(unit_ids=[unit.id], limit=8)


def _recent_build(unit, rows) -> dict:
    from thiduaweb.audit.services import recent_of

    return {"template": "units/_home_recent.html", "recent": recent_of(rows)}


# Neither names the day (the activity's times are dates and hours): kept across midnight.
ABOUT = HomePart("about", services.about_read, _about_build, (revisions.ACCOUNTS_AREA, revisions.BODIES_AREA),
                 daily=False)
RECENT = HomePart("recent", _recent_read, _recent_build, (), daily=False, own=True)

#: The summary panels of the unit home, in the order they show, by name.
HOME_PANELS: dict[str, HomePart] = {}


def add_home_panel(name: str, read, build, areas, *, daily: bool = True) -> None:
    """Features add their summary panels to the unit home (see `HomePart`)."""
    HOME_PANELS.setdefault(name, HomePart(name, read, build, tuple(areas), daily))


def _page_arg() -> int | None:
    """`page` from the query string; anything but a plain small number is the first page."""
    value = request.args.get("page", "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def _successor_names(successions) -> str:
    return "; ".join(s.successor.name + (" (một phần)" if s.extent == "partly" else "") for s in successions)


@bp.get("/units")
@requires("unit.view")
def children():
    q = request.args.get("q", "").strip()[:120]
    if request.args.get("format") == "xlsx":
        columns = ["Mã", "Tên", "Loại", "Hiệu lực từ", "Hiệu lực đến", "Đơn vị kế thừa từ 01/07/2025"]
        data = ([u.code, u.name, u.kind_label, u.valid_from, u.valid_to, _successor_names(successions)]
                for u, successions in services.child_units_with_successors(g.unit, search=q))
        return xlsx_response(f"don-vi-truc-thuoc-{g.unit.slug}", columns, data,
                             title=f"Các xã, phường thuộc {g.unit.name}", subtitle=f"Tìm: {q}" if q else "")
    units = services.child_units_page(g.unit, _page_arg(), search=q)
    return render("units/children.html", block="unit_table", units=units, q=q,
                  successors=services.successors_of_many(units))


@bp.get("/bodies")
@requires("body.view")
def bodies():
    show_all = request.args.get("all") == "1"
    bodies = services.bodies_of(g.unit.id, include_inactive=show_all)
    if request.args.get("format") == "xlsx":
        columns = ["Tên", "Loại", "Người đứng đầu", "Số thành viên", "Tình trạng"]
        data = ([b.name, b.kind_label, b.head_name or "", b.member_count,
                 "Đang hoạt động" if b.active else "Ngừng hoạt động"] for b in bodies)
        return xlsx_response(f"thon-xom-co-quan-{g.unit.slug}", columns, data,
                             title=f"Thôn, xóm, cơ quan, đoàn thể — {g.unit.name}",
                             subtitle="Gồm cả đơn vị đã ngừng hoạt động" if show_all else "")
    return render("units/bodies.html", bodies=bodies, show_all=show_all)


@bp.route("/bodies/new", methods=["GET", "POST"])
@requires("body.manage")
def new_body():
    form = BodyForm()
    if form.validate_on_submit():
        body = services.save_body(g.unit, _body_data(form))
        flash(f"Đã thêm {body.name}.", "success")
        return redirect_to(url_for(".bodies"))
    return render("units/body_form.html", block="body_form", status=422 if form.errors else 200, form=form,
                  body=None)


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@requires("body.manage")
def edit_body(body_id):
    body = or_404(services.get_body(body_id))
    form = BodyForm(obj=body)
    if form.validate_on_submit():
        services.save_body(g.unit, _body_data(form), body)
        flash(f"Đã lưu {body.name}.", "success")
        return redirect_to(url_for(".bodies"))
    return render("units/body_form.html", block="body_form", status=422 if form.errors else 200, form=form,
                  body=body)


def _body_data(form: BodyForm) -> dict:
    return {
        "name": form.name.data.strip(), "kind": form.kind.data, "head_name": form.head_name.data or None,
        "member_count": form.member_count.data, "active": form.active.data,
    }
