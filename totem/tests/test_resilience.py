"""When a part fails: readiness says so, a failing Redis is skipped (pages uncached, sessions
kept), and a database that cannot be reached gets a 503 "try again in a moment" page.

Redis here is the test's own `redis-server` on a free port (never the shared one); a hung Redis
is a socket that accepts and never answers; an unreachable database is a real PostgreSQL
connection to a port where nothing listens.
"""

import logging
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

import dj_database_url
import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client

from projects.models import ProjectRole

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
UNAVAILABLE = "Totem is briefly unavailable — nothing you sent was saved; try again in a moment."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """The test's own redis-server, without persistence: a restart forgets everything."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/13"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class HungServer:
    """Accepts connections and never answers (a Redis that hangs)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                return

    def close(self):
        self.socket.close()
        for held in self.held:
            held.close()


def use_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "totem.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def redis_server(settings):
    server = RedisServer()
    server.start()
    use_redis(settings, server.url)
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def hung_redis(settings):
    server = HungServer()
    use_redis(settings, f"redis://127.0.0.1:{server.port}/13")
    yield server
    server.close()


@contextmanager
def database_unreachable():
    """The default database, for this thread, is a PostgreSQL server that is not there."""
    config = dj_database_url.parse(f"postgres://postgres@127.0.0.1:{free_port()}/totem_gone")
    config["OPTIONS"] = {"connect_timeout": 1}
    config = connections.configure_settings({"default": config})["default"]
    broken = load_backend(config["ENGINE"]).DatabaseWrapper(config, "default")
    real = connections["default"]
    connections["default"] = broken
    try:
        yield
    finally:
        connections["default"] = real
        broken.close()


@pytest.fixture
def signed_in(project, member_of, chain):
    client = Client(raise_request_exception=False)  # as a real server: errors become pages
    client.force_login(member_of(ProjectRole.Role.LEAD))
    return client


# --- health ----------------------------------------------------------------------------------


def test_ready_when_database_and_cache_answer(client, redis_server, db):
    for url in ("/health/ready", "/health/"):
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["status"], body["database"], body["cache"]) == ("ok", "ok", "ok")
        assert "oldest_queued_job_seconds" in body["jobs"] and "heartbeats" in body["jobs"]


def test_not_ready_when_the_database_is_unreachable_but_alive(db):
    client = Client(raise_request_exception=False)
    with database_unreachable():
        started = time.monotonic()
        response = client.get("/health/ready")
        assert time.monotonic() - started < 3
        assert client.get("/health/live").status_code == 200
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_not_ready_when_redis_refuses(client, redis_server, db):
    redis_server.stop()
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() | {"jobs": None} == {
        "status": "unavailable", "database": "ok", "cache": "unreachable", "jobs": None
    }  # fmt: skip


def test_not_ready_soon_when_redis_hangs(client, hung_redis, db):
    started = time.monotonic()
    response = client.get("/health/ready")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503 and response.json()["cache"] == "unreachable"


# --- a failing cache is skipped; sessions survive ----------------------------------------------


def test_pages_are_served_uncached_while_redis_is_down(signed_in, project, redis_server, caplog):
    assert signed_in.get(f"/projects/{project.pk}/poster/").status_code == 200  # cached now
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="totem.cache"):
        for page in ("poster/", "chain/", ""):
            response = signed_in.get(f"/projects/{project.pk}/{page}")
            assert response.status_code == 200
            assert "Produce outcome scenarios" in response.content.decode()
    assert "cache unavailable" in caplog.text


def test_a_session_is_kept_across_a_redis_restart(signed_in, redis_server, settings):
    assert signed_in.get("/").status_code == 200
    redis_server.stop()
    assert signed_in.get("/").status_code == 200  # during the outage: from the database
    redis_server.start()  # empty: it kept nothing
    settings.CACHE_RETRY_SECONDS = 0  # ask the new Redis at once
    response = signed_in.get("/")
    assert response.status_code == 200 and "Sign out" in response.content.decode()


def test_a_hung_redis_does_not_hold_a_request_for_long(signed_in, project, hung_redis):
    for page in ("/", f"/projects/{project.pk}/poster/", f"/projects/{project.pk}/poster/"):
        started = time.monotonic()
        response = signed_in.get(page)
        assert response.status_code == 200
        assert time.monotonic() - started < 1.0  # one short timeout, then the cache is skipped


# --- the database briefly unavailable ----------------------------------------------------------


def test_a_page_says_totem_is_briefly_unavailable(signed_in, project):
    with database_unreachable():
        page = signed_in.get(f"/projects/{project.pk}/chain/")
        post = signed_in.post(f"/projects/{project.pk}/tasks/new/", {"title": "Lost?"})
    for response in (page, post):
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert UNAVAILABLE in response.content.decode()
        assert "<html" in response.content.decode()


def test_an_htmx_request_gets_the_message_where_messages_go(signed_in, project):
    with database_unreachable():
        response = signed_in.get(f"/projects/{project.pk}/chain/", HTTP_HX_REQUEST="true")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#messages", "outerHTML")
    body = response.content.decode()
    assert UNAVAILABLE in body and "<html" not in body and 'id="messages"' in body
