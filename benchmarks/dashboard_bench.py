"""Dashboard benchmark: load scale data, serve with gunicorn, measure pages and the 100,000-row export.

    .venv/bin/python benchmarks/dashboard_bench.py --communes 3321 --years 10            # SQLite file
    .venv/bin/python benchmarks/dashboard_bench.py --db postgresql://postgres@127.0.0.1:5432/thiduaweb_bench

Prints the time and peak memory of a 100,000-row export through core.excel beside XlsxWriter alone
writing the same cells (each in its own process, peak RSS); then p50/p95 (ms) of the city dashboard,
a commune home page, a paginated nominations list — each as users meet it most (kept per revision,
core/revisions.py) and as the first viewer after a change meets it (not cached) — and two floor
pages: the own-password page (the layout outside any unit, logged in, no data) and a commune's bare
unit layout (served by benchmarks/floor_app.py only), each page as a ratio to both.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import itertools
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
FLASK = str(ROOT / ".venv" / "bin" / "flask")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "ThiDua@2021"
#: Each page is measured in this many blocks, taken in turn with the other pages'.
ROUNDS = 4


def run(cmd, env):
    started = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def login(self, username):
        _, body = self.get("/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=60) as response:
            assert response.status in (200, 303), response.status


def recreate_postgres(url):
    """A fresh, empty database for the run (the server's maintenance database `postgres` is used to drop it)."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"tên cơ sở dữ liệu không hợp lệ: {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    # A benchmark database: commits need not wait for the disk (the load is one long bulk write).
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}",
                f"ALTER DATABASE {name} SET synchronous_commit = off"):
        subprocess.run(["psql", admin, "-qc", sql], check=True)


def timed(client, path, n, before=None, numbers=None) -> list[float]:
    """The times (ms) of `n` requests after one untimed warm-up; `path` is a path, or a function of a
    number (from `numbers`) giving a path that no earlier request asked for (a page no cache holds
    yet); `before()` runs before each request, untimed."""
    path_of = path if callable(path) else (lambda i: path)
    numbers = numbers or itertools.count()
    client.get(path_of(next(numbers)))  # warm
    times = []
    for _ in range(n):
        if before:
            before()
        started = time.perf_counter()
        status, _ = client.get(path_of(next(numbers)))
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, (path, status)
    return times


def measure_all(pages: dict, n: int, rounds: int = ROUNDS) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of `n` requests of each page, taken in `rounds` blocks in turn, so that a
    machine getting slower or faster during the run weighs on every page alike."""
    times: dict[str, list[float]] = {name: [] for name in pages}
    numbers = itertools.count()
    for _ in range(rounds):
        for name, (client, path, *before) in pages.items():
            times[name] += timed(client, path, n // rounds, *before, numbers=numbers)
    return {name: percentiles(t) for name, t in times.items()}


def percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def revision_raiser(db_url: str, slug: str):
    """A function that raises a unit's revision as a write in that unit would (the counter is a
    microsecond time, so any larger number will do), with plain SQL: the app is not imported here."""
    sql = ("UPDATE unit_revision SET revision = revision + 1, own_revision = own_revision + 1 "
           "WHERE unit_id = (SELECT id FROM unit WHERE slug = {})")
    if db_url.startswith("postgresql"):
        import psycopg

        conn = psycopg.connect(db_url.replace("postgresql+psycopg", "postgresql"), autocommit=True)
        return lambda: conn.execute(sql.format("%s"), (slug,))
    import sqlite3

    conn = sqlite3.connect(db_url[len("sqlite:///"):], isolation_level=None)
    return lambda: conn.execute(sql.format("?"), (slug,))


EXPORT_SNIPPET = r"""
import resource, sys, time, datetime
n = 100_000
rows = ((i, f"Đối tượng {i}", "Lao động tiên tiến", datetime.date(2024, 12, 20), 2024, "Xóm Cây Thị", "01/QĐ-UBND", 0.3)
        for i in range(n))
cols = ["STT", "Họ và tên", "Danh hiệu", "Ngày", "Năm", "Thôn, xóm", "Quyết định", "Hệ số"]
started = time.perf_counter()
if sys.argv[1] == "app":
    from thiduaweb.core.excel import build_xlsx
    data = build_xlsx(cols, rows, title="Khen thưởng")
else:
    import tempfile, xlsxwriter
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as h:
        wb = xlsxwriter.Workbook(h.name, {"constant_memory": True})
        ws = wb.add_worksheet()
        for c, name in enumerate(cols):
            ws.write(0, c, name)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                ws.write(r, c, v)
        wb.close()
