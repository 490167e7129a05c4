"""The inbox's "Xuất Excel" link is part of what htmx redraws: after filtering it carries the new filters."""
import io
from urllib.parse import parse_qs, urlsplit

import openpyxl
from lxml import html

DESK = "/u/xa-dong-lien/don-thu"


def _export_links(response) -> list[str]:
    tree = html.fromstring(response.get_data(as_text=True))
    return [a.get("href") for a in tree.xpath("//a[@href]") if "Xuất Excel" in a.text_content()]


def test_the_filtered_fragment_carries_an_export_link_with_the_same_filters(login, file_petition):
    complaint = file_petition(kind="complaint")
    file_petition(kind="denunciation", subject="Tố cáo việc bình xét không công khai")
    officer = login("officer_a")

    page = officer.get(f"{DESK}/")
    assert len(_export_links(page)) == 1  # one link, inside the table's block

    fragment = officer.get(f"{DESK}/?tab=all&kind=complaint&q=binh+xet", htmx=True)
    assert fragment.status_code == 200
    body = fragment.get_data(as_text=True)
    assert 'id="petition-table"' in body and "<html" not in body  # the redrawn block only
    links = _export_links(fragment)
    assert len(links) == 1
    url = urlsplit(links[0])
    assert url.path == f"{DESK}/export.xlsx"
    query = parse_qs(url.query)
    assert query["tab"] == ["all"] and query["kind"] == ["complaint"] and query["q"] == ["binh xet"]

    # The link exports what the fragment lists.
    sheet = openpyxl.load_workbook(io.BytesIO(officer.get(links[0]).get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    data = rows[next(i for i, r in enumerate(rows) if r[0] == "Mã") + 1:]
    assert len(data) == 1 and data[0][2] == "Khiếu nại"
    assert complaint.replace("-", "") in data[0][0].replace("-", "")

    # Another filter, another link.
    other = _export_links(officer.get(f"{DESK}/?tab=all&kind=denunciation", htmx=True))
    assert parse_qs(urlsplit(other[0]).query)["kind"] == ["denunciation"]
