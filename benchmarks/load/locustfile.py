"""Load mix for Thi đua Web: commune officers at work and citizens on the public pages.

Officers (most of the traffic) log in once, then open their commune's home page, the
nominations list, the complaints inbox and the audit trail; city supervisors open the city's
pages; citizens read a commune's public award list and follow a petition form. Pages and
dashboards are grouped in the statistics by their names.
"""
import os
import random
import re

from locust import HttpUser, between, task

COMMUNES = int(os.environ.get("LOAD_COMMUNES", "100"))
PASSWORD = "ThiDua@2021"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _login(user, username: str) -> bool:
    page = user.client.get("/login", name="login page")
    match = TOKEN.search(page.text)
    if not match:
        return False
    answer = user.client.post("/login", {"username": username, "password": PASSWORD, "csrf_token": match.group(1)},
                              name="login", allow_redirects=False)
    return answer.status_code == 303


class CommuneOfficer(HttpUser):
    weight = 8
    wait_time = between(1, 3)

    def on_start(self):
        self.slug = f"xa-mau-{random.randint(1, COMMUNES)}"
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


class CitySupervisor(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        _login(self, os.environ.get("LOAD_SUPERVISOR", "tinh-mau-quy-mo.noivu"))

    @task(3)
    def dashboard(self):
        self.client.get("/u/tinh-mau-quy-mo/dashboard/", name="dashboard: city")

    @task(1)
    def communes(self):
        self.client.get("/u/tinh-mau-quy-mo/units", name="page: communes list")


class Citizen(HttpUser):
    weight = 3
    wait_time = between(2, 6)

    @task(3)
    def public_awards(self):
        self.client.get(f"/p/xa-mau-{random.randint(1, COMMUNES)}/khen-thuong/", name="public: award lists")

    @task(1)
    def petition_form(self):
        self.client.get(f"/p/xa-mau-{random.randint(1, COMMUNES)}/don-thu/", name="public: petition form")
