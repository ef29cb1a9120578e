"""Readiness checklists for a project: answers, the summary and the verdict, and who may do what."""

import datetime

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Checklist, ChecklistResponse
from projects.models import ProjectRole

from .factories import checklist_template

Answer = ChecklistResponse.Answer


def _answer(checklist, answers: dict[int, tuple]):
    """answers: item position -> ResponseInput fields."""
    responses = {r.item.position: r for r in checklist.responses.select_related("item")}
    return services.checklist_record_answers(
        checklist=checklist,
        answers={responses[p].pk: services.ResponseInput(*fields) for p, fields in answers.items()},
    )


@pytest.fixture
def checklist(project, readiness_template):
    return services.checklist_start(
        project=project, template=readiness_template, title="Gateway before design", user=None
    )


def _post_data(checklist, changes: dict[int, dict]):
    """The checklist page's form as submitted, with `changes` by item position."""
    data = {}
    for response in checklist.responses.select_related("item"):
        fields = {"answer": response.answer, "evidence": response.evidence,
                  "owner": response.owner, "due": response.due or ""}
        fields |= changes.get(response.item.position, {})
        data |= {f"r{response.pk}-{name}": value for name, value in fields.items()}
    return data


def test_starting_a_checklist_makes_a_response_per_item(checklist):
    assert checklist.responses.count() == 20
    assert not checklist.responses.exclude(answer="").exists()


def test_the_summary_counts_must_haves_met_and_lists_open_gaps(checklist):
    due = datetime.date(2026, 12, 1)
    met = dict.fromkeys(range(11, 18), ("yes",))  # seven of the ten must-haves
    _answer(checklist, met | {
        18: ("partly", "Two sites missing", "Lena", due), 19: ("no",), 2: ("yes",), 3: ("no",)
    })

    summary = selectors.checklist_summary(checklist)

    assert (summary.must_haves_met, summary.must_haves_applicable) == (7, 10)
    assert summary.verdict == "Not ready to proceed"
    assert summary.questions_answered == 2
    gaps = [(g.item.position, g.answer, g.owner, g.due) for g in summary.gaps]
    assert gaps[:3] == [(18, "partly", "Lena", due), (19, "no", "", None), (20, "", "", None)]
    assert [g[0] for g in gaps[3:]] == [1, 3, 4, 5, 6, 7, 8, 9, 10]


def test_ready_to_proceed_only_when_every_must_have_is_met(checklist):
    _answer(checklist, dict.fromkeys(range(11, 20), ("yes",)))
    assert not selectors.checklist_summary(checklist).ready

    _answer(checklist, {20: ("partly",)})
    assert not selectors.checklist_summary(checklist).ready

    _answer(checklist, {20: ("yes",)})
    summary = selectors.checklist_summary(checklist)
    assert summary.ready and summary.verdict == "Ready to proceed"
    assert len(summary.gaps) == 10  # the unanswered questions are still open gaps


def test_a_must_have_marked_not_applicable_needs_a_reason_and_leaves_the_count(checklist):
    _answer(checklist, dict.fromkeys(range(11, 20), ("yes",)))

    with pytest.raises(services.ChecklistAnswersInvalid):
        _answer(checklist, {20: ("na", "")})
    assert checklist.responses.get(item__position=20).answer == ""

    _answer(checklist, {20: ("na", "Single-trust project: no STP location data")})
    summary = selectors.checklist_summary(checklist)
    assert (summary.must_haves_met, summary.must_haves_applicable) == (9, 9)
    assert summary.must_haves_not_applicable == 1
    assert summary.ready


def test_only_changed_answers_are_saved_and_recorded(checklist):
    assert _answer(checklist, {1: ("yes", "Board minute")}) == 1
    assert _answer(checklist, {1: ("yes", "Board minute"), 2: ("",)}) == 0

    response = checklist.responses.get(item__position=1)
    assert list(response.history.values_list("history_type", flat=True)) == ["~", "+"]


def test_a_project_keeps_every_checklist_and_shows_the_latest(project, readiness_template):
    template = checklist_template(must_haves=1, questions=0)
    first = services.checklist_start(project=project, template=template, title="Before design",
                                     user=None)
    _answer(first, {1: ("yes",)})
    second = services.checklist_start(
        project=project, template=readiness_template, title="Before implementation", user=None
    )

    assert [s.checklist for s in selectors.project_checklists(project)] == [second, first]
    latest = selectors.readiness_summary(project)
    assert latest.checklist == second and not latest.ready
    assert selectors.checklist_summary(first).ready


def test_readiness_summary_is_none_before_the_first_checklist(project):
    assert selectors.readiness_summary(project) is None


# --- through the pages --------------------------------------------------------------------


