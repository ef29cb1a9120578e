"""The docs page renders the schema with Swagger UI from Totem's own static files, under the
site's Content-Security-Policy: no CDN, no blocked script or style."""

import os

import pytest

pytestmark = pytest.mark.browser


def test_the_docs_page_works_under_the_sites_csp(page, live_server, tmp_path):
    blocked, outside = [], []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("Tidy feed: one row per indicator per period").first.wait_for()
    assert page.get_by_text("Push a batch of measurements").count() == 1
    shots = os.environ.get("SHOTS_DIR")
    if shots:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{shots}/api-docs-{width}.png", full_page=False)
    assert not blocked, blocked
    assert not outside, outside


def test_a_token_is_made_shown_once_and_used(page, live_server, signed_in, lead, axe_check):
    """From the user menu to a working token, as an analyst does it."""
    signed_in(page, live_server, lead)
    page.locator("a[title=\"Your account\"]").click()
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Power BI feed")
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Make token").click()
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("totem_")
    shots = os.environ.get("SHOTS_DIR")
    if shots:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{shots}/tokens-{width}.png", full_page=True)
    assert axe_check(page) == []
    response = page.request.get(
        f"{live_server.url}/api/v1/projects/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status == 200 and response.json()["count"] == 1
    page.goto(f"{live_server.url}/account/tokens/")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke Power BI feed").click()
    assert page.get_by_text("is revoked").is_visible()
    response = page.request.get(
        f"{live_server.url}/api/v1/projects/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status == 401
