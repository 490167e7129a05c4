"""Helpers for the "Xuất Excel" tests of the lists: read the page's table, follow its export link,
read the workbook back with openpyxl and compare the two."""
from __future__ import annotations

import io
import re

import openpyxl
from lxml import html


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def page_rows(response, container_id: str) -> list[list[str]]:
    """The text of each data row (cells `td`/`th` of `tbody`) of the table inside `#container_id`;
    a row of one cell spanning the table (the "nothing here" row) is left out."""
    assert response.status_code == 200, response.status_code
    tree = html.fromstring(response.get_data(as_text=True))
    found = tree.xpath(f'//*[@id="{container_id}"]')
    assert found, f"#{container_id} not on the page"
    rows = []
    for tr in found[0].xpath(".//tbody/tr"):
        cells = [_clean(c.text_content()) for c in tr.xpath("./td|./th")]
        if len(cells) == 1 and tr.xpath("./td[@colspan]"):
            continue
        rows.append(cells)
    return rows


def export_href(response) -> str:
    """The href of the page's "Xuất Excel" link (which must leave htmx's boost)."""
    tree = html.fromstring(response.get_data(as_text=True))
    links = [a for a in tree.xpath("//a[@href]") if "Xuất Excel" in a.text_content()]
    assert links, "no Xuất Excel link"
    assert links[0].get("hx-boost") == "false"
    return links[0].get("href")


def sheet_rows(response) -> tuple[list, list[tuple]]:
    """(header, data rows) of the downloaded workbook; checks the frozen header row and the autofilter."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    ws = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(ws.iter_rows(values_only=True))
    header_index = int(re.match(r"[A-Z]+(\d+)", ws.freeze_panes).group(1)) - 2
    header = list(rows[header_index])
    data = [r for r in rows[header_index + 1:] if any(v not in (None, "") for v in r)]
    if data:
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{header_index + 1}:")
    return header, data


def assert_same_rows(page: list[list[str]], page_col: int, header: list, data: list[tuple], sheet_col: str) -> list:
    """The page's rows and the sheet's rows are the same records in the same order: each page cell
    of `page_col` starts with the sheet's value in the column headed `sheet_col`. Returns those values."""
    col = header.index(sheet_col)
    values = [r[col] for r in data]
    assert len(values) == len(page), (len(values), len(page), values, page)
    for cells, value in zip(page, values):
        assert cells[page_col].startswith(str(value)), (cells[page_col], value)
    return values
