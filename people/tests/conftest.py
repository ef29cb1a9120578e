"""A real OpenID Connect provider on loopback (npm `oidc-provider` under Node.js), for the
single sign-on tests. `.ci/run` installs its node_modules with `npm ci`."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_SECRET = "test-secret-for-loopback-provider-only"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """The issuer URL of a provider that sends people back to `live_server`'s callback."""
    if not shutil.which("node"):
        pytest.skip("Node.js is missing: the single sign-on tests need it for oidc-provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        pytest.fail(f"Run `npm ci` in {PROVIDER_DIR} (.ci/run does) to install oidc-provider")
    port = _free_port()
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
