"""The nominations list keeps its overview and table per revision of the unit (core/revisions.py):
a second visit reads no nomination, and any change the list shows is shown at once."""
from __future__ import annotations

from sqlalchemy import select

from tests.awards.conftest import make_nomination, make_nominee
from tests.awards.test_lists import BASE, _rows
from tests.helpers import count_queries, page_text
from thiduaweb.awards.models import AwardType
from thiduaweb.extensions import db


def test_a_second_visit_of_the_list_reads_no_nomination(law, login):
    make_nomination(law.a, make_nominee(law.a))
    client = login("officer_a")
    with count_queries(db.engine) as first:
        body = page_text(client.get(f"{BASE}/"))
    with count_queries(db.engine) as again:
        assert page_text(client.get(f"{BASE}/")) == body
    assert again() <= 3 < first()


def test_a_new_nomination_shows_in_the_list_at_once(law, login):
    make_nomination(law.a, make_nominee(law.a, "Nguyễn Văn An"))
    client = login("officer_a")
    assert len(_rows(client.get(f"{BASE}/"), "nomination-table")) == 1
    make_nomination(law.a, make_nominee(law.a, "Trần Thị Bình"))
    rows = _rows(client.get(f"{BASE}/"), "nomination-table")
    assert [r[1].split(" Cá nhân")[0] for r in rows] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_a_renamed_title_in_the_catalogue_shows_in_every_list_at_once(law, login):
    nomination = make_nomination(law.a, make_nominee(law.a))
    client = login("officer_a")
    assert _rows(client.get(f"{BASE}/"), "nomination-table")[0][2] == "Lao động tiên tiến"
    award_type = db.session.scalar(select(AwardType).where(AwardType.id == nomination.award_type_id))
    award_type.name = "Lao động tiên tiến (tên mới)"
    db.session.commit()
    assert _rows(client.get(f"{BASE}/"), "nomination-table")[0][2] == "Lao động tiên tiến (tên mới)"


def test_each_filter_and_the_htmx_table_are_kept_apart(law, login):
    make_nomination(law.a, make_nominee(law.a, "Nguyễn Văn An"))
    make_nomination(law.a, make_nominee(law.a, "Trần Thị Bình"), state="appraisal")
    client = login("officer_a")
    assert len(_rows(client.get(f"{BASE}/"), "nomination-table")) == 2
    assert len(_rows(client.get(f"{BASE}/?state=appraisal"), "nomination-table")) == 1
    fragment = client.get(f"{BASE}/?state=appraisal", htmx=True).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="nomination-table"') and "Trần Thị Bình" in fragment
    assert "Nguyễn Văn An" not in fragment
