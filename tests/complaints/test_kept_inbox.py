"""The inbox and the audit trail keep their parts per revision of the unit (core/revisions.py): a
second visit reads no petition, and whatever they show changes at once."""
from tests.complaints.test_desk import DESK, _petition
from tests.helpers import count_queries, page_text
from thiduaweb.accounts.models import User
from thiduaweb.extensions import db


def test_a_second_visit_of_the_inbox_reads_no_petition(app, world, login, file_petition):
    file_petition(subject="Khiếu nại về danh sách khen thưởng")
    officer = login("officer_a")
    app.extensions.pop("thiduaweb_page_cache", None)
    with count_queries(db.engine) as first:
        body = page_text(officer.get(f"{DESK}/"))
    with count_queries(db.engine) as again:
        assert page_text(officer.get(f"{DESK}/")) == body
    assert again() <= 3 < first()


def test_a_new_petition_and_a_renamed_handler_show_in_the_inbox_at_once(world, login, file_petition):
    officer = login("officer_a")
    assert "Khiếu nại về danh sách khen thưởng" not in officer.get(f"{DESK}/").get_data(as_text=True)
    petition = _petition(file_petition(subject="Khiếu nại về danh sách khen thưởng"))
    body = officer.get(f"{DESK}/").get_data(as_text=True)
    assert "Khiếu nại về danh sách khen thưởng" in body
    chairman = login("chairman_a")
    chairman.post(f"{DESK}/{petition.id}/assign", {"handler_id": str(world.users["officer_a"].id)})
    assert "Cán bộ officer_a" in officer.get(f"{DESK}/").get_data(as_text=True)

    db.session.get(User, world.users["officer_a"].id).full_name = "Nguyễn Thị Hòa"  # the handler's new name
    db.session.commit()
    body = officer.get(f"{DESK}/").get_data(as_text=True)
    assert "Nguyễn Thị Hòa" in body and "Cán bộ officer_a" not in body


def test_an_htmx_redraw_brings_the_tabs_out_of_band_and_the_page_draws_them_once(world, login, file_petition):
    file_petition()
    officer = login("officer_a")
    page = officer.get(f"{DESK}/?q=binh xet").get_data(as_text=True)
    fragment = officer.get(f"{DESK}/?q=binh xet", htmx=True).get_data(as_text=True)
    assert page.count('id="petition-tabs"') == 1 and 'hx-swap-oob="true"' not in page
    assert fragment.count('id="petition-tabs"') == 1 and 'hx-swap-oob="true"' in fragment


def test_the_audit_trail_shows_a_new_step_at_once_and_reads_little_the_second_time(app, world, login,
                                                                                    file_petition):
    officer = login("officer_a")
    assert "Khiếu nại về danh sách khen thưởng" not in officer.get("/u/xa-dong-lien/audit/").get_data(as_text=True)
    file_petition(subject="Khiếu nại về danh sách khen thưởng")  # its creation, subject included, is an entry
    body = page_text(officer.get("/u/xa-dong-lien/audit/"))
    assert "Khiếu nại về danh sách khen thưởng" in body
    with count_queries(db.engine) as again:
        assert page_text(officer.get("/u/xa-dong-lien/audit/")) == body
    assert again() <= 3
