"""Every page of the permission matrix that a signed-in lead can open, checked the way the
public-sector accessibility duties ask: axe-core finds no serious or critical violation at
1280 and at 390 pixels, and the Nu HTML Checker finds no error but htmx's own attributes.

One browser session walks the pages; the checker runs once over all the HTML collected.
The checker is the `vnu-jar` npm package run with Java (.ci/run installs it into var/vnu); the
HTML half is skipped, saying so, where it or Java is missing.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from totem.tests.test_permissions import RULES, expected, world  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR",
        Path(__file__).resolve().parents[2] / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    )
)
WIDTHS = (1280, 390)


def lead_pages(urls):
    """(name, url) of every GET page of the matrix the lead may open."""
    for name, (rule, methods) in sorted(RULES.items()):
        if "GET" in methods and "#" not in name and 200 in expected(rule, "lead"):
            yield name, urls[name]


def validate_html(folder: Path) -> list[str]:
    """The Nu HTML Checker's errors on every file in `folder`, htmx attributes left out."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" and "“hx-" not in m["message"]
    ]


def test_every_lead_page_passes_axe_at_both_widths_and_is_valid_html(
    live_server, shipped_templates, new_page, signed_in, axe_check, world, tmp_path  # noqa: F811
):
    users, urls = world
    page = new_page()
    signed_in(page, live_server, users["lead"])
    violations, checked = [], []
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    for name, url in lead_pages(urls):
        response = page.request.get(live_server.url + url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue  # a download: a PDF, a spreadsheet, JSON
        served = response.text()
        if "<html" not in served[:500]:
            continue  # an htmx fragment, checked inside its page
        (html_dir / f"{name.replace(':', '_')}.html").write_text(served)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + url)
            violations += [f"{name} @{width}px: {v}" for v in axe_check(page)]
            overflow = page.evaluate("document.documentElement.scrollWidth") - width
            if overflow > 1:  # the page itself scrolls sideways (a table may, in its box)
                violations.append(f"{name} @{width}px: the page is {overflow}px too wide")
        checked.append(name)
    assert len(checked) > 30, checked
    html_errors = validate_html(html_dir) if VNU_JAR.exists() and shutil.which("java") else None
    print("\n".join(violations + (html_errors or [])))
    assert violations == []
    if html_errors is None:
        pytest.skip(f"axe passed; the HTML checker needs Java and {VNU_JAR} (see .ci/run)")
    assert html_errors == []
