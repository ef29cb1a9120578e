"""People tests' peers on loopback: a real SMTP server (aiosmtpd) and a real OpenID Connect
provider (npm `oidc-provider` under Node.js; `.ci/run` installs its node_modules with `npm ci`)."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests


class Inbox:
    """What a real SMTP server (aiosmtpd, on loopback) received: one entry per message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes

        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """smtp_server.start() / .stop(): a real SMTP server on a free loopback port, which Django's
    SMTP backend is pointed at (it starts stopped, like a mail server that is down)."""
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5

    class Server:
        inbox = Inbox()
        controller = None

        def start(self):
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            if self.controller:
                self.controller.stop()
                self.controller = None

    server = Server()
    yield server
    server.stop()


@pytest.fixture
def link_in():
    """link_in(message) -> the path of the action link in the plain text of an outbox message
    (queued) or of an email as delivered."""
    import re

    from django.conf import settings

    def find(message):
        text = message.body_text if hasattr(message, "body_text") else message.body
        match = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", text)
        assert match, text
        return match.group(1)

    return find


@pytest.fixture
def guest():
    """A second browser, signed in as nobody (`client` is the lead's in lead_client tests)."""
    from django.test import Client

    return Client()
PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_SECRET = "test-secret-for-loopback-provider-only"


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """The issuer URL of a provider that sends people back to `live_server`'s callback."""
    if not shutil.which("node"):
        pytest.skip("Node.js is missing: the single sign-on tests need it for oidc-provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        pytest.fail(f"Run `npm ci` in {PROVIDER_DIR} (.ci/run does) to install oidc-provider")
    port = free_port()
    process = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=PROVIDER_DIR,
        env={"PATH": "/usr/bin:/usr/local/bin:/bin", "PORT": str(port),
             "REDIRECT_URI": f"{live_server.url}/sso/callback/"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the OpenID provider did not start: {process.stdout.read()}")
            time.sleep(0.1)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso_settings(settings, oidc_provider):
    """Single sign-on switched on against the loopback provider, as a trust would set it."""
    settings.OIDC_ISSUER = oidc_provider
    settings.OIDC_RP_CLIENT_ID = "totem"
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "NHSmail"
    settings.OIDC_BUTTON_LABEL = "Sign in with NHSmail"
    settings.AXES_ENABLED = True  # as in production: django-axes sees every sign-in
    return settings


@pytest.fixture
def sso_sign_in():
    """sso_sign_in(page, live_server, login) -> goes from Totem's sign-in page through the
    provider's own login form and back; returns the page where Totem landed. With login=None
    the provider still knows the browser and sends it straight back."""

    def sign_in(page, live_server, login):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name="Sign in with NHSmail").click()
        if login:
            page.locator("input[name=login]").fill(login)
            page.locator("input[name=password]").fill("any password: the provider is a test one")
            page.locator("button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/**")
        page.wait_for_load_state()
        return page

    return sign_in
