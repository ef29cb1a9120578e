"""The chain edited in the browser: htmx fragments and plain form posts alike."""

import datetime

import pytest
from django.urls import reverse

from projects.models import Impact, Indicator, Project, Task
from projects.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def chain_url(project):
    return reverse("projects:project-chain", args=[project.pk])


def edit_url(project, kind, item):
    return reverse("projects:item-edit", args=[project.pk, kind, item.pk])


def test_sign_in_is_required(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_create_a_project_from_the_starter(client, db):
    user = UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation)
    client.force_login(user)
    page = client.get(reverse("projects:project-create"))
    assert "Shared services Impact Totem" in page.text
    starter = page.context["form"].fields["starter"].queryset.get()
    response = client.post(
        reverse("projects:project-create"),
        {
            "title": "Shared legal service",
            "purpose": "Legal costs are too high.",
            "stage": "scoping",
            "lead_organisation": organisation.pk,
            "starter": starter.pk,
        },
    )
    project = Project.objects.get(title="Shared legal service")
    assert response.status_code == 302
    assert response["Location"] == chain_url(project)
    assert project.tasks.count() == 14


def test_project_form_errors_show_next_to_the_field(client, db):
    user = UserFactory()
    MembershipFactory(user=user)
    client.force_login(user)
    response = client.post(reverse("projects:project-create"), {"title": "", "stage": "scoping"})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not Project.objects.exists()


