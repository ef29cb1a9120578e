"""In real Chromium: a lead enters a month of figures and sees the chart change; the pages pass
axe-core. Fixtures (`page`, `signed_in`, `axe_check`) are in the top-level conftest.py."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from projects.models import Measurement

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_lead_enters_a_month_of_figures_and_sees_the_chart_change(
    page, live_server, signed_in, axe_check, project, chain, lead
):
    _, _, indicator = chain
    indicator.unit = "%"
    indicator.frequency = "monthly"
    indicator.target_value = Decimal("15")
    indicator.save()
    for month, value in enumerate([10, 12, 10, 12, 10], start=1):
        Measurement.objects.create(
            project=project, indicator=indicator, date=date(2026, month, 1), value=value
        )
    signed_in(page, live_server, lead)
    chart_url = f"{live_server.url}/projects/{project.pk}/indicators/{indicator.pk}/"

    page.goto(chart_url)
    chart = page.get_by_role("img", name=f"Run chart of {indicator.name}")
    assert chart.locator("circle.spc-point").count() == 5
    assert chart.locator("line.spc-line-upper").count() == 0
    assert "There are only 5 points" in page.locator("#spc-summary").inner_text()
    assert axe_check(page) == []

    page.get_by_role("navigation", name="Project").get_by_role("link", name="Indicators").click()
    page.get_by_role("link", name="Enter this month's figures").click()
    page.get_by_label("Period (for monthly figures, the 1st)").fill("2026-06-01")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Figures for June 2026").wait_for()
    assert axe_check(page) == []
    page.get_by_label(f"Value for {indicator.name}").fill("11")
    page.get_by_label(f"Note for {indicator.name}").fill("First month of the shared team")
    page.get_by_role("button", name="Save these figures").click()
    page.get_by_role("status").filter(has_text="Saved 1 value for June 2026").wait_for()

    page.goto(chart_url)
    chart = page.get_by_role("img", name=f"XmR chart of {indicator.name}")
    assert chart.locator("circle.spc-point").count() == 6
    assert chart.locator("line.spc-line-upper").count() == 1
    assert chart.locator("line.spc-line-mean").count() == 1
    assert chart.locator("text.spc-note-marker").text_content() == "1"
    summary = page.locator("#spc-summary").inner_text()
    assert summary.startswith("XmR chart of 6 points")
    assert "First month of the shared team" in page.locator(".spc-annotations").inner_text()
    assert Measurement.objects.get(date=date(2026, 6, 1)).recorded_by == lead
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "indicator-chart.png", full_page=True)


def test_the_coloured_poster_and_the_lists_are_accessible(
    page, live_server, signed_in, axe_check, project, chain, lead
):
    _, _, indicator = chain
    for month, value in enumerate([10, 12, 10, 12, 10, 12, 30], start=1):
        Measurement.objects.create(
            project=project, indicator=indicator, date=date(2026, month, 1), value=value
        )
    signed_in(page, live_server, lead)
    for path in ("poster/?colour=status", "indicators/", "objectives/", "baseline/", "chain/"):
        page.goto(f"{live_server.url}/projects/{project.pk}/{path}")
        assert axe_check(page) == [], path
    page.goto(f"{live_server.url}/projects/{project.pk}/poster/?colour=status")
    icon = page.get_by_role("img", name="Special cause variation: improvement (higher values)")
    assert icon.count() == 1
    assert page.locator(".poster-state-improving").count() >= 1
