"""The inbox tabs are redrawn with the table: after filtering, each tab keeps the new filters."""
from urllib.parse import parse_qs, urlsplit

from lxml import html

DESK = "/u/xa-dong-lien/don-thu"


def _tabs(response):
    tree = html.fromstring(f"<div>{response.get_data(as_text=True)}</div>")
    return tree.xpath('//*[@id="petition-tabs"]')


def test_a_filtered_redraw_brings_the_tabs_with_the_filters_out_of_band(login, file_petition):
    file_petition(kind="complaint")
    officer = login("officer_a")

    page = _tabs(officer.get(f"{DESK}/"))
    assert len(page) == 1 and page[0].get("hx-swap-oob") is None  # the page draws them once, in place

    fragment = officer.get(f"{DESK}/?tab=open&kind=complaint&q=binh+xet", htmx=True)
    tabs = _tabs(fragment)
    assert len(tabs) == 1 and tabs[0].get("hx-swap-oob") == "true"
    links = {a.text_content().split()[0]: parse_qs(urlsplit(a.get("href")).query) for a in tabs[0].xpath(".//a")}
    assert links and all(q["kind"] == ["complaint"] and q["q"] == ["binh xet"] for q in links.values())
    assert "active" in tabs[0].xpath('.//a[@aria-current="page"]')[0].get("class")
