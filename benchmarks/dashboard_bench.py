"""Dashboard benchmark: load scale data, serve with gunicorn, measure pages and the 100,000-row export.

    .venv/bin/python benchmarks/dashboard_bench.py --communes 3321 --years 10            # SQLite file
    .venv/bin/python benchmarks/dashboard_bench.py --db postgresql://postgres@127.0.0.1:5432/thiduaweb_bench

Prints the time and peak memory of a 100,000-row export through core.excel beside XlsxWriter alone
writing the same cells (each in its own process, peak RSS); then p50/p95 (ms) of the city dashboard,
a commune home page, a paginated nominations list — each as users meet it most (kept per revision,
core/revisions.py), as the first viewer after a change meets it (before each request an officer edits a
draft nomination's text, or moves it to another year, through the app's form), as the first visit of a
day meets it (every part drawn afresh, the copies of the unit and the user kept), and drawn afresh in
full with every counter raised (not cached: a new award catalogue, a rebuild) — and two floor
pages: the own-password page (the layout outside any unit, logged in, no data) and a commune's bare
unit layout (served by benchmarks/floor_app.py only), each page as a ratio to both.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import itertools
import os
import re
import statistics
import subprocess
import time
import urllib.parse
import urllib.error
import urllib.request
from html.parser import HTMLParser
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
    def __init__(self, base, headers: dict | None = None):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.opener.addheaders += list((headers or {}).items())

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def post(self, path, fields: dict):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as response:
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


def everything_raiser(db_url: str, slug: str):
    """A function that raises a unit's counters and all its areas' (core/revisions.py), as the day
    turning or a change of the award catalogue would: every part of its pages is drawn afresh. Plain
    SQL (the counters are microsecond times, so any larger number will do): the app is not imported."""
    unit = "(SELECT id FROM unit WHERE slug = {0})"
    statements = [f"UPDATE {table} SET revision = revision + 1, own_revision = own_revision + 1 "
                  f"WHERE unit_id = {unit}" for table in ("unit_revision", "unit_area_revision")]
    if db_url.startswith("postgresql"):
        import psycopg

        conn = psycopg.connect(db_url.replace("postgresql+psycopg", "postgresql"), autocommit=True)
        return lambda: [conn.execute(sql.format("%s"), (slug,)) for sql in statements]
    import sqlite3

    conn = sqlite3.connect(db_url[len("sqlite:///"):], isolation_level=None)
    return lambda: [conn.execute(sql.format("?"), (slug,)) for sql in statements]


class FormFields(HTMLParser):
    """The fields of the page's form that posts to `action`, with the values the page shows."""

    def __init__(self, action: str):
        super().__init__()
        self.fields, self.action, self._in_form, self._select, self._textarea = {}, action, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and a.get("action") == self.action:
            self._in_form = True
        elif not self._in_form or not a.get("name") and tag != "option":
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file") and (
                a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select and ("selected" in a or not self.fields[self._select]):
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def nomination_editor(client: Client, slug: str, *, moves_year: bool = False):
    """A function that edits a draft nomination through the app's own form, as an officer would, before
    each measured request. By default it rewrites the achievements (a text no figure counts): a row of the
    commune's awards and an entry in its audit trail change, its summary rows stay as they are. With
    `moves_year`, it moves the draft between this year and the year before (or, when no draft's nominee
    may have that title the year before, the year after), so that this year's count of nominations
    changes each time: the summary rows change too, and every part that shows a figure is drawn again.
    The draft is the first the law lets through both ways (a nominee holding the title already, that
    year, is refused by the form; annual titles are often held year after year)."""
    _, body = client.get(f"/u/{slug}/khen-thuong/?state=draft")
    counter = itertools.count()
    this_year = time.localtime().tm_year

    def edit(path, year=None):
        form = FormFields(path)
        form.feed(client.get(path)[1].decode())
        assert "csrf_token" in form.fields and "achievements" in form.fields, form.fields
        changes = {"achievements": f"Thành tích (đo hiệu năng, lần {next(counter)})"}
        if year is not None:
            changes["year"] = str(year)
        status, _ = client.post(path, form.fields | changes)
        assert status == 200, status  # the redirect to the nomination's page, followed

    def year_mover(path, other_year):
        years = itertools.cycle((other_year, this_year))
        return lambda: edit(path, next(years))

    drafts = list(dict.fromkeys(re.findall(rb'/khen-thuong/de-nghi/(\d+)"', body)))
    other_years = (this_year - 1, this_year + 1) if moves_year else (None,)
    for other_year, nomination_id in itertools.product(other_years, drafts):
        path = f"/u/{slug}/khen-thuong/de-nghi/{nomination_id.decode()}/sua"
        try:
            for year in ((other_year, this_year) if moves_year else (None,)):
                edit(path, year)
        except urllib.error.HTTPError as error:
            if error.code != 422:
                raise
            continue
        return year_mover(path, other_year) if moves_year else (lambda: edit(path))
    raise SystemExit(f"{slug}: không có đề nghị dự thảo nào sửa được")


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
    elif args.db.startswith("postgresql"):
        # What autovacuum does between runs (the benchmark's own writes leave dead rows behind), at once:
        # each run starts from the same state, also on a server where autovacuum is off.
        subprocess.run(["psql", args.db.replace("postgresql+psycopg", "postgresql"), "-qc", "VACUUM ANALYZE"],
                       check=True)
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
        supervisor, officer, writer = Client(base), Client(base), Client(base)
        new_day = Client(base, {"X-Benchmark-New-Day": "1"})  # see floor_app.py
        supervisor.login("tinh-mau-quy-mo.noivu")
        officer.login("xa-mau-1.canbo")
        new_day.login("xa-mau-1.canbo")
        writer.login("xa-mau-1.canbo")  # the same officer in another browser: the viewer did not write
        edited = nomination_editor(writer, "xa-mau-1")
        moved = nomination_editor(writer, "xa-mau-1", moves_year=True)
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
            # The first view after a change: before each request, an officer edits a draft nomination
            # through the app's form (untimed). Its text, which no figure and no list shows: the home's
            # recent activity is read and drawn afresh, everything else stays kept. Its year: this year's
            # count of nominations changes, so the home's figures, the list's overview and its table are
            # read again too.
            # The floor after the same change: what the first request after another one costs on this
            # machine with no page work at all (caches of the CPU and of the worker left cold by the write).
            "floor, after a change": (officer, "/account/password", edited),
            "nominations list, after a change": (officer, "/u/xa-mau-1/khen-thuong/", edited),
            "commune home, after a change": (officer, "/u/xa-mau-1/", edited),
            "nominations list, after a figure change": (officer, "/u/xa-mau-1/khen-thuong/", moved),
            "commune home, after a figure change": (officer, "/u/xa-mau-1/", moved),
            # The first visit of a day: every part's key names the day, so all are drawn afresh; the copies
            # of the unit and the user, kept under their counters only, stand.
            "nominations list, first view of a day": (new_day, "/u/xa-mau-1/khen-thuong/"),
            "commune home, first view of a day": (new_day, "/u/xa-mau-1/"),
            # The list's table with an argument of a new value each time (the overview stays kept), and the
            # home with all its counters raised (every part drawn afresh: the day turning, a new catalogue).
            "nominations list, not cached": (officer, lambda i: f"/u/xa-mau-1/khen-thuong/?lan={i + 2}"),
            # Last in each round: the next round's kept pages are drawn again by their warm-up request.
            "commune home, not cached": (officer, "/u/xa-mau-1/", everything_raiser(args.db, "xa-mau-1")),
        }
        results = measure_all(pages, args.requests)
        floor, unit_floor = results["floor (trang đổi mật khẩu)"], results["unit floor (khung trang của xã)"]
        print(f"\n{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'p50/floor':>10} {'p95/floor':>10} "
              f"{'p50/unit floor':>15} {'p95/unit floor':>15}")
        for name, (p50, p95) in results.items():
            print(f"{name:40} {p50:8.1f} {p95:8.1f} {p50 / floor[0]:10.2f} {p95 / floor[1]:10.2f} "
                  f"{p50 / unit_floor[0]:15.2f} {p95 / unit_floor[1]:15.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()