def test_add_a_task_in_place_returns_the_refreshed_chain(lead_client, project):
    response = lead_client.post(
        reverse("projects:task-create", args=[project.pk]),
        {"title": "Collaborate in benchmarking", "status": "not_started"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="chain"')
    assert "Collaborate in benchmarking" in response.text
    assert Task.objects.get(project=project).title == "Collaborate in benchmarking"


def test_add_a_task_without_javascript_redirects_with_a_message(lead_client, project):
    response = lead_client.post(
        reverse("projects:task-create", args=[project.pk]),
        {"title": "Collaborate in benchmarking", "status": "not_started"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == chain_url(project)
    assert "Added task “Collaborate in benchmarking”." in response.text


def test_an_invalid_add_shows_the_error_in_place_and_saves_nothing(lead_client, project, chain):
    task, impact, _ = chain
    response = lead_client.post(
        reverse("projects:indicator-create", args=[project.pk, impact.pk]),
        {"name": "", "kind": "leading", "direction": "up"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#add-indicator-{impact.pk}"
    assert "This field is required." in response.text
    assert impact.indicators.count() == 1


def test_edit_an_indicator_in_place(lead_client, project, chain):
    _, _, indicator = chain
    form = lead_client.get(edit_url(project, "indicators", indicator), **HTMX)
    assert f'id="indicator-{indicator.pk}-head"' in form.text
    response = lead_client.post(
        edit_url(project, "indicators", indicator),
        {
            "version": indicator.version,
            "name": "Scenarios with a proceed statement",
            "kind": "leading",
            "direction": "up",
            "baseline_value": "0",
            "target_value": "100",
            "unit": "%",
        },
        **HTMX,
    )
    assert response.status_code == 200
    indicator.refresh_from_db()
    assert indicator.name == "Scenarios with a proceed statement"
    assert str(indicator.target_value) == "100.0000"


def test_target_date_before_baseline_date_is_refused_next_to_the_field(lead_client, project, chain):
    _, _, indicator = chain
    response = lead_client.post(
        edit_url(project, "indicators", indicator),
        {
            "version": indicator.version,
            "name": indicator.name,
            "kind": "leading",
            "direction": "up",
            "baseline_date": "2026-04-01",
            "target_date": "2025-04-01",
        },
    )
    assert response.status_code == 200
    assert "The target date must be after the baseline date." in response.text


def test_two_people_editing_the_same_task_the_later_save_is_refused(
    client, project, chain, member_of
):
    task, _, _ = chain
    first, second = member_of("lead"), member_of("contributor")
    second.first_name, second.last_name = "Priya", "Shah"
    second.save()
    opened_version = task.version  # both opened the edit form now
    client.force_login(second)
    client.post(
        edit_url(project, "tasks", task),
        {"version": opened_version, "title": "Their title", "status": "in_progress"},
    )
    client.force_login(first)
    response = client.post(
        edit_url(project, "tasks", task),
        {"version": opened_version, "title": "My title", "status": "done"},
        **HTMX,
    )
    task.refresh_from_db()
    assert task.title == "Their title"
    assert "Someone else saved this by Priya Shah" in response.text
    their_version = response.text.split("Their version")[1].split("</dl>")[0]
    assert "Their title" in their_version and "My title" not in their_version
    assert 'value="My title"' in response.text  # my changes are still in the form
    # Saving again, having seen theirs, replaces it deliberately.
    form_version = response.context["form"]["version"].value()
    client.post(
        edit_url(project, "tasks", task),
        {"version": form_version, "title": "My title", "status": "done"},
    )
    task.refresh_from_db()
    assert task.title == "My title"


def test_deleting_a_task_with_impacts_asks_first_and_says_what_goes(lead_client, project, chain):
    task, impact, indicator = chain
    url = reverse("projects:item-delete", args=[project.pk, "tasks", task.pk])
    response = lead_client.post(url, **HTMX)
    assert Task.objects.filter(pk=task.pk).exists()
    assert response["HX-Retarget"] == f"#task-{task.pk}-head"
    assert impact.statement in response.text and indicator.name in response.text
    lead_client.post(url, {"confirm": "1"}, **HTMX)
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Impact.objects.filter(pk=impact.pk).exists()


def test_deleting_an_indicator_needs_no_confirmation(lead_client, project, chain):
    _, _, indicator = chain
    url = reverse("projects:item-delete", args=[project.pk, "indicators", indicator.pk])
    response = lead_client.post(url)
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_move_a_task_down(lead_client, project):
    a = Task.objects.create(project=project, title="a", position=1)
    Task.objects.create(project=project, title="b", position=2)
    lead_client.post(
        reverse("projects:item-move", args=[project.pk, "tasks", a.pk]), {"direction": "down"}
    )
    assert list(project.tasks.order_by("position").values_list("title", flat=True)) == ["b", "a"]


def test_items_of_another_project_are_not_found_through_this_one(lead_client, project, db):
    other_task = Task.objects.create(
        project=Project.objects.create(title="Other", lead_organisation=OrganisationFactory()),
        title="Secret",
    )
    response = lead_client.get(edit_url(project, "tasks", other_task))
    assert response.status_code == 404


def test_history_page_lists_changes_newest_first(lead_client, project):
    lead_client.post(
        reverse("projects:task-create", args=[project.pk]),
        {"title": "First", "status": "not_started"},
    )
    task = Task.objects.get(project=project)
    lead_client.post(
        edit_url(project, "tasks", task),
        {"version": task.version, "title": "Renamed", "status": "not_started"},
    )
    page = lead_client.get(reverse("projects:project-history", args=[project.pk]))
    entries = page.context["entries"]
    assert [(e.action, e.kind) for e in entries[:2]] == [("changed", "task"), ("created", "task")]
    assert entries[0].who.username == page.context["user"].username
    assert "Renamed" in page.text and "First" in page.text


@pytest.mark.parametrize("role", ["governor", "viewer"])
def test_readers_see_no_edit_controls(client, project, chain, member_of, role):
    client.force_login(member_of(role))
    for url in (chain_url(project), reverse("projects:project-poster", args=[project.pk])):
        page = client.get(url).text
        assert "Add a task" not in page and ">Edit<" not in page and "Delete" not in page


def test_a_stored_date_shows_in_the_date_picker_and_survives_a_second_save(
    lead_client, project, chain
):
    task, _, _ = chain
    task.due = datetime.date(2027, 3, 31)
    task.save()
    form = lead_client.get(edit_url(project, "tasks", task)).text
    assert 'type="date" name="due" value="2027-03-31"' in form
    lead_client.post(
        edit_url(project, "tasks", task),
        {"version": task.version, "title": task.title, "status": "done", "due": "2027-03-31"},
    )
    task.refresh_from_db()
    assert task.due == datetime.date(2027, 3, 31)


def test_adding_an_indicator_asks_kind_direction_and_unit(lead_client, project, chain):
    task, impact, _ = chain
    page = lead_client.get(chain_url(project)).text
    for field in ("kind", "direction", "unit"):
        assert f'id="new-indicator-{field}-{impact.pk}"' in page
    url = reverse("projects:indicator-create", args=[project.pk, impact.pk])
    # Without a direction nothing is saved, and the form says what is missing.
    response = lead_client.post(url, {"name": "Cost per payslip", "kind": "lagging"}, **HTMX)
    assert "This field is required." in response.text
    assert not impact.indicators.filter(name="Cost per payslip").exists()
    lead_client.post(
        url, {"name": "Cost per payslip", "kind": "lagging", "direction": "down", "unit": "£"}
    )
    added = impact.indicators.get(name="Cost per payslip")
    assert (added.kind, added.direction, added.unit) == ("lagging", "down", "£")
    # The full form starts with no direction chosen either.
    form = lead_client.get(url).text
    assert '<option value="" selected>Choose: is higher or lower better?</option>' in form


def test_an_edit_in_place_updates_the_side_panel_too(lead_client, project, chain):
    _, _, indicator = chain
    page = lead_client.get(chain_url(project)).text
    assert '<div id="chain-gaps">' in page and "Every task has an impact" in page
    url = reverse("projects:item-delete", args=[project.pk, "indicators", indicator.pk])
    response = lead_client.post(url, **HTMX)
    oob = response.text.split('<div id="chain-gaps" hx-swap-oob="true">', 1)[1]
    assert "1 impact without an indicator" in oob
