"""Step the locust mix up through levels of simulated users against a running gunicorn and report,
per level: requests per second held, errors, p50/p95 by group, and where the CPU went (gunicorn,
PostgreSQL, locust), so the ceiling and what fails first beyond it can be read off one table.

    .venv/bin/python benchmarks/load/steps.py --host http://127.0.0.1:8077 --communes 3321 --levels 50 100 200

Targets (issue "Production-ready"): p95 under 200 ms for pages, 300 ms for dashboards, 0 errors.
"""
from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent.parent
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
TARGET_MS = {"page": 200, "public": 200, "dashboard": 300}
PASSWORD = "ThiDua@2021"


def _log_in(host: str, username: str) -> tuple[str, float]:
    """A signed-in session's Cookie header, and how long the log-in took (ms)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(host + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
    started = time.perf_counter()
    opener.open(host + "/login", data=data, timeout=30).read()
    elapsed = (time.perf_counter() - started) * 1000
    return "; ".join(f"{c.name}={c.value}" for c in jar), elapsed


def open_sessions(host: str, communes: int, officers: int, province: str, path: Path) -> list[float]:
    """Sign in `officers` officers of random communes and the supervisor, one after another."""
    rng = random.Random(2021)
    slugs = sorted({f"xa-mau-{rng.randint(1, communes)}" for _ in range(officers)})
    timings, sessions = [], {"officers": {}, "supervisor": ""}
    for slug in slugs:
        sessions["officers"][slug], ms = _log_in(host, f"{slug}.canbo")
        timings.append(ms)
    sessions["supervisor"], ms = _log_in(host, f"{province}.noivu")
    timings.append(ms)
    path.write_text(json.dumps(sessions), encoding="utf-8")
    return timings


def _group(name: str) -> str:
    return name.split(":")[0] if ":" in name else "login"


def _process_class(proc: psutil.Process) -> str | None:
    try:
        name, cmd = proc.name(), " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    if "gunicorn" in cmd:
        return "gunicorn"
    if name.startswith("postgres") or "postgres:" in cmd:
        return "postgres"
    if "locust" in cmd:
        return "locust"
    return None


def _cpu_times() -> dict[int, tuple[str, float]]:
    out: dict[int, tuple[str, float]] = {}
    for proc in psutil.process_iter():
        kind = _process_class(proc)
        if kind:
            try:
                t = proc.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            out[proc.pid] = (kind, t.user + t.system)
    return out


def _cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds used between two readings, by kind (processes started in between count whole)."""
    used: dict[str, float] = {}
    for pid, (kind, seconds) in after.items():
        used[kind] = used.get(kind, 0.0) + seconds - before.get(pid, (kind, 0.0))[1]
    return used


def run_level(host: str, users: int, seconds: int, communes: int, out_dir: Path, sessions: Path) -> dict:
    prefix = out_dir / f"level_{users}"
    spawn_rate = max(10, users // 10)
    env = dict(os.environ, LOAD_COMMUNES=str(communes), LOAD_SESSIONS=str(sessions))
    cmd = [LOCUST, "-f", str(ROOT / "benchmarks/load/locustfile.py"), "--headless", "--host", host,
           "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds + users // spawn_rate + 4}s",
           "--reset-stats", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(users / spawn_rate + 2)  # the ramp-up (logins) is not measured: --reset-stats
    cpu_before, wall_before = _cpu_times(), time.monotonic()
    busy_before = psutil.cpu_times()
    time.sleep(seconds - 1)  # the measured window; locust stops by itself a few seconds later (its
    # CPU is read while it still runs)
    wall = time.monotonic() - wall_before
    cpu_after, busy_after = _cpu_times(), psutil.cpu_times()
    _, err = proc.communicate()
    idle = (busy_after.idle - busy_before.idle) / (wall * psutil.cpu_count())
    used = _cpu_used(cpu_before, cpu_after)
    cpu = {k: used.get(k, 0.0) / wall for k in ("gunicorn", "postgres", "locust")}
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    return {"users": users, "rows": rows, "cpu": cpu, "idle": max(0.0, idle), "stderr": err[-2000:]}


def _print_level(result: dict) -> tuple[bool, list[str]]:
    agg = next(r for r in result["rows"] if r["Name"] == "Aggregated")
    rps, failures = float(agg["Requests/s"]), int(agg["Failure Count"])
    misses = []
    print(f"\n== {result['users']} người dùng: {rps:.1f} req/s, {agg['Request Count']} yêu cầu, "
          f"{failures} lỗi; CPU (lõi): gunicorn {result['cpu']['gunicorn']:.2f}, postgres "
          f"{result['cpu']['postgres']:.2f}, locust {result['cpu']['locust']:.2f}; máy rảnh {result['idle']:.0%}")
    print(f"   {'group':42} {'n':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'fail':>5}")
    for r in result["rows"]:
        if r["Name"] == "Aggregated":
            continue
        group = _group(r["Name"])
        p95 = float(r["95%"] or 0)
        limit = TARGET_MS.get(group)
        flag = ""
        if limit and p95 > limit:
            flag = f"  > {limit} ms"
            misses.append(f"{r['Name']} p95 {p95:.0f} ms")
        if int(r["Failure Count"]):
            misses.append(f"{r['Name']}: {r['Failure Count']} lỗi")
        print(f"   {r['Name']:42} {r['Request Count']:>7} {float(r['50%'] or 0):6.0f} {p95:6.0f} "
              f"{float(r['99%'] or 0):6.0f} {r['Failure Count']:>5}{flag}")
    return not misses and failures == 0, misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="http://127.0.0.1:8077")
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--levels", type=int, nargs="+", default=[50, 100, 200, 300])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--out", default="/tmp/thiduaweb-load")
    parser.add_argument("--officers", type=int, default=40, help="sessions opened before the run")
    parser.add_argument("--province", default="tinh-mau-quy-mo")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sessions = out / "sessions.json"
    logins = sorted(open_sessions(args.host, args.communes, args.officers, args.province, sessions))
    print(f"Đăng nhập trước {len(logins)} phiên (Argon2id, lần lượt): trung vị {statistics.median(logins):.0f} ms, "
          f"lớn nhất {logins[-1]:.0f} ms")
    held = None
    for users in args.levels:
        result = run_level(args.host, users, args.seconds, args.communes, out, sessions)
        ok, misses = _print_level(result)
        agg = next(r for r in result["rows"] if r["Name"] == "Aggregated")
        if ok:
            held = (users, float(agg["Requests/s"]))
        else:
            print(f"   → vượt mục tiêu: {'; '.join(misses)}")
    if held:
        print(f"\nGiữ được: {held[1]:.1f} req/s ({held[0]} người dùng) với p95 trong mục tiêu và 0 lỗi.")
    else:
        print("\nKhông mức nào giữ được mục tiêu.")
    sys.exit(0)


if __name__ == "__main__":
    main()
