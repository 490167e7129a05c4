"""Paging lists in SQL: a page of an ordered statement, with the total, and the page size from the
configuration (PAGE_SIZE, 25 by default). The same statement, without the page, feeds the Excel
export. Templates draw the pages with `_macros/pager.html` and link them with `page_urls()`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, request, url_for
from sqlalchemy import Integer, Select, bindparam, func, select, true

from thiduaweb.extensions import db

DEFAULT_PAGE_SIZE = 25
#: The labels of `paged_select`'s `along` columns start with this (they share the row with the page's).
ALONG_PREFIX = "along_"


def page_size() -> int:
    try:
        size = int(current_app.config.get("PAGE_SIZE", DEFAULT_PAGE_SIZE))
    except (TypeError, ValueError):
        size = DEFAULT_PAGE_SIZE
    return size if size > 0 else DEFAULT_PAGE_SIZE


@dataclass
class Page:
    items: list = field(default_factory=list)
    total: int = 0
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE
    #: Values read with the count (`paged_select`'s `along`): what the page shows beside its table.
    along: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first(self) -> int:
        """Position (from 1) of the page's first row; 0 for an empty list."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to offer: the first, the last, and those around this one (None: a gap)."""
        shown = sorted({1, self.pages, *range(max(1, self.number - around), min(self.pages, self.number + around) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def count(stmt: Select) -> int:
    """How many rows the ordered list statement gives (one statement, whatever its size)."""
    counting = stmt.order_by(None).with_only_columns(func.count(), maintain_column_froms=True)
    return db.session.scalar(counting.options()) or 0


def page_frame(counted: Select, number: int | None, size: int | None = None) -> Page:
    """The page `number` (from 1; out of range: the nearest page) of the rows `counted` gives, without
    its items: one counting statement."""
    page = Page(total=count(counted), size=size or page_size())
    page.number = min(max(number or 1, 1), page.pages)
    return page


def paginate(stmt: Select, number: int | None, size: int | None = None, *, counted: Select | None = None) -> Page:
    """Page `number` (from 1; out of range: the nearest page) of `stmt`: two statements in all.
    `counted`: a cheaper statement with the same rows to count (without joins that only load)."""
    page = page_frame(counted if counted is not None else stmt, number, size)
    page.items = list(db.session.scalars(stmt.limit(page.size).offset(page.offset)))
    return page


def paged_select(counted: Select, rows: Select, order: tuple, *,
                 dress=lambda shown, joined: select(shown).select_from(joined), along: tuple = ()) -> Select:
    """One statement of plain rows for `page_of_rows`: a page of `rows` in `order`, and the total of
    `counted`. The count's one row is joined to the page's rows (`shown`), which `dress(shown, joined)`
    may join to more tables, the page's rows only. The page is chosen by the bound parameters
    page_size and page_offset, so that a list can build its statement once (composing it costs more
    than running it). `along`: labelled scalar subqueries read with the count, in the same statement
    (`Page.along`), for what the page shows above its table."""
    total = counted.order_by(None).with_only_columns(func.count().label("total"), *along,
                                                     maintain_column_froms=True)
    total = total.subquery("total")
    position = func.row_number().over(order_by=order).label("position")
    shown = (rows.add_columns(position).order_by(*order)
             .limit(_literal("page_size")).offset(_literal("page_offset"))
             .subquery("shown"))
    return (dress(shown, total.outerjoin(shown, true()))
            .add_columns(total.c.total, *[total.c[column.name] for column in along]).order_by(shown.c.position))


def _literal(name: str):
    """A page's size or offset, written into the SQL when the statement runs: with the unit as its only
    parameter PostgreSQL plans a list's statement once and reuses the plan; with the limit a parameter
    too, it planned each page afresh (a third of a millisecond a page)."""
    return bindparam(name, type_=Integer, literal_execute=True)


def page_of_rows(statement: Select, params: dict, number: int | None, size: int | None = None) -> Page:
    """Page `number` (from 1; past the end: the last page) of a `paged_select` statement run with
    `params`: one statement, two for a page past the end. The items are plain rows."""
    size = size or page_size()
    page = _read_page(statement, params, max(number or 1, 1), size)
    if not page.items and page.total and page.number > page.pages:
        page = _read_page(statement, params, page.pages, size)
    return page


def _read_page(statement: Select, params: dict, number: int, size: int) -> Page:
    found = db.session.execute(statement, params | {"page_size": size, "page_offset": (number - 1) * size}).all()
    page = Page(total=found[0].total if found else 0, number=number, size=size)
    page.items = [row for row in found if row.position is not None]
    if found:
        head = found[0]._mapping
        page.along = {name: head[name] for name in head.keys() if name.startswith(ALONG_PREFIX)}
    return page


def page_url(number: int, **keep) -> str:
    """The current list with its filters, at page `number`; `keep` adds arguments the view chose by
    default (the public list's year), so that the link names them."""
    args = {k: [v for v in values if v != ""] for k, values in request.args.to_dict(flat=False).items()
            if k not in ("page", "format")}
    args = {k: v for k, v in args.items() if v}
    args.update({k: v for k, v in keep.items() if v not in (None, "")})
    args.update(request.view_args or {})
    if number > 1:
        args["page"] = number
    return url_for(request.endpoint, **args)


#: A page number no list reaches, written where the number goes in `page_urls`.
_PAGE_MARK = 987654321987


def page_urls(**keep) -> Callable[[int], str]:
    """`page_url` as a function of the number, for the links of one pager: the URLs of page 1 and of a
    marked page are built once and the number written in (routing built each link anew: the previous,
    the next and the window's). A filter whose value holds the mark keeps building each link."""
    first, marked = page_url(1, **keep), page_url(_PAGE_MARK, **keep)
    if marked.count(str(_PAGE_MARK)) != 1:
        return lambda number: page_url(number, **keep)
    head, _, tail = marked.partition(str(_PAGE_MARK))
    return lambda number: first if number <= 1 else f"{head}{int(number)}{tail}"
