"""The PDFs themselves: what a governor reads, checked as text with pypdf.

WeasyPrint is slow, so the packs are rendered once per module and shared by the tests that read
them; the data they were made from is rolled back when they have been made.
"""

import datetime
import io
from decimal import Decimal

import pypdf
import pytest
from django.db import transaction
from django.test import override_settings

from projects.models import (
    BaselineEntry,
    Comment,
    DesignPrinciple,
    Measurement,
    Objective,
    ProjectRole,
    Risk,
    Scenario,
)
from projects.tests.factories import (
    ImpactFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    TaskFactory,
    UserFactory,
)
from totem.models import Decision, Pack
from totem.packs import poster as poster_module
from totem.packs import services
from totem.packs.record import ProjectRecord

pytestmark = pytest.mark.slow

A3_LANDSCAPE = (1190.55, 841.89)  # points


def hostile(listener, limit=None):
    """Markup that would load a file, attach one and call the network, were it ever markup."""
    text = (
        f'<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd"> '
        f"<style>*{{background:url({listener.url}/css)}}</style>"
        f'<p style="background:url({listener.url}/inline)">x</p>'
    )
    return text[:limit] if limit else text


def text_of(pdf: bytes) -> tuple[list[str], pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages], reader


def flat(text: str) -> str:
    """Text as extracted, with line breaks and hyphenation-free wrapping undone."""
    return " ".join(text.split())


