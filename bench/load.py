"""Load benchmark: Totem under gunicorn with PostgreSQL, driven from loopback.

    make bench-load            # or: .venv/bin/python bench/load.py --seconds 60 --rates 10,20,40

Creates a fresh `totem_bench` database, a 40-task project (2 impacts a task, 2 indicators an
impact, 24 monthly values an indicator) and eight people on it, two in each role, each signed
in through the sign-in page; starts gunicorn on 127.0.0.1 with the project's gunicorn.conf.py,
sharing one Redis cache (an emptied database of the local Redis; `--redis ""` for each
process's own memory) as the README's deployment does; asks for each page once, cold, and
prints how long that took; then, at each rate, sends an open-loop stream of requests (each one
scheduled at a fixed time, its latency measured from then, so a slow server cannot hide its
queue) round the poster, the project page and the chain editor. The ceiling, measured first:
how many requests a second the same server answers for a static file with 16 connections.
Last, the honest ceiling: a closed loop on the home page of a signed-in person with no project,
then on each page, printing each page's share of it (`--capacity-seconds` each).
Prints a table; exits non-zero if any request failed.
Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", 8765
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/15"


def server_env(static_root: str, redis_url: str, database: str = "totem_bench") -> dict:
    env = dict(os.environ)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(
        DATABASE_URL=f"{PG}/{database}",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# The people signed in: the bench lead and one of each of these (two of each role in all).
ROLES = ("contributor", "governor", "viewer", "lead", "contributor", "governor", "viewer")
SEED = (
    f"ROLES = {ROLES!r}\n"
    + """
from django.contrib.auth import get_user_model
from projects import services
from datetime import date
from projects.models import Indicator, Measurement, Membership, Organisation
org = Organisation.objects.create(name="Bench Trust")
user = get_user_model().objects.create_user("bench", password="bench-password-2026")
Membership.objects.create(user=user, organisation=org)
project = services.project_create(user=user, title="Bench: 40-task shared service",
                                  lead_organisation=org, purpose="Load benchmark. " * 20)
for n, role in enumerate(ROLES, start=1):  # and the rest of the team, in every role
    person = get_user_model().objects.create_user(f"bench{n}", password="bench-password-2026")
    Membership.objects.create(user=person, organisation=org)
    services.project_role_set(project=project, user=person, role=role)
for t in range(40):
    task = services.task_create(project=project, title=f"Task {t}: " + "agree the scope " * 4)
    for i in range(2):
        statement = f"Impact {i}: " + "staff paid right " * 5
        impact = services.impact_create(task=task, statement=statement)
        for k in ("leading", "lagging"):
            services.indicator_create(impact=impact, name=f"{k} indicator {t}.{i}", kind=k)
