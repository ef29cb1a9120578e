"""The planning pages edited in place: every kind created, edited, deleted and restored, with
htmx and without, by the roles that may and refused to those that may not."""

import pytest
from django.urls import reverse

from projects.models import (
    Dependency,
    DesignPrinciple,
    Idea,
    PrincipleScore,
    Risk,
    Scenario,
    Task,
)
from projects.services.planning import record_delete
from projects.views.planning import KINDS as VIEW_KINDS

from .factories import ProjectFactory, ProjectRoleFactory, UserFactory
from .planning_factories import (
    DependencyFactory,
    IdeaFactory,
    PrincipleFactory,
    RiskFactory,
    ScenarioFactory,
    ScoreFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}

# kind -> (model, factory, page, fragment id, a valid new row, a change to make)
KINDS = {
    "principles": (
        DesignPrinciple,
        PrincipleFactory,
        "project-options",
        "options",
        {"statement": "Advice is self-service wherever possible", "agreed_by": "Joint board"},
        {"statement": "Complex cases get bespoke advice"},
    ),
    "scenarios": (
        Scenario,
        ScenarioFactory,
        "project-options",
        "options",
        {"title": "Lead employer", "likelihood": "70", "recommendation": "proceed"},
        {"title": "Lead employer model", "recommendation": "more_work"},
    ),
    "ideas": (
        Idea,
        IdeaFactory,
        "project-ideas",
        "ideas",
        {"note": "Ask the North trusts", "task_title": "", "intended_impact": ""},
        {"note": "Ask the Northern consortium"},
    ),
    "risks": (
        Risk,
        RiskFactory,
        "project-risks",
        "register",
        {"kind": "risk", "title": "Staff leave", "likelihood": "4", "impact": "5",
         "status": "open"},
        {"title": "Key staff leave", "mitigation": "Retention agreements"},
    ),
    "dependencies": (
        Dependency,
        DependencyFactory,
        "project-risks",
        "register",
        {"description": "The HR system goes live first", "other_project_name": "ESR",
         "status": "open"},
        {"description": "The new HR system goes live first"},
    ),
}
KIND_NAMES = list(KINDS)
ANCHORS = {"principles": "principle", "scenarios": "scenario", "ideas": "idea", "risks": "risk",
           "dependencies": "dependency"}
EDITORS = ["contributor", "lead"]
READERS = ["viewer", "governor"]


def _form_data(item, kind, changes):
    """What the edit form would post for `item` with `changes` made."""
    fields = VIEW_KINDS[kind].form._meta.fields
    data = {name: getattr(item, name) for name in fields if name != "other_project"}
    data = {name: "" if value is None else value for name, value in data.items()}
    if "other_project" in fields:
        data["other_project"] = item.other_project_id or ""
    return {**data, **changes, "version": item.version}


