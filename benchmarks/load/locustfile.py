"""Load mix for Thi đua Web: commune officers at work, the province's supervisors, citizens.

Officers (most of the traffic) open their commune's home page, the nominations list, the
complaints inbox and the audit trail; supervisors open the province's dashboard and its communes;
citizens read a commune's public award list and open the petition form. Requests are grouped in
the statistics by name: "page: …", "dashboard: …", "public: …".

Signed-in users reuse sessions opened before the run (`LOAD_SESSIONS`, a JSON file written by
steps.py: {"officers": {slug: cookie header}, "supervisor": cookie header}), as people at work do:
the log-ins (Argon2id, deliberately slow) are measured on their own, not mixed into the pages. Each
user keeps its cookies from then on, as a browser does.
Without that file each user logs in when it starts.
"""
import json
import os
import random
import re
import urllib.parse
from http.cookiejar import Cookie

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

COMMUNES = int(os.environ.get("LOAD_COMMUNES", "100"))
PROVINCE = os.environ.get("LOAD_PROVINCE", "tinh-mau-quy-mo")
PASSWORD = "ThiDua@2021"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SESSIONS = json.load(open(os.environ["LOAD_SESSIONS"], encoding="utf-8")) if os.environ.get("LOAD_SESSIONS") else None


def _login(user, username: str) -> None:
    page = user.client.get("/login", name="login page")
    match = TOKEN.search(page.text or "")
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    with user.client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)},
                          name="login", allow_redirects=False, catch_response=True) as answer:
        if answer.status_code != 303:
            answer.failure(f"login refused: {answer.status_code}")


def _commune() -> str:
    return f"xa-mau-{random.randint(1, COMMUNES)}"


def _cookie(name: str, value: str, host: str) -> Cookie:
    return Cookie(0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {})


class SignedIn(FastHttpUser):
    abstract = True

    def sign_in(self, username: str, cookie: str | None) -> None:
        """Start from a session opened before the run, kept in the user's cookie jar: like a browser,
        the user then keeps what the app sets in it (the navigation bar's count of things to do is
        remembered there for a minute)."""
        if not cookie:
            _login(self, username)
            return
        host = urllib.parse.urlsplit(self.host).hostname
        for part in cookie.split("; "):
            name, _, value = part.partition("=")
            self.client.cookiejar.set_cookie(_cookie(name, value, host))

    def page(self, path: str, name: str) -> None:
        # A lost session would redirect to the log-in page: counted as a failure, not as a fast page.
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")


class CommuneOfficer(SignedIn):
    weight = 8
    wait_time = between(1, 3)

    def on_start(self):
        if SESSIONS:
            self.slug, cookie = random.choice(sorted(SESSIONS["officers"].items()))
        else:
            self.slug, cookie = _commune(), None
        self.sign_in(f"{self.slug}.canbo", cookie)

    @task(4)
    def home(self):
        self.page(f"/u/{self.slug}/", "page: commune home")

    @task(3)
    def nominations(self):
        self.page(f"/u/{self.slug}/khen-thuong/", "page: nominations list")

    @task(2)
    def inbox(self):
        self.page(f"/u/{self.slug}/don-thu/", "page: complaints inbox")

    @task(1)
    def audit(self):
        self.page(f"/u/{self.slug}/audit/", "page: audit trail")


class ProvinceSupervisor(SignedIn):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.sign_in(f"{PROVINCE}.noivu", SESSIONS["supervisor"] if SESSIONS else None)

    @task(3)
    def dashboard(self):
        self.page(f"/u/{PROVINCE}/dashboard/", "dashboard: province")

    @task(1)
    def sorted_by_share(self):
        self.page(f"/u/{PROVINCE}/dashboard/?sort=share&desc=1&page={random.randint(1, 20)}",
                  "dashboard: province sorted by share")

    @task(1)
    def communes(self):
        self.page(f"/u/{PROVINCE}/units?q={random.choice(['1', '2', '3', 'mau'])}", "page: communes list")


class Citizen(FastHttpUser):
    weight = 3
    wait_time = between(2, 6)

    @task(3)
    def public_awards(self):
        self.client.get(f"/p/{_commune()}/khen-thuong/", name="public: award lists")

    @task(1)
    def petition_form(self):
        self.client.get(f"/p/{_commune()}/don-thu/", name="public: petition form")
