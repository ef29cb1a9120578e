import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import build_chain
from projects.tests.factories import ImpactFactory, IndicatorFactory, ProjectFactory, TaskFactory

HOSTILE = "<script>alert(1)</script>"


def poster(client, project):
    return client.get(reverse("projects:project-poster", args=[project.pk]))


def test_poster_reads_bottom_up_with_the_rubric(lead_client, project, chain):
    # After the chain's task, whatever position the factory's sequence gave that one.
    second = TaskFactory(
        project=project, title="Produce an implementation plan", position=chain[0].position + 1
    )
    ImpactFactory(task=second, statement="A clear way forward")
    text = poster(lead_client, project).text
    # The first task is drawn at the bottom of the trunk: later in the page.
    assert text.index("Produce an implementation plan") < text.index("Produce outcome scenarios")
    assert "When you" in text and "you should evaluate the extent to which you have" in text
    assert "The readiness and commitment to proceed" in text
    assert "Scenarios with a clear statement" in text


def test_poster_marks_the_gaps(lead_client, project):
    TaskFactory(project=project, title="Task with no impact")
    unmeasured = ImpactFactory(task=TaskFactory(project=project), statement="Unmeasured impact")
    lagging_only = ImpactFactory(task=TaskFactory(project=project), statement="Lagging only")
    IndicatorFactory(impact=lagging_only, kind="lagging")
    text = poster(lead_client, project).text
    assert "What should be different when this task is done?" in text
    assert text.count('class="poster-flag">No indicator<') == 1
    assert text.count('class="poster-flag">No leading indicator<') == 1
    assert unmeasured.statement in text


@pytest.mark.parametrize("url_name", ["project-poster", "project-chain"])
def test_query_count_does_not_grow_with_the_project(client, member_of, url_name):
    counts = {}
    for size in (3, 40):
        project = ProjectFactory()
        build_chain(project, tasks=size, impacts_per_task=2, indicators_per_impact=2)
        client.force_login(member_of("lead", project=project))
        url = reverse(f"projects:{url_name}", args=[project.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[size] = len(queries)
    assert counts[3] == counts[40], counts


def test_user_text_is_escaped_everywhere(lead_client, project):
    project.title = project.purpose = project.scope = HOSTILE
    project.save()
    task = TaskFactory(project=project, title=HOSTILE, description=HOSTILE, owner=HOSTILE)
    impact = ImpactFactory(task=task, statement=HOSTILE)
    IndicatorFactory(impact=impact, name=HOSTILE, unit=HOSTILE, source=HOSTILE)
    pages = [
        reverse(f"projects:project-{name}", args=[project.pk])
        for name in ("detail", "chain", "poster", "history", "edit")
    ]
    pages += [reverse("people:project-people", args=[project.pk])]
    pages += [reverse("home")]
    pages += [
        reverse("projects:item-edit", args=[project.pk, kind, pk])
        for kind, pk in (("tasks", task.pk), ("impacts", impact.pk))
    ]
    for url in pages:
        text = lead_client.get(url).text
        assert HOSTILE not in text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, url


def test_the_poster_tab_offers_the_a3_pdf(lead_client, project):
    page = lead_client.get(f"/projects/{project.pk}/poster/").content.decode()
    assert f'href="/projects/{project.pk}/poster.pdf"' in page
    assert "Download the A3 poster" in page
