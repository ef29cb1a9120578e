import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Impact, Indicator, Membership, ProjectRole, StarterTotem, Task
from projects.selectors import project_chain, project_history
from projects.tests.factories import OrganisationFactory, TaskFactory, UserFactory


@pytest.fixture
def org_member(db):
    user = UserFactory()
    organisation = OrganisationFactory()
    Membership.objects.create(user=user, organisation=organisation)
    return user, organisation


def test_creator_becomes_lead(org_member):
    user, organisation = org_member
    project = services.project_create(
        user=user, title="Shared payroll", lead_organisation=organisation
    )
    assert ProjectRole.objects.get(project=project, user=user).role == "lead"


def test_cannot_lead_for_an_organisation_you_do_not_belong_to(org_member):
    user, _ = org_member
    with pytest.raises(ValidationError):
        services.project_create(user=user, title="X", lead_organisation=OrganisationFactory())


def test_starter_totem_prefills_the_seed_chain(org_member):
    user, organisation = org_member
    starter = StarterTotem.objects.get(name="Shared services Impact Totem")
    project = services.project_create(
        user=user, title="Shared HR", lead_organisation=organisation, starter=starter
    )
    tasks = project_chain(project)
    assert tasks[0].title == "Confirm the issue to be resolved"
    assert tasks[-1].title == "Improve the service"
    assert len(tasks) == starter.tasks.count() == 14
    scenarios = next(t for t in tasks if t.title.startswith("Produce outcome scenarios"))
    statements = [impact.statement for impact in scenarios.impacts.all()]
    assert statements == [
        "The readiness and commitment to proceed",
        "Guaranteed that feasibility work will not be wasted",
    ]
    assert scenarios.impacts.all()[0].indicators.all()[0].name.startswith("Recognition of")


def test_new_items_go_to_the_end_of_their_siblings(project):
    first = services.task_create(project=project, title="First")
    second = services.task_create(project=project, title="Second")
    assert (first.position, second.position) == (1, 2)
    impact = services.impact_create(task=first, statement="Gained the commitment")
    indicator = services.indicator_create(impact=impact, name="Boards minuted")
    assert impact.project == project and indicator.project == project


def test_update_from_a_stale_copy_is_refused_and_loses_nothing(project):
    task = services.task_create(project=project, title="Original")
    mine, theirs = Task.objects.get(pk=task.pk), Task.objects.get(pk=task.pk)
    services.chain_item_update(item=theirs, version=theirs.version, title="Their title")
    with pytest.raises(services.ConflictError) as conflict:
        services.chain_item_update(item=mine, version=mine.version, title="My title")
    assert conflict.value.current.title == "Their title"
    assert Task.objects.get(pk=task.pk).title == "Their title"


def test_update_validates(project):
    task = services.task_create(project=project, title="Original")
    with pytest.raises(ValidationError):
        services.chain_item_update(item=task, version=task.version, title="")
    assert Task.objects.get(pk=task.pk).title == "Original"


def test_move_swaps_with_the_neighbour_and_stops_at_the_ends(project):
    a, b, c = (services.task_create(project=project, title=t) for t in "abc")
    services.chain_item_move(item=c, direction="up")
    assert [t.title for t in project_chain(project)] == ["a", "c", "b"]
    services.chain_item_move(item=a, direction="up")
    assert [t.title for t in project_chain(project)] == ["a", "c", "b"]
    services.chain_item_move(item=a, direction="down")
    assert [t.title for t in project_chain(project)] == ["c", "a", "b"]


def test_deleting_a_task_deletes_what_hangs_off_it(chain):
    task, impact, indicator = chain
    services.chain_item_delete(item=task)
    assert not Impact.objects.filter(pk=impact.pk).exists()
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_history_records_create_change_and_delete_with_the_changes(project):
    task = services.task_create(project=project, title="Draft title")
    services.chain_item_update(item=task, version=task.version, title="Final title")
    services.chain_item_delete(item=task)
    entries = [e for e in project_history(project) if e.kind == "task"]
    assert [e.action for e in entries] == ["deleted", "changed", "created"]
    assert ("title", "Draft title", "Final title") in entries[1].changes


def test_a_project_keeps_at_least_one_lead(project, lead):
    role = ProjectRole.objects.get(project=project, user=lead)
    with pytest.raises(ValidationError):
        services.project_role_remove(project_role=role)
    with pytest.raises(ValidationError):
        services.project_role_set(project=project, user=lead, role="viewer")
    other = UserFactory()
    services.project_role_set(project=project, user=other, role="lead")
    services.project_role_set(project=project, user=lead, role="viewer")
    assert ProjectRole.objects.get(project=project, user=lead).role == "viewer"


def test_a_new_task_goes_after_the_highest_position(project):
    TaskFactory(project=project, position=5)
    task = services.task_create(project=project, title="Next")
    assert task.position == 6


def test_a_deleted_task_comes_back_from_the_history_with_all_it_held(lead_client, project, chain):
    import datetime
    from decimal import Decimal

    from django.urls import reverse

    from projects.models import Comment, Measurement

    task, impact, indicator = chain
    Measurement.objects.create(
        project=project, indicator=indicator, date=datetime.date(2026, 4, 1), value=Decimal(3)
    )
    governor = UserFactory()
    Comment.objects.create(
        project=project, impact=impact, author=governor, body="Who measures this?"
    )
    lead_client.post(
        reverse("projects:item-delete", args=[project.pk, "tasks", task.pk]), {"confirm": "1"}
    )
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Measurement.objects.filter(indicator_id=indicator.pk).exists()
    history = lead_client.get(reverse("projects:project-history", args=[project.pk]))
    deleted_task = next(e for e in history.context["entries"] if e.kind == "task")
    assert deleted_task.action == "deleted" and deleted_task.restorable
    restore = reverse(
        "projects:record-restore", args=[project.pk, "task", deleted_task.history_id]
    )
    assert restore in history.text
    lead_client.post(restore)
    restored = Task.objects.get(pk=task.pk)
    assert restored.impacts.get().indicators.get().measurements.get().value == Decimal(3)
    assert Comment.objects.get(impact=impact).body == "Who measures this?"
