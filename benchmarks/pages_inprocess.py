"""Time one page in-process (Flask's test client on benchmarks/floor_app.py, no HTTP server), to see
where a page's time goes: its statements with their times, or a profile. A diagnostic beside
`dashboard_bench.py`, which gives the figures of record; run it on the database that script loaded.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/thiduaweb_bench_nat \\
        .venv/bin/python benchmarks/pages_inprocess.py --page list --mode move --requests 300 --sql

Pages: floor (the own-password page), unit (a commune's bare unit layout), home, list (nominations).
Modes, as in `dashboard_bench.py` (before each timed request, untimed): kept (nothing), edit (a draft's
text rewritten through the form), move (the draft moved between this year and the last: a figure
changes), day (the parts whose keys name today forgotten), cold (the commune's counters and all its
areas' raised: every part drawn afresh), new-arguments (the page asked with an argument of a new value).
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
import urllib.error
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]
os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-0123456789abcdef")
os.environ.setdefault("ALLOW_SQLITE_IN_PRODUCTION", "1")

PAGES = {"floor": "/account/password", "unit": "/u/xa-mau-1/_san/", "home": "/u/xa-mau-1/",
         "list": "/u/xa-mau-1/khen-thuong/"}
OFFICER, PASSWORD = "xa-mau-1.canbo", "ThiDua@2021"


class Browser:
    """One signed-in browser on the test client, with the interface `dashboard_bench.nomination_editor`
    uses (a refused form raises HTTPError 422, as urllib does)."""

    def __init__(self, app, headers: dict | None = None):
        self.client, self.headers = app.test_client(), headers or {}

    def get(self, path: str):
        response = self.client.get(path, headers=self.headers, follow_redirects=True)
        return response.status_code, response.data

    def post(self, path: str, fields: dict):
        response = self.client.post(path, data=fields, headers=self.headers, follow_redirects=True)
        if response.status_code == 422:
            raise urllib.error.HTTPError(path, 422, "", None, None)
        return response.status_code, response.data

    def login(self, username: str) -> None:
        _, body = self.get("/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
        status, _ = self.post("/login", {"username": username, "password": PASSWORD, "csrf_token": token})
        assert status == 200, status


def before_each(mode: str, app):
    """The untimed step before each request of `mode`, or None."""
    import dashboard_bench

    writer = Browser(app)
    writer.login(OFFICER)
    if mode == "edit":
        return dashboard_bench.nomination_editor(writer, "xa-mau-1")
    if mode == "move":
        return dashboard_bench.nomination_editor(writer, "xa-mau-1", moves_year=True)
    if mode == "cold":
        return dashboard_bench.everything_raiser(os.environ["DATABASE_URL"], "xa-mau-1")
    return None


def statement_timer(engine, into: list):
    """Record (ms, first characters) of each statement `engine` runs into `into`."""
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def started(conn, cursor, statement, parameters, context, executemany):
        conn.info["benchmark_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def ended(conn, cursor, statement, parameters, context, executemany):
        elapsed = (time.perf_counter() - conn.info.pop("benchmark_started")) * 1000
        into.append((elapsed, " ".join(statement.split())[:140]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=PAGES, default="list")
    parser.add_argument("--mode", choices=("kept", "edit", "move", "day", "cold", "new-arguments"), default="kept")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sql", action="store_true", help="list the last request's statements with their times")
    parser.add_argument("--profile", action="store_true", help="profile the timed requests (cProfile)")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (cumulative, tottime...)")
    parser.add_argument("--lines", type=int, default=45, help="the profile's lines")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Đặt DATABASE_URL tới cơ sở dữ liệu mà dashboard_bench.py đã nạp.")

    import floor_app
    from thiduaweb.extensions import db

    app = floor_app.app
    viewer = Browser(app, {floor_app.NEW_DAY_HEADER: "1"} if args.mode == "day" else None)
    viewer.login(OFFICER)
    before = before_each(args.mode, app)
    statements: list = []
    if args.sql:
        with app.app_context():
            statement_timer(db.engine, statements)
    page = PAGES[args.page]
    viewer.get(page)  # warm
    profile = cProfile.Profile() if args.profile else None
    times = []
    for number in range(args.requests):
        if before:
            before()
        statements.clear()
        path = f"{page}?lan={number}" if args.mode == "new-arguments" else page
        if profile:
            profile.enable()
        started = time.perf_counter()
        status, _ = viewer.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if profile:
            profile.disable()
        assert status == 200, (path, status)
    times.sort()
    print(f"{args.page}, {args.mode}: p50 {statistics.median(times):.2f} ms, mean {statistics.fmean(times):.2f}, "
          f"p95 {times[int(len(times) * 0.95)]:.2f}, min {times[0]:.2f} ({args.requests} requests)")
    for elapsed, statement in statements:
        print(f"  {elapsed:6.2f} ms  {statement}")
    if profile:
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
