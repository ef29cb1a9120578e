"""The portfolio dashboard in real Chromium: a governor filters to the projects that need
attention and opens one. Screenshots at 1280 and 390 px go to /tmp/shots-<branch>/."""

import os
from pathlib import Path

import pytest

from projects.models import ProjectRole
from projects.tests.factories import MembershipFactory, ProjectFactory, ProjectRoleFactory

from .test_dashboard import contradicting_objective

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-i16"))


def test_a_governor_filters_to_needs_attention_and_opens_a_project(
    page, live_server, signed_in, project, axe_check
):
    governor = MembershipFactory(organisation=project.lead_organisation).user
    ProjectRoleFactory(project=project, user=governor, role=ProjectRole.Role.GOVERNOR)
    project.title = "Payroll shared service"
    project.save()
    contradicting_objective(project)
    calm = ProjectFactory(title="Estates review", lead_organisation=project.lead_organisation)
    ProjectRoleFactory(project=calm, user=governor, role=ProjectRole.Role.GOVERNOR)

    signed_in(page, live_server, governor)
    page.goto(f"{live_server.url}/portfolio/")
    rows = page.locator("tr.portfolio-row")
    assert rows.count() == 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard-1280.png"), full_page=True)
    axe_check(page)

    page.get_by_label("Needs attention only").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**attention=on**")
    assert rows.count() == 1
    row = rows.first
    assert "Needs attention" in row.inner_text()
    assert "1 objective off track" in row.inner_text()
    assert "Estates review" not in page.content()

    page.set_viewport_size({"width": 390, "height": 844})
    # The table scrolls inside its box; the page itself never scrolls sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "dashboard-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    row.get_by_role("link", name="Payroll shared service").click()
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    assert page.get_by_role("heading", name="Payroll shared service").first.is_visible()
