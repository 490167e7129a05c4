"""Load mix for Thi đua Web: commune officers at work, the province's supervisors, citizens.

Officers (most of the traffic) log in once, then open their commune's home page, the
nominations list, the complaints inbox and the audit trail; supervisors open the province's
dashboard and its communes; citizens read a commune's public award list and open the petition
form. Requests are grouped in the statistics by name: "page: …", "dashboard: …", "public: …".
"""
import os
import random
import re

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

COMMUNES = int(os.environ.get("LOAD_COMMUNES", "100"))
PROVINCE = os.environ.get("LOAD_PROVINCE", "tinh-mau-quy-mo")
PASSWORD = "ThiDua@2021"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


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


class CommuneOfficer(FastHttpUser):
    weight = 8
    wait_time = between(1, 3)

    def on_start(self):
        self.slug = _commune()
        _login(self, f"{self.slug}.canbo")

    @task(4)
    def home(self):
        self.client.get(f"/u/{self.slug}/", name="page: commune home")

    @task(3)
    def nominations(self):
        self.client.get(f"/u/{self.slug}/khen-thuong/", name="page: nominations list")

    @task(2)
    def inbox(self):
        self.client.get(f"/u/{self.slug}/don-thu/", name="page: complaints inbox")

    @task(1)
    def audit(self):
        self.client.get(f"/u/{self.slug}/audit/", name="page: audit trail")


class ProvinceSupervisor(FastHttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        _login(self, f"{PROVINCE}.noivu")

    @task(3)
    def dashboard(self):
        self.client.get(f"/u/{PROVINCE}/dashboard/", name="dashboard: province")

    @task(1)
    def sorted_by_share(self):
        self.client.get(f"/u/{PROVINCE}/dashboard/?sort=share&desc=1&page={random.randint(1, 20)}",
                        name="dashboard: province sorted by share")

    @task(1)
    def communes(self):
        self.client.get(f"/u/{PROVINCE}/units?q={random.choice(['1', '2', '3', 'mau'])}", name="page: communes list")


class Citizen(FastHttpUser):
    weight = 3
    wait_time = between(2, 6)

    @task(3)
    def public_awards(self):
        self.client.get(f"/p/{_commune()}/khen-thuong/", name="public: award lists")

    @task(1)
    def petition_form(self):
        self.client.get(f"/p/{_commune()}/don-thu/", name="public: petition form")
