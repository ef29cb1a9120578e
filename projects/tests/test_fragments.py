"""Parts of the chain editor and the poster kept drawn (projects.fragments): shown again without
being drawn again, never stale, never another reader's."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import build_chain
from projects import services
from projects.models import Indicator, ProjectRole, Task
from projects.services import measures

TASK_PART = "projects/_chain_task.html"
POSTER_ROW = "projects/_poster_row.html"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def drawn(response, template):
    """How many times the request drew `template`."""
    return sum(1 for used in response.templates if used.name == template)


def chain_page(client, project):
    response = client.get(reverse("projects:project-chain", args=[project.pk]))
    assert response.status_code == 200
    return response


def test_a_chain_shown_again_is_not_drawn_again_and_an_edit_redraws_only_its_task(
    lead_client, project
):
    build_chain(project, tasks=3)
    assert drawn(chain_page(lead_client, project), TASK_PART) == 3
    assert drawn(chain_page(lead_client, project), TASK_PART) == 0

    impact = Task.objects.filter(project=project).order_by("position")[1].impacts.get()
    services.chain_item_update(
        item=impact, version=impact.version, statement="Staff are paid right first time"
    )
    page = chain_page(lead_client, project)
    assert drawn(page, TASK_PART) == 1
    assert "Staff are paid right first time" in page.text


def test_new_values_and_change_points_redraw_the_indicator(lead_client, project, chain, lead):
    _, _, indicator = chain
    before = chain_page(lead_client, project).text
    for month in range(1, 8):  # a run of seven rising values: an improvement
        measures.measurement_record(
            indicator=indicator,
            date=datetime.date(2026, month, 1),
            value=Decimal(month),
            user=lead,
        )
    after = chain_page(lead_client, project)
    assert drawn(after, TASK_PART) == 1
    assert after.text != before
    measures.change_point_create(indicator=indicator, date=datetime.date(2026, 4, 1), reason="x")
    assert drawn(chain_page(lead_client, project), TASK_PART) == 1


def test_what_the_reader_may_do_is_part_of_what_is_kept(lead_client, project, chain, member_of):
    assert "Delete<span" in chain_page(lead_client, project).text
    viewer = Client()
    viewer.force_login(member_of(ProjectRole.Role.VIEWER))
    page = chain_page(viewer, project)
    assert "Delete<span" not in page.text and "/move/" not in page.text
    assert "Delete<span" in chain_page(lead_client, project).text


def test_every_reader_gets_forms_with_their_own_csrf_token(lead_client, project, member_of):
    build_chain(project, tasks=2)
    chain_page(lead_client, project)  # drawn for the first lead and kept
    other = Client(enforce_csrf_checks=True)
    other.force_login(member_of(ProjectRole.Role.LEAD))
    page = chain_page(other, project)
    assert drawn(page, TASK_PART) == 0
    assert "csrf-token-of-the-reader" not in page.text
    first = Task.objects.filter(project=project).order_by("position").first()
    move = reverse("projects:item-move", args=[project.pk, "tasks", first.pk])
    form = next(f for f in re.findall(r"<form.*?</form>", page.text, re.S) if move in f)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = other.post(move, {"direction": "down", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Task.objects.filter(project=project).order_by("position").last() == first


def test_text_like_the_placeholder_reads_back_exactly(lead_client, project):
    title = 'name="csrfmiddlewaretoken" value="csrf-token-of-the-reader"'
    services.task_create(project=project, title=title)
    page = chain_page(lead_client, project)
    assert "name=&quot;csrfmiddlewaretoken&quot; value=&quot;csrf-token-of-the-reader&quot;" in (
        page.text
    )


def test_the_poster_is_kept_drawn_for_each_way_of_colouring(lead_client, project):
    build_chain(project, tasks=3)
    poster = reverse("projects:project-poster", args=[project.pk])
    assert drawn(lead_client.get(poster), POSTER_ROW) == 3
    assert drawn(lead_client.get(poster), POSTER_ROW) == 0
    coloured = lead_client.get(poster + "?colour=status")
    assert drawn(coloured, POSTER_ROW) == 3 and "poster-state-" in coloured.text
    task = Task.objects.filter(project=project).order_by("position").last()
    services.chain_item_update(item=task, version=task.version, title="Agree the new scope")
    page = lead_client.get(poster)
    assert drawn(page, POSTER_ROW) == 1 and "Agree the new scope" in page.text


def test_values_written_in_bulk_deleted_or_by_import_redraw_their_task(
    lead_client, project, chain, lead
):
    """Every way a value is written moves its indicator's stamp (projects.stamps)."""
    _, _, indicator = chain
    chain_page(lead_client, project)
    for value in (3, 4):  # created, then replaced: bulk_create and bulk_update underneath
        measures.measurements_record(
            project=project,
            entries=[
                measures.MeasurementEntry(indicator, datetime.date(2026, 1, 1), Decimal(value))
            ],
            user=lead,
        )
        assert drawn(chain_page(lead_client, project), TASK_PART) == 1
    measurement = indicator.measurements.get()
    measures.measurement_delete(measurement=measurement)
    assert drawn(chain_page(lead_client, project), TASK_PART) == 1
    assert drawn(chain_page(lead_client, project), TASK_PART) == 0


@pytest.mark.parametrize("page", ["project-chain", "project-poster"])
def test_a_kept_page_reads_no_values_and_as_many_rows_whatever_its_size(
    lead_client, project, lead, page
):
    """Shown again, the poster and the chain editor read the chain's statements and stamps,
    never its values: the same queries for a project of 2 tasks and of 12."""
    url = reverse(f"projects:{page}", args=[project.pk])
    counts = []
    for tasks in (2, 10):
        build_chain(project, tasks=tasks)
        for indicator in Indicator.objects.filter(project=project):
            measures.measurement_record(
                indicator=indicator, date=datetime.date(2026, 1, 1), value=Decimal(1), user=lead
            )
        lead_client.get(url)  # draws the parts
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200
        # (The header's unread count asks whether a reminder's figure came in: one count.)
        page_queries = [q["sql"] for q in queries if "notifications_notification" not in q["sql"]]
        assert not [sql for sql in page_queries if "measurement" in sql]
        counts.append(len(queries))
    assert counts[0] == counts[1]