def _month(number: int) -> datetime.date:
    return datetime.date(2025 + number // 12, number % 12 + 1, 1)


def submitted_round(organisation, name, day, position, user=None, partners=()):
    """A submitted round of the shipped framework with every question at `position(number)`."""
    from assessments import services as assessment_services
    from assessments.models import Answer, Framework

    framework = Framework.objects.filter(status="published").order_by("pk").first()
    levels = {level.position: level for level in framework.levels.all()}
    assessment = assessment_services.assessment_open(
        organisation=organisation, framework=framework, name=name, assessed_on=day, user=user
    )
    for answer in Answer.objects.filter(assessment=assessment).select_related("question"):
        answer.level = levels[position(answer.question.number)]
        answer.save()
    assessment = assessment_services.assessment_submit(assessment=assessment, user=user)
    if partners:
        assessment_services.assessment_share_set(
            assessment=assessment, partners=partners, user=user
        )
    return assessment


def _readiness(project, listener):
    from assessments import defaults
    from assessments import services as assessment_services

    # Not a query for the migration's row: a live_server test earlier in the run flushes it.
    template = defaults.ensure_installed()[0]
    checklist = assessment_services.checklist_start(
        project=project, template=template, title="Gateway " + hostile(listener, 150), user=None
    )
    first = checklist.responses.order_by("item__position").first()
    first.answer, first.evidence, first.owner = "yes", "Evidence " + hostile(listener), "SRO"
    first.save()


def _full_project(listener):
    """A project with every user-written field full of hostile markup."""
    h = hostile(listener)
    organisation = OrganisationFactory(name=hostile(listener, 200))
    lead = UserFactory(first_name="Lena", last_name=hostile(listener, 150))
    governor = UserFactory(first_name="Graham", last_name="Price")
    for user in (lead, governor):
        MembershipFactory(user=user, organisation=organisation)
    project = ProjectFactory(
        title="Payroll " + hostile(listener, 180),
        purpose="Purpose: " + h,
        scope="Scope: " + h,
        lead_organisation=organisation,
        stage="design",
    )
    ProjectRoleFactory(project=project, user=lead, role=ProjectRole.Role.LEAD)
    ProjectRoleFactory(project=project, user=governor, role=ProjectRole.Role.GOVERNOR)
    task = TaskFactory(
        project=project, title="Task " + hostile(listener, 290), description=h,
        owner=hostile(listener, 200),
    )
    TaskFactory(project=project, title="Produce an implementation plan")
    impact = ImpactFactory(task=task, statement="Impact " + h)
    indicator = IndicatorFactory(
        impact=impact, name="Indicator " + hostile(listener, 280), unit=hostile(listener, 40),
        source=hostile(listener, 300), owner=hostile(listener, 200), definition=h,
        baseline_value=Decimal("4.8"), target_value=Decimal("3.6"), direction="down",
    )
    Measurement.objects.bulk_create(
        Measurement(project=project, indicator=indicator, date=_month(i),
                    value=Decimal("4.8") - Decimal(i) / 20, note=h)
        for i in range(14)
    )
    Objective.objects.create(
        project=project, statement="Objective " + h, indicator=indicator,
        baseline_value=Decimal("4.8"), baseline_date=_month(0), target_value=Decimal("3.6"),
        deadline=datetime.date(2099, 1, 1),
    )
    DesignPrinciple.objects.create(
        project=project, statement="Principle " + h, rationale=h, agreed_by=hostile(listener, 300)
    )
    Scenario.objects.create(
        project=project, title="Scenario " + hostile(listener, 280), description=h,
        expected_outcomes=h, reasons=h, likelihood=70, chosen_by=hostile(listener, 300),
    )
    BaselineEntry.objects.create(
        project=project, function="Function " + hostile(listener, 180),
        organisation=hostile(listener, 200), volumes=h, performance=h, operating_model=h,
        source=hostile(listener, 300), budget=Decimal("1240000"), wte=Decimal("28.4"),
    )
    Risk.objects.create(
        project=project, title="Risk " + hostile(listener, 280), description=h,
        owner=hostile(listener, 200), mitigation=h, likelihood=4, impact=5,
    )
    Comment.objects.create(project=project, author=governor, body="Comment " + h)
    Comment.objects.create(project=project, author=governor, impact=impact, body="On impact")
    _readiness(project, listener)
    submitted_round(organisation, "Baseline round", datetime.date(2025, 3, 1), lambda n: 1)
    submitted_round(organisation, "Spring round", datetime.date(2026, 3, 1),
                    lambda n: 2 if n % 2 else 1)
    return project, lead, governor


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, listener, tmp_path_factory):
    """The governors' pack (with a decision on an earlier version), the poster and the
    portfolio of a project full of hostile text, rendered once."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        project, lead, governor = _full_project(listener)
        first = services.pack_request(
            kind=Pack.Kind.PROJECT, project=project, user=governor, render_now=True
        )
        services.decision_record(
            project=project, pack=first, user=governor, outcome="approved_with_conditions",
            conditions="Conditions " + hostile(listener), decided_on=datetime.date(2026, 6, 12),
            decided_by=hostile(listener, 300),
        )
        packs = {
            "pack": services.pack_request(
                kind=Pack.Kind.PROJECT, project=project, user=governor, render_now=True
            ),
            "poster": services.pack_request(
                kind=Pack.Kind.POSTER, project=project, user=governor, render_now=True
            ),
            "portfolio": services.pack_request(
                kind=Pack.Kind.PORTFOLIO, organisation=project.lead_organisation, user=governor,
                render_now=True,
            ),
        }
        result = {}
        for name, pack in packs.items():
            assert pack.is_ready, pack.error
            with pack.file.open("rb") as stored:
                result[name] = stored.read()
        result["version"] = packs["pack"].version
        transaction.set_rollback(True)
    return result


def test_the_pack_has_a_cover_contents_and_every_section_in_order(rendered):
    pages, _ = text_of(rendered["pack"])
    lines = [line.strip() for page in pages[2:] for line in page.splitlines()]
    assert "Governors' pack" in pages[0] and "Version 2" in flat(pages[0])
    assert "Contents" in pages[1]
    headings = [
        "Summary", "The Impact Totem", "The chain: tasks, impacts and indicators",
        "Indicator charts", "Readiness checklist", "Latest self-assessment", "Design principles",
        "Outcome scenarios", "Baseline",
        "Open risks and issues", "Decisions", "Comments from reviewers",
    ]
    positions = [lines.index(heading) for heading in headings]  # headings are lines of their own
    assert positions == sorted(positions)
    contents = flat(pages[1])
    for heading in headings:
        assert heading in contents


def test_every_page_numbers_itself_and_names_the_version(rendered):
    pages, _ = text_of(rendered["pack"])
    total = len(pages)
    assert total >= 8
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert f"Governors' pack version {rendered['version']}" in flat(page)


def test_the_contents_give_the_page_each_section_starts_on(rendered):
    pages, _ = text_of(rendered["pack"])
    contents = flat(pages[1])
    summary_page = next(i for i, p in enumerate(pages, 1) if "Why: the issue" in p)
    # the number after the dot leader of "Summary" is the page it is on
    after = contents.split("Summary", 1)[1].replace(".", " ").split()
    assert after[0] == str(summary_page)


def test_statements_numbers_and_status_reach_the_pack(rendered):
    text = flat(" ".join(text_of(rendered["pack"])[0]))
    assert "When you" in text and "Produce an implementation plan" in text
    assert "4.8" in text and "3.6" in text  # baseline and target of the indicator
    assert "70%" in text  # the scenario's likelihood of proceeding
    assert "1,240,000" in text and "28.4" in text  # the baseline entry
    assert "Approved with conditions" in text  # the decision on version 1
    assert "On impact" in text  # a comment on one impact of the chain
    assert "XmR chart of 14 points" in text or "run chart" in text
    assert "Not ready to proceed" in text and "must-haves met" in text
    assert "Spring round" in text and "Since Baseline round" in text
    assert "11 moved up" in text.lower()


def test_hostile_text_shows_literally_loads_nothing_and_embeds_nothing(rendered, listener):
    assert listener.connections == 0
    for name in ("pack", "poster", "portfolio"):
        pages, reader = text_of(rendered[name])
        text = flat(" ".join(pages))
        assert reader.attachments == {}, name
        assert b"/EmbeddedFile" not in rendered[name], name
        assert '<img src="file:///etc/passwd">' in text, name
        assert "root:x:0:0" not in text, name
    # Table cells wrap anywhere, so compare without white space.
    squeezed = "".join(" ".join(text_of(rendered["pack"])[0]).split())
    for field in ("Purpose:", "Scope:", "Task", "Impact", "Indicator", "Objective", "Principle",
                  "Scenario", "Function", "Risk", "Comment", "Conditions", "Gateway", "Evidence"):
        assert f'{field}<imgsrc="file:///etc/passwd"><linkrel="attachment"' in squeezed, field


def test_the_poster_is_one_a3_landscape_page_with_the_same_drawing(rendered):
    pages, reader = text_of(rendered["poster"])
    assert len(pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A3_LANDSCAPE[0], abs=0.5)
    assert float(box.height) == pytest.approx(A3_LANDSCAPE[1], abs=0.5)
    text = flat(pages[0])
    assert "Impact Totem" in text and "When you" in text
    assert "you should evaluate the extent to which you have" in text
    assert "Reading the totem" in text


def test_the_portfolio_has_an_overview_and_a_page_per_project(rendered):
    pages, _ = text_of(rendered["portfolio"])
    assert "Portfolio pack" in pages[0]
    assert "Overview" in flat(pages[1])
    assert any(flat(p).startswith("Payroll <img") for p in pages[2:])


@pytest.fixture(scope="module")
def big_poster(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        project = ProjectFactory(title="Forty tasks")
        for t in range(40):
            task = TaskFactory(project=project, title=f"Task number {t + 1} " + "long " * 8)
            impact = ImpactFactory(task=task, statement="An impact statement " * 3)
            IndicatorFactory(impact=impact, name="A leading indicator of it")
        tasks = ProjectRecord(project).tasks
        layout = poster_module.poster_layout(tasks, paper="A3")
        user = UserFactory()
        with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
            pack = services.pack_request(
                kind=Pack.Kind.POSTER, project=project, user=user, render_now=True
            )
            with pack.file.open("rb") as stored:
                pdf = stored.read()
        transaction.set_rollback(True)
    return layout, pdf


def test_a_forty_task_poster_fits_one_page_in_columns_at_a_readable_size(big_poster):
    layout, pdf = big_poster
    assert layout.columns >= 2 and layout.font_pt >= 6
    pages, _ = text_of(pdf)
    assert len(pages) == 1
    text = flat(pages[0])
    assert "Task number 1 " in text and "Task number 40 " in text


def test_poster_columns_read_bottom_up_left_to_right():
    class Item:
        def __init__(self, n):
            self.title = f"Task {n}"

        class impacts:  # noqa: N801 - mimics a related manager
            @staticmethod
            def all():
                return []

    layout = poster_module.poster_layout([Item(n) for n in range(1, 31)], paper="A3")
    columns = layout.pages[0]
    numbers = [[row.number for row in column] for column in columns]
    assert numbers[0][-1] == 1  # the first task at the bottom of the first column
    assert all(column == sorted(column, reverse=True) for column in numbers)
    assert [n for column in numbers for n in reversed(column)] == list(range(1, 31))


def test_a_decision_keeps_its_pdf_byte_for_byte_after_the_project_changes(
    db, client, project, member_of
):
    governor = member_of(ProjectRole.Role.GOVERNOR)
    TaskFactory(project=project, title="Agree the case for change")
    first = services.pack_request(
        kind=Pack.Kind.PROJECT, project=project, user=governor, render_now=True
    )
    original = first.file.open("rb").read()
    decision = services.decision_record(
        project=project, pack=first, user=governor, outcome=Decision.Outcome.APPROVED,
        decided_on=datetime.date(2026, 6, 12),
    )
    # Asking again with nothing changed but the decision itself: a new version (the pack shows
    # its decisions), while version 1 stays as it was.
    TaskFactory(project=project, title="A task added after the decision")
    second = services.pack_request(
        kind=Pack.Kind.PROJECT, project=project, user=governor, render_now=True
    )
    assert second.version == first.version + 1
    client.force_login(governor)
    response = client.get(f"/projects/{project.pk}/packs/{first.pk}/download/")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served == original
    first.refresh_from_db()
    assert decision.pack_sha256 == first.sha256
    assert services.pack_file_intact(first)
    text = flat(" ".join(text_of(second.file.open("rb").read())[0]))
    assert "A task added after the decision" in text
    assert "Since the last pack" in text and "version 1" in text.lower()


def test_a_round_report_compares_with_the_previous_round_and_partners(db, client, listener):
    from assessments.models import Assessment

    member = UserFactory()
    ours = OrganisationFactory(name="North Vale Hospitals", short_name="NVH")
    partner = OrganisationFactory(name="Riverside Community", short_name="RCT")
    MembershipFactory(user=member, organisation=ours)
    submitted_round(ours, "Baseline round", datetime.date(2025, 3, 1), lambda n: 1)
    latest = submitted_round(ours, "Spring round " + hostile(listener, 100),
                             datetime.date(2026, 3, 1), lambda n: 2 if n <= 5 else 1)
    submitted_round(partner, "Partner round", datetime.date(2026, 2, 1), lambda n: 3,
                    partners=[ours])
    client.force_login(member)
    url = f"/organisations/{ours.pk}/self-assessments/{latest.pk}/report/"
    response = client.get(url)
    assert response.status_code == 200, response
    pages, reader = text_of(b"".join(response.streaming_content))
    text = flat(" ".join(pages))
    assert "Self-assessment report" in text and "Results by component" in text
    assert "Since Baseline round" in text and "5 moved up" in text.lower()  # badges are caps
    assert "RCT" in text and "Partner round" in text  # the partner's shared round
    assert 'Springround<imgsrc="file:///etc/passwd">' in "".join(text.split())
    assert reader.attachments == {} and listener.connections == 0
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Self-assessment report version 1" in flat(page)
    pack = Pack.objects.get(kind=Pack.Kind.ROUND)
    assert pack.assessment == latest and pack.organisation == ours
    # Not a member of the organisation: no report, not even its existence.
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert Assessment.objects.count() == 3
