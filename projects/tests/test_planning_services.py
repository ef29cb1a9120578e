"""Writes to the planning record: create, change, delete and restore; the choice; the matrix;
ideas that become tasks; dependencies that may only link projects the user can see."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from projects.models import (
    Dependency,
    DesignPrinciple,
    Idea,
    Impact,
    Indicator,
    PrincipleScore,
    ProjectVisit,
    Risk,
    Scenario,
    Task,
)
from projects.services import planning as services
from projects.services.chain import chain_item_delete

from .factories import ProjectFactory, ProjectRoleFactory, TaskFactory, UserFactory
from .planning_factories import (
    IdeaFactory,
    PrincipleFactory,
    RiskFactory,
    ScenarioFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db
MEETS, PARTLY, DOES_NOT = (s.value for s in PrincipleScore.Score)


def test_new_rows_go_to_the_end_of_their_own_kind(project):
    first = services.principle_create(project=project, statement="Self-service first")
    second = services.principle_create(project=project, statement="One payroll system")
    scenario = services.scenario_create(project=project, title="A shared service", likelihood=60)
    assert (first.position, second.position, scenario.position) == (1, 2, 1)


def test_a_likelihood_over_100_is_refused(project):
    with pytest.raises(ValidationError) as error:
        services.scenario_create(project=project, title="Certain", likelihood=120)
    assert "likelihood" in error.value.message_dict


def test_a_save_from_a_stale_copy_is_refused(project):
    risk = RiskFactory(project=project, title="Staff leave")
    services.record_update(item=Risk.objects.get(pk=risk.pk), version=1, owner="Lena")
    with pytest.raises(services.ConflictError) as error:
        services.record_update(item=Risk.objects.get(pk=risk.pk), version=1, owner="Graham")
    assert error.value.current.owner == "Lena"
    assert Risk.objects.get(pk=risk.pk).owner == "Lena"


def test_move_a_principle_up(project):
    first, second = PrincipleFactory(project=project), PrincipleFactory(project=project)
    services.record_move(item=second, direction="up")
    assert list(DesignPrinciple.objects.filter(project=project)) == [second, first]


def test_delete_and_restore_a_scenario_brings_back_its_scores(project):
    scenario = ScenarioFactory(project=project, title="Lead employer")
    pk = scenario.pk
    score = ScoreFactory(scenario=scenario, score=PARTLY)
    other = ScoreFactory(scenario__project=project, principle=score.principle, score=MEETS)
    history_id = services.record_delete(item=scenario)
    assert not Scenario.objects.filter(pk=pk).exists()
    assert list(PrincipleScore.objects.all()) == [other]

    restored = services.record_restore(project=project, model=Scenario, history_id=history_id)
    assert restored.pk == pk and restored.title == "Lead employer"
    assert PrincipleScore.objects.get(pk=score.pk).score == PARTLY
    assert restored.version == 2  # a form opened before the deletion is now stale


def test_a_score_cleared_before_the_deletion_stays_cleared(project):
    scenario = ScenarioFactory(project=project)
    kept, cleared = ScoreFactory(scenario=scenario), ScoreFactory(scenario=scenario)
    cleared.delete()
    history_id = services.record_delete(item=scenario)
    services.record_restore(project=project, model=Scenario, history_id=history_id)
    assert list(PrincipleScore.objects.values_list("pk", flat=True)) == [kept.pk]


def test_restore_a_principle_deleted_twice(project):
    pk = PrincipleFactory(project=project).pk
    first = services.record_delete(item=DesignPrinciple.objects.get(pk=pk))
    services.record_restore(project=project, model=DesignPrinciple, history_id=first)
    second = services.record_delete(item=DesignPrinciple.objects.get(pk=pk))
    services.record_restore(project=project, model=DesignPrinciple, history_id=second)
    assert DesignPrinciple.objects.filter(pk=pk).exists()
    with pytest.raises(ValidationError, match="already been restored"):
        services.record_restore(project=project, model=DesignPrinciple, history_id=second)


def test_restore_is_scoped_to_the_project(project):
    risk = RiskFactory()  # another project's
    history_id = services.record_delete(item=risk)
    with pytest.raises(Risk.DoesNotExist):
        services.record_restore(project=project, model=Risk, history_id=history_id)


def test_restoring_a_chosen_scenario_keeps_a_choice_made_since(project):
    old = ScenarioFactory(project=project, is_chosen=True, chosen_by="Board")
    history_id = services.record_delete(item=old)
    new = ScenarioFactory(project=project)
    services.scenario_choose(
        scenario=new, version=1, chosen_on=datetime.date(2026, 5, 1), chosen_by="Board"
    )
    restored = services.record_restore(project=project, model=Scenario, history_id=history_id)
    assert not restored.is_chosen and restored.chosen_by == ""
    assert Scenario.objects.get(project=project, is_chosen=True) == new


def test_an_idea_whose_task_was_deleted_comes_back_without_the_link(project):
    task = TaskFactory(project=project)
    idea = IdeaFactory(project=project, task=task)
    history_id = services.record_delete(item=idea)
    task.delete()
    restored = services.record_restore(project=project, model=Idea, history_id=history_id)
    assert restored.task is None and restored.task_title == idea.task_title


def test_the_restore_also_serves_the_chain(project, chain):
    """Built for every kind with history: an impact needs its task back first."""
    task, impact, _indicator = chain
    task_pk, impact_pk = task.pk, impact.pk
    chain_item_delete(item=task)
    impact_deletion = Impact.history.get(id=impact_pk, history_type="-").history_id
    with pytest.raises(ValidationError, match="task that no longer exists"):
        services.record_restore(project=project, model=Impact, history_id=impact_deletion)
    task_deletion = Task.history.get(id=task_pk, history_type="-").history_id
    services.record_restore(project=project, model=Task, history_id=task_deletion)
    # The impact was deleted with its task, so it comes back with it.
    assert Impact.objects.get(pk=impact_pk).task_id == task_pk
    with pytest.raises(ValidationError, match="already been restored"):
        services.record_restore(project=project, model=Impact, history_id=impact_deletion)


def test_choosing_a_scenario_withdraws_the_earlier_choice(project):
    first, second = ScenarioFactory(project=project), ScenarioFactory(project=project)
    day = datetime.date(2026, 6, 3)
    services.scenario_choose(scenario=first, version=1, chosen_on=day, chosen_by="Joint board")
    services.scenario_choose(scenario=second, version=1, chosen_on=day, chosen_by="Joint board")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_chosen, first.chosen_on, first.chosen_by) == (False, None, "")
    assert (second.is_chosen, second.chosen_on, second.chosen_by) == (True, day, "Joint board")
    # The earlier decision stays in the history.
    assert first.history.filter(is_chosen=True, chosen_by="Joint board").exists()


def test_withdraw_the_choice(project):
    scenario = ScenarioFactory(project=project, is_chosen=True, chosen_by="Board")
    services.scenario_unchoose(scenario=scenario, version=1)
    assert not Scenario.objects.get(pk=scenario.pk).is_chosen


def _cell(scenario, principle):
    return (scenario.pk, principle.pk)


def test_score_the_matrix_writes_only_changed_cells(project):
    scenario = ScenarioFactory(project=project)
    p1, p2, p3 = (PrincipleFactory(project=project) for _ in range(3))
    ScoreFactory(scenario=scenario, principle=p2, score=PARTLY)
    ScoreFactory(scenario=scenario, principle=p3, score=MEETS)
    written = services.principle_scores_set(
        project=project,
        cells={
            _cell(scenario, p1): ("", MEETS),
            _cell(scenario, p2): (PARTLY, PARTLY),
            _cell(scenario, p3): (MEETS, ""),
        },
    )
    assert written == 2
    scores = dict(PrincipleScore.objects.values_list("principle_id", "score"))
    assert scores == {p1.pk: MEETS, p2.pk: PARTLY}


def test_a_cell_someone_else_changed_is_a_conflict_and_nothing_is_saved(project):
    scenario = ScenarioFactory(project=project)
    p1, p2 = PrincipleFactory(project=project), PrincipleFactory(project=project)
    ScoreFactory(scenario=scenario, principle=p1, score=DOES_NOT)  # saved since "" was seen
    with pytest.raises(services.ScoresConflict) as error:
        services.principle_scores_set(
            project=project,
            cells={_cell(scenario, p1): ("", MEETS), _cell(scenario, p2): ("", MEETS)},
        )
    assert error.value.current == {_cell(scenario, p1): DOES_NOT}
    assert PrincipleScore.objects.count() == 1


def test_the_same_change_made_twice_is_not_a_conflict(project):
    scenario, principle = ScenarioFactory(project=project), PrincipleFactory(project=project)
    ScoreFactory(scenario=scenario, principle=principle, score=MEETS)
    written = services.principle_scores_set(
        project=project, cells={_cell(scenario, principle): ("", MEETS)}
    )
    assert written == 0


def test_cells_of_another_project_are_ignored(project):
    other_scenario = ScenarioFactory()
    other_principle = PrincipleFactory(project=other_scenario.project)
    written = services.principle_scores_set(
        project=project, cells={_cell(other_scenario, other_principle): ("", MEETS)}
    )
    assert written == 0 and not PrincipleScore.objects.exists()


def test_an_idea_becomes_a_task_with_its_impact_in_one_step(project):
    TaskFactory(project=project, position=1)
    idea = IdeaFactory(project=project, note="Ask the North trusts how they did it")
    task = services.idea_make_task(
        idea=idea, version=1, title="Visit a shared service", impact="Seen what good looks like"
    )
    assert task.project == project and task.position == 2
    assert task.description == "Ask the North trusts how they did it"
    assert [i.statement for i in task.impacts.all()] == ["Seen what good looks like"]
    idea.refresh_from_db()
    assert idea.task == task and idea.task_title == "Visit a shared service"


def test_an_idea_becomes_a_task_only_once(project):
    idea = IdeaFactory(project=project)
    services.idea_make_task(idea=idea, version=1, title="A", impact="B")
    with pytest.raises(services.ConflictError):
        services.idea_make_task(idea=Idea.objects.get(pk=idea.pk), version=1, title="A", impact="B")
    with pytest.raises(ValidationError, match="already a task"):
        services.idea_make_task(idea=Idea.objects.get(pk=idea.pk), version=2, title="A", impact="B")
    assert Task.objects.filter(project=project).count() == 1


def test_a_dependency_links_only_a_project_the_user_can_see(project, lead):
    mine = ProjectFactory()
    ProjectRoleFactory(project=mine, user=lead, role="viewer")
    secret = ProjectFactory()
    dependency = services.dependency_create(
        project=project, user=lead, description="Needs the HR system", other_project=mine
    )
    assert dependency.other_project == mine
    with pytest.raises(ValidationError) as error:
        services.dependency_create(
            project=project, user=lead, description="Needs payroll", other_project=secret
        )
    assert "other_project" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.dependency_update(item=dependency, version=1, user=lead, other_project=secret)
    with pytest.raises(ValidationError, match="itself"):
        services.dependency_create(
            project=project, user=lead, description="x", other_project=project
        )
    assert Dependency.objects.get().other_project == mine


def test_a_dependency_someone_else_linked_can_be_changed_by_a_user_who_cannot_see_it(project):
    secret = ProjectFactory()
    dependency = Dependency.objects.create(project=project, description="x", other_project=secret)
    user = UserFactory()
    services.dependency_update(item=dependency, version=1, user=user, status="met")
    assert Dependency.objects.get().other_project == secret


def test_a_visit_returns_the_previous_one(project, lead):
    assert services.project_visit_record(project=project, user=lead) is None
    first = ProjectVisit.objects.get().seen_at
    assert services.project_visit_record(project=project, user=lead) == first
    assert ProjectVisit.objects.get().seen_at > first


def test_restore_brings_back_a_whole_branch_when_told_how_it_hangs(project, chain, monkeypatch):
    """How the chain would use it: a task, its impact and the impact's indicator."""
    task, impact, indicator = chain
    monkeypatch.setitem(services.ROWS_DELETED_WITH, Task, [(Impact, "task")])
    monkeypatch.setitem(services.ROWS_DELETED_WITH, Impact, [(Indicator, "impact")])
    ids = (task.pk, impact.pk, indicator.pk)
    history_id = services.record_delete(item=task)
    assert not Indicator.objects.filter(pk=ids[2]).exists()
    services.record_restore(project=project, model=Task, history_id=history_id)
    assert Indicator.objects.get(pk=ids[2]).impact.task_id == ids[0]