Measurement.objects.bulk_create(  # two years of monthly values for every indicator
    Measurement(project=project, indicator=indicator, date=date(2024 + m // 12, m % 12 + 1, 1),
                value=10 + (m * 7 + indicator.pk) % 5, recorded_by=user)
    for indicator in Indicator.objects.filter(project=project)
    for m in range(24)
)
empty = get_user_model().objects.create_user("bench-empty", password="bench-password-2026")
Membership.objects.create(user=empty, organisation=org)  # signed in, on no project
print(project.pk)
"""
)


def prepare(env, database: str = "totem_bench") -> int:
    for sql in (f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database}"):
        subprocess.run(["psql", PG + "/postgres", "-q", "-c", sql], check=True)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def wait_until_ready(timeout=60):
    """The socket accepts before the workers have booted: wait for a real answer."""
    deadline = time.perf_counter() + timeout
    while Client().get("/health/", None) != 200:
        if time.perf_counter() > deadline:
            raise SystemExit("gunicorn did not answer /health/ in time")
        time.sleep(0.5)


def sign_in(username: str) -> str:
    """The session cookie of one of the bench's people, through the real sign-in page."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"username={username}&password=bench-password-2026&csrfmiddlewaretoken={token}"
    conn.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://{HOST}:{PORT}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302, f"sign-in failed: {response.status}"
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie")).group(1)
    return f"sessionid={session}; csrftoken={csrf_cookie}"


class Client(threading.local):
    """One keep-alive connection per worker thread. The server closes a connection that sat
    idle past its keep-alive time; a request that finds its connection so closed is sent once
    more on a new one (as browsers do), so only real failures count as errors (599)."""

    def get(self, path, cookie):
        for attempt in (1, 2):
            if not hasattr(self, "conn"):
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            reused = getattr(self.conn, "sock", None) is not None
            try:
                self.conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (OSError, http.client.HTTPException):
                self.conn.close()
                del self.conn
                if not (reused and attempt == 1):
                    return 599
        return 599


def open_loop(paths, cookies, rate, seconds):
    client, latencies, errors = Client(), {path: [] for path in paths}, []
    lock = threading.Lock()

    def one(path, cookie, scheduled):
        status = client.get(path, cookie)
        with lock:
            latencies[path].append(time.perf_counter() - scheduled)
            if status != 200:
                errors.append(status)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for n in range(int(rate * seconds)):
            scheduled = start + n / rate
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            pool.submit(one, paths[n % len(paths)], cookies[n % len(cookies)], scheduled)
    elapsed = time.perf_counter() - start
    return sum(map(len, latencies.values())) / elapsed, latencies, errors


def closed_loop(path, connections, seconds, cookie=None):
    client, count, errors = Client(), [0], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < stop:
            status = client.get(path, cookie)
            with lock:
                count[0] += 1
                errors[0] += status != 200

    with ThreadPoolExecutor(max_workers=connections) as pool:
        for _ in range(connections):
            pool.submit(worker)
    return count[0] / seconds, errors[0]


def capacity(names, empty_cookie, cookies, seconds) -> int:
    """The honest ceiling — the home page of a signed-in person with no project, a signed-in
    page that does almost nothing — and each page's requests a second as a share of it, all
    in a closed loop of 16 connections (as `wrk` does), in this one run. Returns the errors."""
    ceiling, errors = closed_loop("/", 16, seconds, empty_cookie)
    print(f"capacity, closed loop of 16 connections, {seconds:.0f} s a page:")
    print(f"  {'signed-in page with nothing on it (ceiling)':<45} {ceiling:>7.1f}/s  1.00")
    for name, path in names.items():
        achieved, page_errors = closed_loop(path, 16, seconds, cookies[0])
        errors += page_errors
        print(f"  {name:<45} {achieved:>7.1f}/s  {achieved / ceiling:.2f} of the ceiling")
    return errors


def percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def main():
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rates", default="10,20,40")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--redis", default=REDIS, help="the shared cache ('' for none)")
    parser.add_argument("--database", default="totem_bench", help="made afresh on local PG")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument(
        "--capacity-seconds", type=float, default=15, help="closed loop per page, for shares"
    )
    args = parser.parse_args()
    PORT = args.port
    static_root = tempfile.mkdtemp(prefix="totem-bench-static-")
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    env = server_env(static_root, args.redis, args.database)
    project = prepare(env, args.database)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "totem.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(args.workers),
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_ready()
        cookies = [sign_in(f"bench{n}" if n else "bench") for n in range(len(ROLES) + 1)]
        paths = [
            f"/projects/{project}/poster/",
            f"/projects/{project}/",
            f"/projects/{project}/chain/",
        ]
        names = dict(zip(("poster", "project page", "chain editor"), paths, strict=True))
        static = "/static/" + next(
            str(p.relative_to(static_root)) for p in Path(static_root, "css").glob("totem.*.css")
        )
        ceiling, static_errors = closed_loop(static, 16, min(args.seconds, 15))
        cache = "a shared Redis cache" if args.redis else "a cache in each process"
        print(
            f"Totem load benchmark: 40-task project, gunicorn {args.workers} workers x 2 "
            f"threads, PostgreSQL, {cache}, {len(cookies)} people signed in (two in each "
            f"role), {args.seconds:.0f} s per rate, 2 cores shared with the load generator"
        )
        cold = []
        for name, path in names.items():
            started = time.perf_counter()
            assert Client().get(path, cookies[0]) == 200, path
            cold.append(f"{name} {1000 * (time.perf_counter() - started):.0f} ms")
        print("first request for each page (nothing drawn yet): " + ", ".join(cold))
        print(
            f"{'target/s':>9} {'achieved/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'errors':>6} {'of static':>9}"
        )
        failed = static_errors
        by_page = []
        for rate in [float(r) for r in args.rates.split(",")]:
            achieved, by_path, errors = open_loop(paths, cookies, rate, args.seconds)
            latencies = [latency for path in paths for latency in by_path[path]]
            by_page.append(
                f"{rate:>9.0f}  "
                + ", ".join(
                    f"{name} {percentile(by_path[path], 50):.0f} / "
                    f"{percentile(by_path[path], 95):.0f}"
                    for name, path in names.items()
                )
            )
            failed += len(errors)
            print(
                f"{rate:>9.0f} {achieved:>10.1f} {percentile(latencies, 50):>8.1f} "
                f"{percentile(latencies, 95):>8.1f} {percentile(latencies, 99):>8.1f} "
                f"{len(errors):>6} {achieved / ceiling:>8.1%}"
                + (f"  statuses: {dict(Counter(errors))}" if errors else "")
            )
        print("p50 / p95 ms by page:")
        print("\n".join(by_page))
        print(f"static-file ceiling: {ceiling:.0f} requests/s ({static_errors} errors), {static}")
        failed += capacity(names, sign_in("bench-empty"), cookies, args.capacity_seconds)
        return 1 if failed else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
