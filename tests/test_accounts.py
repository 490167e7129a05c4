"""Logging in and out, passwords, and managing the users of a unit."""
from thiduaweb.accounts.models import User
from thiduaweb.extensions import db
from tests.helpers import PASSWORD, UserClient, text_of


def test_every_role_logs_in_and_lands_on_its_units_home(app, world):
    for key, unit in [("officer_a", world.a), ("supervisor", world.city), ("chairman_a", world.a)]:
        client = UserClient(app)
        response = client.login(world.users[key].username)
        assert response.headers["Location"] == f"/u/{unit.slug}/"
        assert unit.name in text_of(client.get(f"/u/{unit.slug}/"))


def test_a_failed_login_does_not_say_whether_the_user_exists(app, world):
    client = UserClient(app)
    client.refresh_token()
    wrong_password = client.post("/login", {"username": "officer.a", "password": "sai-mat-khau"})
    no_such_user = client.post("/login", {"username": "khong.co", "password": "sai-mat-khau"})
    assert wrong_password.status_code == no_such_user.status_code == 422
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in text_of(wrong_password)
    assert text_of(wrong_password) == text_of(no_such_user)


def test_a_deactivated_user_cannot_log_in(app, world):
    world.users["officer_a"].active = False
    db.session.commit()
    client = UserClient(app)
    client.refresh_token()
    response = client.post("/login", {"username": "officer.a", "password": PASSWORD})
    assert response.status_code == 422


def test_login_is_rate_limited_with_a_clear_message(app, world):
    client = UserClient(app)
    client.refresh_token()
    statuses = [client.post("/login", {"username": "officer.a", "password": "x"}).status_code for _ in range(11)]
    assert statuses[-1] == 429
    assert "quá nhiều" in text_of(client.post("/login", {"username": "officer.a", "password": "x"}))


def test_passwords_are_hashed_with_argon2(world):
    assert world.users["officer_a"].password_hash.startswith("$argon2id$")


def test_session_cookie_is_httponly_and_samesite(app, world):
    client = UserClient(app)
    response = client.login("officer.a")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_changing_the_password_ends_other_sessions(app, world, login):
    first, second = login("officer_a"), login("officer_a")
    response = first.post("/account/password", {"current_password": PASSWORD, "new_password": "MatKhauMoi2021",
                                                "confirm_password": "MatKhauMoi2021"})
    assert response.status_code == 303
    assert first.get("/u/xa-dong-lien/").status_code == 200
    assert second.get("/u/xa-dong-lien/").status_code == 302  # back to the login page


def test_a_wrong_current_password_is_shown_beside_its_field(login):
    client = login("officer_a")
    response = client.post("/account/password", {"current_password": "sai", "new_password": "MatKhauMoi2021",
                                                 "confirm_password": "MatKhauMoi2021"})
    assert response.status_code == 422
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    assert "Mật khẩu hiện tại không đúng." in text_of(response)


def test_logout_ends_the_session(login):
    client = login("officer_a")
    assert client.post("/logout").status_code == 302
    assert client.get("/u/xa-dong-lien/").status_code == 302


def test_supervisor_creates_a_commune_user_and_the_audit_trail_shows_it(world, login):
    client = login("supervisor")
    response = client.post("/u/xa-dong-lien/users/new", {
        "username": "donglien.vhxh", "full_name": "Trần Văn Hải", "password": "MatKhau2021",
        "roles": ["officer"], "active": "y"})
    assert response.status_code == 303
    user = db.session.query(User).filter_by(username="donglien.vhxh").one()
    assert [m.unit_id for m in user.memberships] == [world.a.id]
    assert "Tạo tài khoản" in text_of(login("officer_a").get("/u/xa-dong-lien/audit/"))


def test_a_duplicate_username_is_refused_beside_the_field_and_nothing_typed_is_lost(login):
    client = login("supervisor")
    response = client.post("/u/xa-dong-lien/users/new", {
        "username": "officer.b", "full_name": "Trần Văn Hải", "password": "MatKhau2021", "roles": ["officer"]})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="username-error"' in body and "đã có người dùng" in body
    assert 'value="Trần Văn Hải"' in body


def test_a_commune_officer_cannot_manage_users(login):
    client = login("officer_a")
    assert client.get("/u/xa-dong-lien/users/new").status_code == 403


def test_the_users_table_filters_through_htmx_without_diacritics(world, login):
    client = login("supervisor")
    response = client.get("/u/tp-thai-nguyen/users/?q=can bo officer", htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="user-table"' in body
    assert "officer.a" in body and "supervisor" not in body.split("<tbody>")[1]
    assert "HX-Request" in response.headers["Vary"]


def test_reset_password_gives_a_temporary_one(world, login):
    client = login("supervisor")
    user = world.users["officer_a"]
    response = client.post(f"/u/xa-dong-lien/users/{user.id}/reset-password")
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.session_version == 2