elapsed = time.perf_counter() - started
print(f"{elapsed:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
"""


def export_benchmark(env):
    out = {}
    for which in ("app", "xlsxwriter"):
        result = subprocess.run([PY, "-c", EXPORT_SNIPPET, which], env=env, cwd=ROOT, check=True, capture_output=True,
                                text=True)
        seconds, peak = result.stdout.split()
        out[which] = (float(seconds), float(peak))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--db", default="sqlite:////tmp/thiduaweb-bench.sqlite3")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()

    env = dict(os.environ, DATABASE_URL=args.db, ALLOW_SQLITE_IN_PRODUCTION="1", PYTHONPATH=str(ROOT),
               SECRET_KEY=os.environ.get("SECRET_KEY", "benchmark-secret-key-0123456789abcdef"))
    if not args.skip_load:
        if args.db.startswith("sqlite:///"):
            Path(args.db[len("sqlite:///"):]).unlink(missing_ok=True)
        elif args.db.startswith("postgresql"):
            recreate_postgres(args.db)
        run([FLASK, "--app", "app", "db", "upgrade", "heads"], env)
        seconds = run([FLASK, "--app", "app", "seed-scale", "--communes", str(args.communes), "--years",
                       str(args.years)], env)
        print(f"seed-scale {args.communes} xã × {args.years} năm: {seconds:.1f} s (kể cả tính lại số liệu)")
    # First, before this process reads anything: a child's peak memory counts its parent's before exec.
    ex = export_benchmark(env)
    app_s, app_mb = ex["app"]
    raw_s, raw_mb = ex["xlsxwriter"]
    print(f"\n100,000-row export: core.excel {app_s:.2f} s, peak {app_mb:.0f} MB; XlsxWriter alone {raw_s:.2f} s, "
          f"peak {raw_mb:.0f} MB; ratio {app_s / raw_s:.2f}")
    server = subprocess.Popen([GUNICORN, "-w", "2", "-b", f"127.0.0.1:{args.port}", "--pythonpath", "benchmarks",
                               "floor_app:app"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        supervisor, officer = Client(base), Client(base)
        supervisor.login("tinh-mau-quy-mo.noivu")
        officer.login("xa-mau-1.canbo")
        pages = {
            "floor (trang đổi mật khẩu)": (officer, "/account/password"),
            "unit floor (khung trang của xã)": (officer, "/u/xa-mau-1/_san/"),
            "city dashboard": (supervisor, "/u/tinh-mau-quy-mo/dashboard/"),
            "city dashboard sorted by share": (supervisor, "/u/tinh-mau-quy-mo/dashboard/?sort=share&desc=1"),
            # A filter every commune passes, with a value no request used before: the table is rendered
            # afresh each time (what the first viewer after a change waits for).
            "city dashboard, not cached": (supervisor, lambda i: f"/u/tinh-mau-quy-mo/dashboard/?fc=nom_total&fo=gt"
                                                             f"&fv=-{i + 2}"),
            "commune home": (officer, "/u/xa-mau-1/"),
            "nominations list": (officer, "/u/xa-mau-1/khen-thuong/"),
            # An argument the list ignores but its kept table is keyed by (the links keep every argument),
            # with a new value each time: the table is read and drawn afresh, as after a change.
            "nominations list, not cached": (officer, lambda i: f"/u/xa-mau-1/khen-thuong/?lan={i + 2}"),
            # The home as the first visitor after a change meets it: the commune's revision raised (as a
            # write would) before each request, so its content is read and drawn afresh. Last in each
            # round: the next round's kept pages are drawn again by their warm-up request.
            "commune home, not cached": (officer, "/u/xa-mau-1/", revision_raiser(args.db, "xa-mau-1")),
        }
        results = measure_all(pages, args.requests)
        floor, unit_floor = results["floor (trang đổi mật khẩu)"], results["unit floor (khung trang của xã)"]
        print(f"\n{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'p50/floor':>10} {'p95/floor':>10} "
              f"{'p50/unit floor':>15} {'p95/unit floor':>15}")
        for name, (p50, p95) in results.items():
            print(f"{name:34} {p50:8.1f} {p95:8.1f} {p50 / floor[0]:10.2f} {p95 / floor[1]:10.2f} "
                  f"{p50 / unit_floor[0]:15.2f} {p95 / unit_floor[1]:15.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()

