"""The signed-in user is kept per process while their revision stands (accounts.services.load_user):
a unit page seen again loads no user, and any change of the user, of their memberships or of a unit
they belong to is seen at their very next page."""
from sqlalchemy import delete, select

from tests.helpers import statements_of_page, text_of
from thiduaweb.accounts.models import Membership, User
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit


def _user_loads(client, url: str) -> int:
    """How many statements loading the user the page `url` sent."""
    return sum(statement.lstrip().startswith("SELECT user_account.id, user_account.username")
               for statement in statements_of_page(client, url))


def test_a_unit_page_seen_again_loads_no_user(world, login):
    client = login("officer_a")
    url = f"/u/{world.a.slug}/"
    _user_loads(client, url)
    assert _user_loads(client, url) == 0


def test_a_deactivated_user_is_signed_out_at_their_next_page(world, login):
    client = login("officer_a")
    url = f"/u/{world.a.slug}/"
    client.get(url)
    user = db.session.get(User, world.users["officer_a"].id)
    user.active = False
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_membership_removed_takes_the_unit_away_at_once(world, login):
    client = login("officer_a")
    url = f"/u/{world.a.slug}/"
    assert client.get(url).status_code == 200
    db.session.execute(delete(Membership).where(Membership.user_id == world.users["officer_a"].id))
    db.session.commit()
    assert client.get(url).status_code == 404


def test_a_membership_granted_elsewhere_shows_in_the_unit_menu_at_once(world, login):
    client = login("officer_a")
    url = f"/u/{world.a.slug}/"
    assert "Xã Tân Cương" not in text_of(client.get(url))
    db.session.add(Membership(user_id=world.users["officer_a"].id, unit_id=world.b.id, role="officer"))
    db.session.commit()
    assert "Xã Tân Cương" in text_of(client.get(url))


def test_another_unit_the_user_belongs_to_renamed_shows_in_their_menu_at_once(world, login):
    db.session.add(Membership(user_id=world.users["officer_a"].id, unit_id=world.b.id, role="officer"))
    db.session.commit()
    client = login("officer_a")
    url = f"/u/{world.a.slug}/"
    assert "Xã Tân Cương" in text_of(client.get(url))
    commune = db.session.scalar(select(Unit).where(Unit.id == world.b.id))
    commune.name = "Xã Tân Cương mới"
    db.session.commit()
    page = text_of(client.get(url))
    assert "Xã Tân Cương mới" in page
    assert page.count("Xã Tân Cương") == page.count("Xã Tân Cương mới")
