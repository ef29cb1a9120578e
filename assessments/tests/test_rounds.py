"""Self-assessment rounds: the shipped framework, scoring, submitting, re-opening, results,
comparing rounds and sharing with partners."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import charts, defaults, selectors, services
from assessments.demo import SEED_004_LEVELS
from assessments.models import Answer, Assessment, AssessmentEvent, Descriptor
from projects.tests.factories import OrganisationFactory, ProjectFactory

from .factories import framework, member, open_round, score, submitted_round

# The picture of seed 004, component by component: (Starting, Developing).
SEED_004_SPLIT = {
    "Building a shared purpose and vision": (4, 0),
    "Investing in people and culture": (2, 2),
    "Developing leadership behaviours": (3, 2),
    "Building improvement capability and capacity": (5, 0),
    "Embedding improvement into management systems and processes": (2, 2),
}


# --- the shipped framework ----------------------------------------------------------------


def test_the_shipped_framework_has_the_seed_components_questions_and_scale(nhs_impact):
    levels = list(nhs_impact.levels.values_list("name", flat=True))
    domains = [
        (d.name, [q.number for q in d.questions.all()])
        for d in nhs_impact.domains.prefetch_related("questions")
    ]

    assert nhs_impact.status == "published"
    assert len(levels) == 5 and levels[:2] == ["Starting", "Developing"]
    assert [name for name, _ in domains] == list(SEED_004_SPLIT)
    assert [numbers for _, numbers in domains] == [
        [1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12, 13], [14, 15, 16, 17, 18], [19, 20, 21, 22]
    ]
    assert nhs_impact.questions.get(number=18).text == "Staff attend daily huddles"
    assert Descriptor.objects.filter(question__framework=nhs_impact).count() == 22 * 5
    assert services.template_problems(nhs_impact) == []


def test_the_shipped_descriptors_are_in_our_own_words(nhs_impact):
    seed_sentences = [
        "Any huddles are only traditional shift change clinical handovers.",
        "Leadership values and behaviours are agreed across our organisation.",
        "Our Board discusses improvement at Board meetings, but it is not a regular occurrence.",
    ]
    texts = set(Descriptor.objects.values_list("text", flat=True))
    assert not any(sentence in texts for sentence in seed_sentences)


def test_the_shipped_readiness_checklist_has_ten_questions_and_ten_must_haves(
    readiness_template,
):
    items = list(readiness_template.items.all())

    assert [i.kind for i in items] == ["question"] * 10 + ["must_have"] * 10
    assert items[1].text == "Who will take decisions?"
    assert items[10].text == "Mandate from executive board"
    assert items[-1].text == "List of existing parallel projects"
    assert len(defaults.READINESS_QUESTIONS) == len(defaults.READINESS_MUST_HAVES) == 10


# --- seed 004: entering the 22 levels gives its picture -----------------------------------


def test_entering_the_seed_levels_gives_16_starting_and_6_developing(organisation, nhs_impact):
    assessment = open_round(organisation, nhs_impact)

    score(assessment, SEED_004_LEVELS)
    results = selectors.round_results(assessment)

    totals = dict(zip([level.name for level in results.levels], results.totals, strict=True))
    assert totals == {"Starting": 16, "Developing": 6, "Embedding": 0, "Spreading": 0,
                      "Leading": 0}
    split = {d.domain.name: tuple(d.counts[:2]) for d in results.domains}
    assert split == SEED_004_SPLIT
    assert all(sum(d.counts[2:]) == 0 and d.unscored == 0 for d in results.domains)
    levels = {a.question.number: a.level.name for d in results.domains for a in d.answers}
    assert levels == SEED_004_LEVELS


def test_members_score_the_seed_levels_through_the_scoring_pages(
    member_client, organisation, nhs_impact
):
    assessment = open_round(organisation, nhs_impact)
    levels = {level.name: level.pk for level in nhs_impact.levels.all()}
    for domain in nhs_impact.domains.prefetch_related("questions"):
        url = reverse("assessments:round-score", args=[organisation.pk, assessment.pk, domain.pk])
        data = {}
        for question in domain.questions.all():
            data[f"q{question.number}-level"] = levels[SEED_004_LEVELS[question.number]]
            data[f"q{question.number}-evidence"] = f"Evidence for {question.number}"
            data[f"q{question.number}-next_actions"] = ""
        assert member_client.post(url, data).status_code == 302

    detail = reverse("assessments:round-detail", args=[organisation.pk, assessment.pk])
    page = member_client.get(detail)

    assert "<strong>16</strong> Starting" in page.text
    assert "<strong>6</strong> Developing" in page.text
    last = Answer.objects.get(assessment=assessment, question__number=22)
    assert last.evidence == "Evidence for 22"


def test_the_heat_map_draws_a_cell_per_domain_and_level(organisation, nhs_impact):
    assessment = open_round(organisation, nhs_impact)
    score(assessment, SEED_004_LEVELS)

    heatmap = charts.heatmap(selectors.round_results(assessment))

    assert len(heatmap.cells) == 5 * 5
    first_row = [cell.count for cell in heatmap.cells[:5]]
    assert first_row == [4, 0, 0, 0, 0]
    assert heatmap.cells[0].fill == "#1f4e6e"  # all four questions: the darkest shade
    assert heatmap.cells[1].fill == "#f4f8fb"  # none: the lightest
    assert heatmap.cells[0].label.endswith("4 of 4 at Starting")


# --- opening, scoring, submitting, re-opening ---------------------------------------------


def test_an_org_admin_opens_a_round_for_projects_of_the_organisation(
    org_admin_client, organisation, nhs_impact
):
    project = ProjectFactory(lead_organisation=organisation)
    ProjectFactory()  # another organisation's project is not offered
    url = reverse("assessments:round-create", args=[organisation.pk])

    form = org_admin_client.get(url)
    response = org_admin_client.post(url, {
        "name": "Baseline 2026", "assessed_on": "2026-03-12", "framework": nhs_impact.pk,
        "projects": [project.pk],
    })

    assert form.text.count('name="projects"') == 1
    assessment = Assessment.objects.get(organisation=organisation)
    assert response["Location"] == reverse(
        "assessments:round-detail", args=[organisation.pk, assessment.pk]
    )
    assert (assessment.name, assessment.status) == ("Baseline 2026", "open")
    assert list(assessment.projects.all()) == [project]
    assert assessment.answers.count() == 22
    assert assessment.events.get().kind == AssessmentEvent.Kind.OPENED


def test_a_round_cannot_concern_another_organisations_project(organisation, nhs_impact):
    with pytest.raises(ValidationError):
        services.assessment_open(
            organisation=organisation, framework=nhs_impact, name="x",
            assessed_on=datetime.date(2026, 1, 1), user=None, projects=[ProjectFactory()],
        )


def test_submitting_needs_every_question_scored(organisation, nhs_impact):
    assessment = open_round(organisation, nhs_impact)
    score(assessment, dict.fromkeys(range(1, 21), "Starting"))

    with pytest.raises(ValidationError, match=r"2 still to do \(21, 22\)"):
        services.assessment_submit(assessment=assessment, user=None)
    assessment.refresh_from_db()
    assert assessment.is_open


def test_a_member_submits_and_the_scores_are_locked(member_client, organisation, nhs_impact):
    assessment = open_round(organisation, nhs_impact)
    score(assessment, SEED_004_LEVELS)
    args = [organisation.pk, assessment.pk]

    response = member_client.post(reverse("assessments:round-submit", args=args))

    assessment.refresh_from_db()
    assert response.status_code == 302 and assessment.status == "submitted"
    with pytest.raises(ValidationError, match="locked"):
        score(assessment, {1: "Leading"})
    domain = nhs_impact.domains.first()
    scoring = member_client.get(reverse("assessments:round-score", args=[*args, domain.pk]))
    assert scoring.status_code == 302
    imported = member_client.post(reverse("assessments:round-import", args=args))
    assert "scores are locked" in imported.text
    assert assessment.answers.get(question__number=1).level.name == "Starting"


def test_reopening_is_an_explicit_recorded_action_of_an_org_admin(
    client, organisation, nhs_impact
):
    assessment = submitted_round(organisation, nhs_impact, SEED_004_LEVELS)
    url = reverse("assessments:round-reopen", args=[organisation.pk, assessment.pk])
    admin = member(organisation, "admin")
    client.force_login(member(organisation))
    assert client.post(url, {"reason": "Please"}).status_code == 403

    client.force_login(admin)
    client.post(url, {"reason": ""})
    assessment.refresh_from_db()
    assert assessment.status == "submitted"  # no reason, no re-opening

    client.post(url, {"reason": "Re-scoring after the autumn workshop"})
    assessment.refresh_from_db()
    event = assessment.events.first()
    assert assessment.status == "open"
    assert (event.kind, event.user, event.note) == (
        "reopened", admin, "Re-scoring after the autumn workshop"
    )
    assert assessment.history.filter(status="open").count() == 2  # opened, then re-opened


def test_saving_as_you_go_posts_one_question_and_answers_with_a_status(
    member_client, organisation, nhs_impact
):
    assessment = open_round(organisation, nhs_impact)
    score(assessment, {2: "Leading"})
    domain = nhs_impact.domains.first()
    level = nhs_impact.levels.get(name="Developing")
    url = reverse("assessments:round-score", args=[organisation.pk, assessment.pk, domain.pk])
    one_question = {"q1-level": level.pk, "q1-evidence": "", "q1-next_actions": ""}

    response = member_client.post(url, one_question, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Saved at" in response.text and "<strong>2 of 22</strong>" in response.text
    assert assessment.answers.get(question__number=1).level == level
    assert assessment.answers.get(question__number=2).level.name == "Leading"  # not posted


def test_scoring_records_who_changed_what(member_client, org_member, organisation, nhs_impact):
    assessment = open_round(organisation, nhs_impact)
    domain = nhs_impact.domains.first()
    url = reverse("assessments:round-score", args=[organisation.pk, assessment.pk, domain.pk])
    starting = nhs_impact.levels.get(position=1)

    member_client.post(url, {"q1-level": starting.pk, "q1-evidence": "Board minutes"})

    record = Answer.history.filter(question__number=1, assessment=assessment).first()
    assert (record.history_user, record.level_id, record.evidence) == (
        org_member, starting.pk, "Board minutes"
    )
    assert Answer.history.filter(assessment=assessment, history_type="~").count() == 1


def test_every_change_of_a_score_is_in_the_rounds_log(
    member_client, org_member, organisation, nhs_impact
):
    assessment = open_round(organisation, nhs_impact)
    domain = nhs_impact.domains.first()
    url = reverse("assessments:round-score", args=[organisation.pk, assessment.pk, domain.pk])
    starting, developing = (nhs_impact.levels.get(position=n) for n in (1, 2))

    member_client.post(url, {"q1-level": starting.pk, "q1-evidence": ""})
    member_client.post(url, {"q1-level": developing.pk, "q1-evidence": "Minutes"})  # a stray click
    member_client.post(url, {"q1-level": developing.pk, "q1-evidence": "Board minutes"})

    scored = AssessmentEvent.objects.filter(assessment=assessment, kind="scored").order_by("pk")
    assert [(e.user, e.note) for e in scored] == [
        (org_member, "Question 1: not scored → Starting"),
        (org_member, "Question 1: Starting → Developing"),
    ]  # the evidence edit is not a change of score
    assert all(e.at for e in scored)
    page = member_client.get(
        reverse("assessments:round-detail", args=[organisation.pk, assessment.pk])
    ).text
    assert "Score changed" in page and "Question 1: Starting → Developing" in page


# --- comparing two rounds -----------------------------------------------------------------


def test_comparing_two_rounds_reports_the_movers(organisation):
    scale = framework(levels=("Low", "Middle", "High"), domains=(("Only", 5),))
    before = submitted_round(organisation, scale, {1: "Low", 2: "Middle", 3: "High", 4: "Middle",
                                                   5: "Low"})
    after = submitted_round(organisation, scale, {1: "High", 2: "Middle", 3: "Middle", 4: "High",
                                                  5: "Low"}, name="Re-measure")

    comparison = selectors.rounds_compare(before, after)

    assert [(q.number, q.steps) for q in comparison.up] == [(1, 2), (4, 1)]
    assert [(q.number, q.steps) for q in comparison.down] == [(3, -1)]
    assert [q.number for q in comparison.same] == [2, 5]
    assert comparison.same_organisation


def test_comparison_matches_questions_and_levels_across_framework_versions(organisation):
    first_version = framework(levels=("Low", "High"), domains=(("Only", 2),))
    before = submitted_round(organisation, first_version, {1: "Low", 2: "High"})
    second_version = services.template_new_version(template=first_version)
    second_version.levels.filter(position=2).update(name="Strong")
    second_version.questions.filter(number=2).delete()
    services.template_publish(template=second_version)
    after = open_round(organisation, second_version, name="Later")
    score(after, {1: "Strong"})

    comparison = selectors.rounds_compare(before, after)

    assert [(q.number, q.change) for q in comparison.questions] == [(1, "up")]
    assert comparison.only_in_one == [2]


def test_rounds_of_different_frameworks_are_not_compared(member_client, organisation, nhs_impact):
    one = open_round(organisation, nhs_impact)
    other = open_round(organisation, framework())
    url = reverse("assessments:round-compare", args=[organisation.pk])

    response = member_client.get(url, {"first": one.pk, "second": other.pk})

    assert "only rounds of the same framework can be compared" in response.text


def test_the_compare_page_lists_movers_up_and_down(member_client, organisation, nhs_impact):
    before = submitted_round(organisation, nhs_impact, SEED_004_LEVELS)
    after = submitted_round(
        organisation, nhs_impact, SEED_004_LEVELS | {1: "Embedding", 7: "Starting"}, name="Later"
    )
    url = reverse("assessments:round-compare", args=[organisation.pk])

    response = member_client.get(url, {"first": before.pk, "second": after.pk})

    assert "<strong>1</strong> moved up" in response.text
    assert "<strong>1</strong> moved down" in response.text
    assert "<strong>20</strong> stayed the same" in response.text
    assert "Board and executives setting the shared purpose and vision — Starting → Embedding" in (
        response.text
    )


# --- sharing with partners ----------------------------------------------------------------


def test_sharing_rules_hold_both_ways(client, organisation, partner, nhs_impact):
    ours = submitted_round(organisation, nhs_impact, SEED_004_LEVELS, name="Ours")
    theirs = submitted_round(partner, nhs_impact, SEED_004_LEVELS, name="Theirs")
    services.assessment_share_set(assessment=ours, partners=[partner], user=None)

    # The partner sees our round; we do not see theirs, which they did not share.
    assert list(selectors.visible_rounds(partner)) == [ours, theirs]
    assert list(selectors.visible_rounds(organisation)) == [ours]
    assert list(selectors.rounds_shared_with(partner)) == [ours]
    assert list(selectors.rounds_shared_with(organisation)) == []

    client.force_login(member(organisation))
    compare = reverse("assessments:round-compare", args=[organisation.pk])
    refused = client.get(compare, {"first": ours.pk, "second": theirs.pk})
    assert "Select a valid choice" in refused.text and "Theirs" not in refused.text
    detail = reverse("assessments:round-detail", args=[organisation.pk, theirs.pk])
    assert client.get(detail).status_code == 404
    partner_list = reverse("assessments:round-list", args=[partner.pk])
    assert client.get(partner_list).status_code == 404

    client.force_login(member(partner))
    compare = reverse("assessments:round-compare", args=[partner.pk])
    allowed = client.get(compare, {"first": theirs.pk, "second": ours.pk})
    assert "compared with NVH “Ours”" in allowed.text
    assert "the same in both" in allowed.text


def test_a_third_organisation_sees_nothing(client, organisation, partner, nhs_impact):
    ours = submitted_round(organisation, nhs_impact, SEED_004_LEVELS, name="Ours")
    services.assessment_share_set(assessment=ours, partners=[partner], user=None)

    third = OrganisationFactory()
    assert list(selectors.visible_rounds(third)) == []
    client.force_login(member(third))
    response = client.get(reverse("assessments:round-list", args=[third.pk]))
    assert "Ours" not in response.text


def test_only_a_submitted_round_is_shared_and_reopening_hides_it(
    organisation, partner, nhs_impact
):
    assessment = open_round(organisation, nhs_impact)
    with pytest.raises(ValidationError, match="Submit the round before sharing"):
        services.assessment_share_set(assessment=assessment, partners=[partner], user=None)

    score(assessment, SEED_004_LEVELS)
    assessment = services.assessment_submit(assessment=assessment, user=None)
    services.assessment_share_set(assessment=assessment, partners=[partner], user=None)
    assert list(selectors.rounds_shared_with(partner)) == [assessment]

    services.assessment_reopen(assessment=assessment, user=None, reason="Re-score")
    assert list(selectors.rounds_shared_with(partner)) == []
    assert list(selectors.visible_rounds(partner)) == []


def test_an_org_admin_chooses_partners_and_the_change_is_logged(
    org_admin_client, organisation, partner, nhs_impact
):
    assessment = submitted_round(organisation, nhs_impact, SEED_004_LEVELS)
    url = reverse("assessments:round-sharing", args=[organisation.pk, assessment.pk])

    org_admin_client.post(url, {"add": "  riverside   community NHS trust "})

    assert [s.partner for s in assessment.shares.all()] == [partner]
    assert assessment.events.first().note == "Shared with Riverside Community NHS Trust"
    page = org_admin_client.get(url)
    assert 'name="keep"' in page.text and "Riverside Community NHS Trust" in page.text

    org_admin_client.post(url, {})
    assert not assessment.shares.exists()
    assert assessment.events.first().note == "No longer shared with Riverside Community NHS Trust"


def test_a_round_is_never_shared_with_its_own_organisation(organisation, nhs_impact):
    assessment = submitted_round(organisation, nhs_impact, SEED_004_LEVELS)

    with pytest.raises(ValidationError):
        services.assessment_share_set(assessment=assessment, partners=[organisation], user=None)


def test_the_home_page_links_to_each_organisations_rounds(member_client, organisation, nhs_impact):
    open_round(organisation, nhs_impact)

    response = member_client.get(reverse("home"))

    assert reverse("assessments:round-list", args=[organisation.pk]) in response.text
    assert "1 open for scoring" in response.text


# --- pages read in a fixed number of queries ----------------------------------------------


def test_results_and_comparisons_take_a_fixed_number_of_queries(
    django_assert_num_queries, organisation, nhs_impact
):
    rounds = Assessment.objects.select_related("framework")  # as the views load them
    before = rounds.get(pk=submitted_round(organisation, nhs_impact, SEED_004_LEVELS).pk)
    after = rounds.get(pk=open_round(organisation, nhs_impact, name="Later").pk)

    with django_assert_num_queries(3):
        selectors.round_results(before)
    with django_assert_num_queries(6):
        selectors.rounds_compare(before, after)


@pytest.mark.parametrize("page", ["round-detail", "round-score", "round-import", "round-list"])
def test_round_pages_render_cleanly(member_client, organisation, nhs_impact, page):
    assessment = open_round(organisation, nhs_impact)
    args = {
        "round-detail": [organisation.pk, assessment.pk],
        "round-score": [organisation.pk, assessment.pk, nhs_impact.domains.first().pk],
        "round-import": [organisation.pk, assessment.pk],
        "round-list": [organisation.pk],
    }[page]

    response = member_client.get(reverse(f"assessments:{page}", args=args))

    assert response.status_code == 200
    assert "{#" not in response.text and "{%" not in response.text  # no template text leaks
