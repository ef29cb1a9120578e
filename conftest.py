import os
import weakref
from contextlib import contextmanager
from pathlib import Path

import pytest

from projects.models import ProjectRole
from projects.tests.factories import (
    ImpactFactory,
    IndicatorFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    TaskFactory,
    UserFactory,
)

ROLES = [role.value for role in ProjectRole.Role]


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def member_of(project):
    """member_of(role) -> a user holding `role` on `project` (and in its lead organisation)."""

    def make(role, project=project):
        user = UserFactory()
        MembershipFactory(user=user, organisation=project.lead_organisation)
        ProjectRoleFactory(project=project, user=user, role=role)
        return user

    return make


@pytest.fixture
def lead(member_of):
    return member_of(ProjectRole.Role.LEAD)


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def chain(project):
    """One task → one impact → one leading indicator in `project`."""
    task = TaskFactory(project=project, title="Produce outcome scenarios")
    impact = ImpactFactory(task=task, statement="The readiness and commitment to proceed")
    indicator = IndicatorFactory(impact=impact, name="Scenarios with a clear statement")
    return task, impact, indicator


@pytest.fixture
def shipped_templates(db):
    """The readiness checklist and framework that the data migrations ship, put back when a
    browser test before (transactional: it empties the database) took them away."""
    import importlib

    from django.apps import apps

    from assessments.models import ChecklistTemplate

    if not ChecklistTemplate.objects.exists():
        for name in ("0002_shipped_templates", "0003_readiness_ics_wording"):
            importlib.import_module(f"assessments.migrations.{name}").install(apps, None)


def build_chain(project, *, tasks, impacts_per_task=1, indicators_per_impact=2):
    for t in range(tasks):
        task = TaskFactory(project=project, title=f"Task {t} " + "with a long title " * 5)
        for _ in range(impacts_per_task):
            impact = ImpactFactory(task=task)
            for _ in range(indicators_per_impact):
                IndicatorFactory(impact=impact)


# --- Browser tests: real Chromium through Playwright ---------------------------------------
# One browser per test session (launching costs a second); a fresh context per test so no
# cookies or storage leak between tests. Tests using these take `live_server`, which makes
# them transactional.

CHROMIUM = Path("/usr/bin/chromium")
AXE_CORE = Path(__file__).parent / "totem" / "tests" / "assets" / "axe-core-4.14.1.min.js"
SCRIPTLESS_PAGES = weakref.WeakSet()  # from new_page(java_script_enabled=False)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which trips
    # Django's async-unsafe guard on every ORM call made by the tests themselves.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """new_page(**context_options) -> a page in its own context, closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if options.get("java_script_enabled") is False:
            SCRIPTLESS_PAGES.add(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def signed_in():
    """signed_in(page, live_server, user) signs in through the real sign-in page."""

    def sign_in(page, live_server, user, password="correct-horse-battery"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in


@contextmanager
def _page_axe_can_run_in(page):
    """`page`, or for a page opened with JavaScript off, a copy of it that axe-core can run in.

    axe.run waits on timers, which never fire with JavaScript off. The copy is the page's
    current DOM served at its URL, with a CSP that keeps the page's own scripts from running.
    """
    if page not in SCRIPTLESS_PAGES:
        yield page
        return
    html, url = page.content(), page.url
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        headers = {"Content-Type": "text/html; charset=utf-8"}
        headers["Content-Security-Policy"] = "script-src 'none'"
        copy.route(lambda address: address == url, lambda r: r.fulfill(body=html, headers=headers))
        copy.goto(url)
        yield copy
    finally:
        context.close()


@pytest.fixture
def axe_check():
    """axe_check(page) -> the serious and critical axe-core violations, one readable line each.

    `assert axe_check(page) == []` then names the rule, what it asks and where it failed.
    """

    def check(page):
        with _page_axe_can_run_in(page) as checked:
            # Not page.add_script_tag: that inserts an inline <script>, which the site's CSP
            # (script-src 'self') rightly blocks. Playwright's evaluate runs outside the CSP.
            checked.evaluate(AXE_CORE.read_text())
            checked.evaluate(
                "() => { window.totemAxe = null; axe.run(document, {resultTypes: ['violations']})"
                ".then((results) => { window.totemAxe = results.violations; }); }"
            )
            # evaluate() has no timeout of its own; this wait has the context's default.
            violations = checked.wait_for_function("() => window.totemAxe").json_value()
        return [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}"
            f" — first at {v['nodes'][0]['target']} on {page.url}"
            for v in violations
            if v["impact"] in {"serious", "critical"}
        ]

    return check