def url(name, project, *args):
    return reverse(f"projects:{name}", args=[project.pk, *args])


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("role", EDITORS)
def test_create_in_place_returns_the_refreshed_section(client, project, member_of, kind, role):
    model, _factory, _page, fragment, new, _change = KINDS[kind]
    client.force_login(member_of(role))
    form = client.get(url("record-create", project, kind), **HTMX)
    assert form.status_code == 200 and f'id="add-{ANCHORS[kind]}"' in form.text
    response = client.post(url("record-create", project, kind), new, **HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div id="{fragment}"')
    assert model.objects.filter(project=project).count() == 1
    assert "Added" in response.text


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_create_without_javascript_redirects_to_the_page(lead_client, project, kind):
    model, _factory, page, _fragment, new, _change = KINDS[kind]
    response = lead_client.post(url("record-create", project, kind), new, follow=True)
    assert response.redirect_chain[-1][0] == url(page, project)
    assert "Added" in response.text
    assert model.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_edit_in_place(lead_client, project, kind):
    model, factory, _page, fragment, _new, change = KINDS[kind]
    item = factory(project=project)
    form = lead_client.get(url("record-edit", project, kind, item.pk), **HTMX)
    assert form.status_code == 200 and 'class="item-form' in form.text
    response = lead_client.post(
        url("record-edit", project, kind, item.pk), _form_data(item, kind, change), **HTMX
    )
    assert response.text.lstrip().startswith(f'<div id="{fragment}"')
    item.refresh_from_db()
    for name, value in change.items():
        assert str(getattr(item, name)) == value
    assert item.version == 2


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_an_edit_from_a_stale_copy_shows_their_version_and_keeps_mine(lead_client, project, kind):
    model, factory, *_rest, change = KINDS[kind]
    item = factory(project=project)
    stale = _form_data(item, kind, change)
    model.objects.filter(pk=item.pk).update(version=2)  # someone else saved in between
    response = lead_client.post(url("record-edit", project, kind, item.pk), stale, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#{ANCHORS[kind]}-{item.pk}-head"
    assert "Someone else saved this" in response.text and "Their version" in response.text
    assert next(iter(change.values())) in response.text  # my change is still in the form
    item.refresh_from_db()
    assert item.version == 2  # nothing saved


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_delete_then_undo(lead_client, project, kind):
    model, factory, _page, fragment, *_ = KINDS[kind]
    item = factory(project=project)
    response = lead_client.post(url("record-delete", project, kind, item.pk), **HTMX)
    assert response.text.lstrip().startswith(f'<div id="{fragment}"')
    assert not model.objects.filter(pk=item.pk).exists()
    assert "Undo" in response.text
    undo = response.context["undo_url"]
    restored = lead_client.post(undo, **HTMX)
    assert restored.status_code == 200 and "Restored" in restored.text
    assert model.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_delete_without_javascript_then_restore_from_the_history_page(lead_client, project, kind):
    model, factory, page, *_ = KINDS[kind]
    item = factory(project=project)
    response = lead_client.post(url("record-delete", project, kind, item.pk), follow=True)
    assert response.redirect_chain[-1][0] == url(page, project)
    assert "The History tab keeps it" in response.text
    history = lead_client.get(url("project-history", project))
    (entry,) = [e for e in history.context["entries"] if e.restorable]
    assert f"Restore<span class=\"visually-hidden\"> {entry.kind}" in history.text
    restore = lead_client.post(
        url("record-restore", project, entry.kind, entry.history_id), follow=True
    )
    assert restore.redirect_chain[-1][0] == url(page, project)
    assert model.objects.filter(pk=item.pk).exists()
    history = lead_client.get(url("project-history", project))
    assert not [e for e in history.context["entries"] if e.restorable]


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("role", READERS)
def test_readers_may_not_create_edit_delete_or_restore(
    client, project, member_of, lead, kind, role
):
    model, factory, _page, _fragment, new, change = KINDS[kind]
    item, gone = factory(project=project), factory(project=project)
    history_id = record_delete(item=gone)
    client.force_login(member_of(role))
    assert client.post(url("record-create", project, kind), new).status_code == 403
    edit = client.post(url("record-edit", project, kind, item.pk), _form_data(item, kind, change))
    assert edit.status_code == 403
    assert client.post(url("record-delete", project, kind, item.pk)).status_code == 403
    restore = client.post(url("record-restore", project, ANCHORS[kind], history_id))
    assert restore.status_code == 403
    assert model.objects.filter(project=project).count() == 1
    page = client.get(url(KINDS[kind][2], project))
    assert page.status_code == 200
    assert ">Edit<" not in page.text and ">Delete<" not in page.text


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_rows_of_another_project_are_not_found_through_this_one(lead_client, project, kind):
    _model, factory, *_ = KINDS[kind]
    other = factory()
    assert lead_client.get(url("record-edit", project, kind, other.pk)).status_code == 404
    assert lead_client.post(url("record-delete", project, kind, other.pk)).status_code == 404


def test_an_outsider_gets_404_everywhere(client, project):
    client.force_login(UserFactory())
    for name in ("project-options", "project-ideas", "project-risks", "project-detail"):
        assert client.get(url(name, project)).status_code == 404


def test_a_deletion_of_another_project_cannot_be_restored_through_this_one(lead_client, project):
    history_id = record_delete(item=RiskFactory())
    response = lead_client.post(url("record-restore", project, "risk", history_id))
    assert response.status_code == 404


def test_an_unknown_kind_cannot_be_restored(lead_client, project):
    assert lead_client.post(url("record-restore", project, "project", 1)).status_code == 404


def test_move_a_scenario_down(lead_client, project):
    first, second = ScenarioFactory(project=project), ScenarioFactory(project=project)
    lead_client.post(url("record-move", project, "scenarios", first.pk), {"direction": "down"})
    assert list(Scenario.objects.filter(project=project)) == [second, first]


def test_the_risk_register_keeps_its_own_order(lead_client, project):
    risk = RiskFactory(project=project)
    response = lead_client.post(url("record-move", project, "risks", risk.pk), {"direction": "up"})
    assert response.status_code == 404


def test_the_register_lists_open_entries_by_rating(lead_client, project):
    RiskFactory(project=project, title="Low", likelihood=1, impact=2)
    RiskFactory(project=project, title="Closed high", likelihood=5, impact=5, status="closed")
    RiskFactory(project=project, title="High", likelihood=4, impact=4)
    response = lead_client.get(url("project-risks", project))
    titles = [risk.title for risk in response.context["risks"]]
    assert titles == ["High", "Low", "Closed high"]
    assert "16 · severe" in response.text


# --- the choice ----------------------------------------------------------------------------


def test_the_lead_marks_a_scenario_chosen(lead_client, project, lead):
    lead.first_name, lead.last_name = "Lena", "Okafor"
    lead.save()
    scenario = ScenarioFactory(project=project, title="Lead employer")
    form = lead_client.get(url("scenario-choose", project, scenario.pk), **HTMX)
    assert 'value="Lena Okafor"' in form.text  # who decided, filled in for the lead
    response = lead_client.post(
        url("scenario-choose", project, scenario.pk),
        {"version": 1, "chosen_on": "2026-05-14", "chosen_by": "Joint programme board"},
        **HTMX,
    )
    assert "“Lead employer” is the chosen scenario." in response.text
    scenario.refresh_from_db()
    assert scenario.is_chosen and scenario.chosen_by == "Joint programme board"
    lead_client.post(url("scenario-unchoose", project, scenario.pk), {"version": 2})
    assert not Scenario.objects.get(pk=scenario.pk).is_chosen


def test_the_choice_needs_a_date_and_a_decision_maker(lead_client, project):
    scenario = ScenarioFactory(project=project)
    response = lead_client.post(
        url("scenario-choose", project, scenario.pk),
        {"version": 1, "chosen_on": "", "chosen_by": ""},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#scenario-{scenario.pk}-head"
    assert response.text.count("This field is required.") == 2
    assert not Scenario.objects.get(pk=scenario.pk).is_chosen


@pytest.mark.parametrize("role", ["contributor", "governor"])
def test_only_the_lead_records_the_choice(client, project, member_of, role):
    scenario = ScenarioFactory(project=project)
    client.force_login(member_of(role))
    data = {"version": 1, "chosen_on": "2026-05-14", "chosen_by": "Board"}
    assert client.post(url("scenario-choose", project, scenario.pk), data).status_code == 403
    page = client.get(url("project-options", project))
    assert "Mark as chosen" not in page.text


# --- the matrix ----------------------------------------------------------------------------


def _matrix_post(form_page, choices):
    """The scores form as the user would post it, with `choices` {field name: score} made."""
    form = form_page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(choices)
    return data


def test_score_the_scenarios_against_the_principles(lead_client, project):
    s1, s2 = ScenarioFactory(project=project), ScenarioFactory(project=project)
    p1, p2 = PrincipleFactory(project=project), PrincipleFactory(project=project)
    page = lead_client.get(url("scores-edit", project), **HTMX)
    assert page.text.lstrip().startswith('<div id="matrix"')
    data = _matrix_post(
        page,
        {
            f"score-{s1.pk}-{p1.pk}": "meets",
            f"score-{s1.pk}-{p2.pk}": "partly",
            f"score-{s2.pk}-{p1.pk}": "does_not",
        },
    )
    response = lead_client.post(url("scores-edit", project), data, **HTMX)
    assert "3 scores changed" in response.text
    scores = {(s.scenario_id, s.principle_id): s.score for s in PrincipleScore.objects.all()}
    assert scores == {(s1.pk, p1.pk): "meets", (s1.pk, p2.pk): "partly", (s2.pk, p1.pk): "does_not"}
    matrix = response.context["matrix"]
    assert [row.meets for row in matrix.rows] == [1, 0]


def test_a_score_changed_by_someone_else_meanwhile_is_shown_not_overwritten(lead_client, project):
    scenario, principle = ScenarioFactory(project=project), PrincipleFactory(project=project)
    page = lead_client.get(url("scores-edit", project), **HTMX)
    ScoreFactory(scenario=scenario, principle=principle, score="does_not")  # someone else
    name = f"score-{scenario.pk}-{principle.pk}"
    response = lead_client.post(
        url("scores-edit", project), _matrix_post(page, {name: "meets"}), **HTMX
    )
    assert response["HX-Retarget"] == "#matrix"
    assert "Someone else changed some of the same scores" in response.text
    assert "Now: Does not meet" in response.text
    assert PrincipleScore.objects.get().score == "does_not"
    # Saving again, having seen theirs, replaces it.
    again = lead_client.post(
        url("scores-edit", project), _matrix_post(response, {name: "meets"}), **HTMX
    )
    assert "1 score changed" in again.text
    assert PrincipleScore.objects.get().score == "meets"


def test_the_matrix_points_out_a_principle_every_scenario_meets(lead_client, project):
    principle = PrincipleFactory(project=project, statement="Staff are treated fairly")
    for _ in range(2):
        ScoreFactory(scenario__project=project, principle=principle, score="meets")
    response = lead_client.get(url("project-options", project))
    assert "is met by every scenario scored against it" in response.text


@pytest.mark.parametrize("role", READERS)
def test_readers_cannot_score(client, project, member_of, role):
    client.force_login(member_of(role))
    assert client.get(url("scores-edit", project)).status_code == 403


# --- ideas ---------------------------------------------------------------------------------


def test_an_idea_needs_a_note_or_a_task(lead_client, project):
    response = lead_client.post(
        url("record-create", project, "ideas"),
        {"note": " ", "task_title": "", "intended_impact": ""},
        **HTMX,
    )
    assert "Write a note, or a task, or both." in response.text
    assert not Idea.objects.exists()


def test_turn_an_idea_into_a_task_and_its_impact(lead_client, project):
    idea = IdeaFactory(project=project, task_title="Visit a shared service", intended_impact="")
    form = lead_client.get(url("idea-make-task", project, idea.pk), **HTMX)
    assert 'value="Visit a shared service"' in form.text
    response = lead_client.post(
        url("idea-make-task", project, idea.pk),
        {"version": 1, "title": "Visit a shared service", "impact": "Seen what good looks like"},
        **HTMX,
    )
    assert "is now a task in the chain, with its impact" in response.text
    task = Task.objects.get(project=project)
    assert [impact.statement for impact in task.impacts.all()] == ["Seen what good looks like"]
    assert f"#task-{task.pk}" in response.text  # the idea links to its task
    assert "Make it a task" not in response.text


def test_an_idea_without_an_impact_does_not_become_a_task(lead_client, project):
    idea = IdeaFactory(project=project)
    response = lead_client.post(
        url("idea-make-task", project, idea.pk),
        {"version": 1, "title": "Visit", "impact": ""},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#idea-{idea.pk}-head"
    assert not Task.objects.exists()


# --- dependencies --------------------------------------------------------------------------


def test_the_dependency_form_offers_only_projects_the_user_can_see(lead_client, project, lead):
    mine = ProjectFactory(title="Regional HR system")
    ProjectRoleFactory(project=mine, user=lead, role="viewer")
    ProjectFactory(title="A secret merger")
    form = lead_client.get(url("record-create", project, "dependencies"))
    assert "Regional HR system" in form.text
    assert "A secret merger" not in form.text
    assert project.title not in form.context["form"].fields["other_project"].queryset.values_list(
        "title", flat=True
    )


def test_a_link_to_a_project_the_reader_cannot_see_is_not_named(client, project, member_of):
    secret = ProjectFactory(title="A secret merger")
    Dependency.objects.create(project=project, description="Needs it", other_project=secret)
    client.force_login(member_of("viewer"))
    for name in ("project-risks", "project-detail"):
        page = client.get(url(name, project))
        assert "A secret merger" not in page.text
        assert "a project in Totem you have no role on" in page.text


def test_editing_a_dependency_keeps_a_link_the_editor_cannot_see(lead_client, project):
    secret = ProjectFactory(title="A secret merger")
    dependency = DependencyFactory(project=project, other_project=secret, other_project_name="")
    form = lead_client.get(url("record-edit", project, "dependencies", dependency.pk))
    assert "A secret merger" not in form.text
    assert "linked to a project in Totem you have no role on" in form.text
    lead_client.post(
        url("record-edit", project, "dependencies", dependency.pk),
        {"description": "Needs it", "other_project_name": "", "owner": "", "status": "met",
         "version": 1},
    )
    dependency.refresh_from_db()
    assert dependency.other_project == secret and dependency.status == "met"


def test_a_dependency_needs_a_project_or_a_name(lead_client, project):
    response = lead_client.post(
        url("record-create", project, "dependencies"),
        {"description": "Something", "other_project": "", "other_project_name": "",
         "status": "open"},
    )
    assert "Choose the other project, or write its name." in response.text
    assert not Dependency.objects.exists()


def test_another_project_that_depends_on_this_one_is_listed_when_visible(
    lead_client, project, lead
):
    theirs = ProjectFactory(title="Shared HR advice")
    ProjectRoleFactory(project=theirs, user=lead, role="viewer")
    Dependency.objects.create(project=theirs, description="Payroll data", other_project=project)
    hidden = ProjectFactory(title="A secret merger")
    Dependency.objects.create(project=hidden, description="Payroll", other_project=project)
    page = lead_client.get(url("project-risks", project))
    assert "Shared HR advice" in page.text and "A secret merger" not in page.text


# --- escaping ------------------------------------------------------------------------------


def test_user_text_is_escaped_everywhere(lead_client, project):
    script = "<script>alert(1)</script>"
    PrincipleFactory(project=project, statement=script, rationale=script, agreed_by=script)
    ScoreFactory(scenario__project=project, scenario__title=script,
                 principle=DesignPrinciple.objects.get())
    IdeaFactory(project=project, note=script, task_title=script)
    RiskFactory(project=project, title=script, mitigation=script)
    DependencyFactory(project=project, description=script, other_project_name=script)
    for name in ("project-options", "project-ideas", "project-risks", "project-detail",
                 "project-history"):
        page = lead_client.get(url(name, project))
        assert script not in page.text, name


def test_an_idea_changed_meanwhile_can_still_be_made_a_task_on_a_second_try(lead_client, project):
    idea = IdeaFactory(project=project)
    Idea.objects.filter(pk=idea.pk).update(version=2)  # someone else saved in between
    data = {"version": 1, "title": "Visit", "impact": "Seen what good looks like"}
    first = lead_client.post(url("idea-make-task", project, idea.pk), data, **HTMX)
    assert "Someone else changed this idea" in first.text
    assert 'name="version" value="2"' in first.text
    lead_client.post(url("idea-make-task", project, idea.pk), {**data, "version": 2}, **HTMX)
    assert Task.objects.filter(project=project).count() == 1


def test_an_archived_project_is_read_only_even_for_its_lead(lead_client, project):
    from django.utils import timezone

    scenario = ScenarioFactory(project=project)
    project.archived_at = timezone.now()
    project.save()
    data = {"version": 1, "chosen_on": "2026-05-14", "chosen_by": "Board"}
    assert lead_client.post(url("scenario-choose", project, scenario.pk), data).status_code == 403
    assert lead_client.post(url("record-create", project, "risks"), {}).status_code == 403
    page = lead_client.get(url("project-options", project))
    assert "Mark as chosen" not in page.text and ">Edit<" not in page.text