def test_a_lead_starts_fills_in_and_sees_the_verdict(lead_client, project, readiness_template):
    start = reverse("assessments:checklist-create", args=[project.pk])
    response = lead_client.post(start, {"template": readiness_template.pk, "title": "Gateway"})
    checklist = Checklist.objects.get(project=project)
    url = reverse("assessments:checklist-detail", args=[project.pk, checklist.pk])
    assert response["Location"] == url

    changes = {p: {"answer": "yes"} for p in range(11, 18)}
    changes[18] = {"answer": "no", "owner": "Lena Okafor", "due": "2026-12-01"}
    lead_client.post(url, _post_data(checklist, changes))
    page = lead_client.get(url)

    assert "<strong>7 of 10</strong> must-haves met" in page.text
    assert "Not ready to proceed" in page.text
    assert "Lena Okafor · due 1 Dec 2026" in page.text

    everything = {p: {"answer": "yes"} for p in range(11, 21)}
    lead_client.post(url, _post_data(checklist, everything))
    page = lead_client.get(url)
    assert "<strong>10 of 10</strong> must-haves met" in page.text
    assert "Ready to proceed" in page.text and "Not ready" not in page.text


def test_a_bad_answer_is_shown_on_its_item_and_nothing_is_saved(lead_client, project, checklist):
    url = reverse("assessments:checklist-detail", args=[project.pk, checklist.pk])
    changes = {1: {"answer": "yes"}, 20: {"answer": "na", "evidence": ""}}

    response = lead_client.post(url, _post_data(checklist, changes))

    assert response.status_code == 200
    assert "Say why this must-have does not apply" in response.text
    assert not checklist.responses.exclude(answer="").exists()


def test_a_governor_reads_the_checklist_but_cannot_answer(
    client, member_of, project, checklist
):
    client.force_login(member_of(ProjectRole.Role.GOVERNOR))
    url = reverse("assessments:checklist-detail", args=[project.pk, checklist.pk])
    _answer(checklist, {1: ("yes", "Board minute 2026/041")})

    page = client.get(url)
    refused = client.post(url, _post_data(checklist, {2: {"answer": "yes"}}))

    assert page.status_code == 200
    assert "Board minute 2026/041" in page.text and 'type="radio"' not in page.text
    assert refused.status_code == 403
    assert checklist.responses.get(item__position=2).answer == ""


def _one_item(checklist, position, **fields):
    """What htmx posts when one item changes: that item's fields alone."""
    response = checklist.responses.get(item__position=position)
    values = {"answer": "", "evidence": "", "owner": "", "due": ""} | fields
    return {f"r{response.pk}-{name}": value for name, value in values.items()}


def test_an_answer_is_saved_as_it_is_given_with_htmx(lead_client, project, checklist):
    _answer(checklist, {2: ("no",)})
    url = reverse("assessments:checklist-detail", args=[project.pk, checklist.pk])

    response = lead_client.post(
        url, _one_item(checklist, 11, answer="yes", evidence="Signed mandate"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Saved at" in response.text
    assert 'id="readiness-summary" hx-swap-oob="true"' in response.text
    assert "<strong>1 of 10</strong> must-haves met" in response.text
    assert 'hx-swap-oob="true"><span class="badge answer-yes">Yes</span>' in response.text
    saved = checklist.responses.get(item__position=11)
    assert (saved.answer, saved.evidence) == ("yes", "Signed mandate")
    assert checklist.responses.get(item__position=2).answer == "no"  # not posted, kept


def test_an_autosaved_bad_answer_says_why_and_saves_nothing(lead_client, project, checklist):
    url = reverse("assessments:checklist-detail", args=[project.pk, checklist.pk])

    response = lead_client.post(
        url, _one_item(checklist, 20, answer="na"), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Not saved: Say why this must-have does not apply" in response.text
    assert checklist.responses.get(item__position=20).answer == ""


def test_a_governor_cannot_autosave_and_a_stranger_finds_nothing(
    client, member_of, project, checklist
):
    from projects.tests.factories import UserFactory

    url = reverse("assessments:checklist-detail", args=[project.pk, checklist.pk])
    one = _one_item(checklist, 11, answer="yes")
    client.force_login(member_of(ProjectRole.Role.GOVERNOR))
    assert client.post(url, one, HTTP_HX_REQUEST="true").status_code == 403
    client.force_login(UserFactory())
    assert client.post(url, one, HTTP_HX_REQUEST="true").status_code == 404
    assert checklist.responses.get(item__position=11).answer == ""


def test_a_checklist_of_another_project_is_not_found(lead_client, project, readiness_template):
    from projects.tests.factories import ProjectFactory

    elsewhere = services.checklist_start(
        project=ProjectFactory(), template=readiness_template, title="Theirs", user=None
    )
    url = reverse("assessments:checklist-detail", args=[project.pk, elsewhere.pk])

    assert lead_client.get(url).status_code == 404


def test_the_readiness_page_lists_checklists_with_their_verdicts(
    lead_client, project, checklist
):
    _answer(checklist, dict.fromkeys(range(11, 21), ("yes",)))

    page = lead_client.get(reverse("assessments:readiness", args=[project.pk]))

    assert "Gateway before design" in page.text
    assert "10 of 10" in page.text and "Ready to proceed" in page.text


def test_the_project_overview_shows_the_readiness_verdict(client, project, member_of):
    from django.urls import reverse

    from assessments import services as assessment_services
    from assessments.models import ChecklistTemplate

    lead = member_of("lead")
    template = ChecklistTemplate.objects.filter(status="published").first()
    assessment_services.checklist_start(
        project=project, template=template, title="Gateway 1", user=lead
    )
    client.force_login(lead)
    page = client.get(reverse("projects:project-detail", args=[project.pk])).text
    assert "0 of 10</strong> must-haves met" in page
    assert "Open the checklist" in page
