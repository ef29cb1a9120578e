"""Nothing tells a person which other organisations use Totem: the new-project form and the
round-sharing page offer only the person's own organisations, and partners are named by their
exact name or code."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.tests.factories import open_round
from projects.models import Project, ProjectRole
from projects.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW = reverse("projects:project-create")


@pytest.fixture
def orgs():
    return {
        "ours": OrganisationFactory(name="North Vale Hospitals NHS Trust", code="RNV"),
        "second": OrganisationFactory(name="North Vale College", code="10001234"),
        "partner": OrganisationFactory(name="Riverside Community NHS Trust", code="RRC"),
        "stranger": OrganisationFactory(name="Secret Harbour Trust", code="RSH"),
    }


def person_in(client, *organisations):
    user = UserFactory()
    for organisation in organisations:
        MembershipFactory(user=user, organisation=organisation)
    client.force_login(user)
    return user


def create(client, lead, partners="", title="Shared payroll"):
    return client.post(
        NEW,
        {"title": title, "stage": "scoping", "lead_organisation": lead.pk,
         "partner_organisations": partners},
    )


def test_the_new_project_form_offers_only_the_persons_organisation_and_preselects_it(
    client, orgs
):
    person_in(client, orgs["ours"])
    page = client.get(NEW).text
    assert f'<option value="{orgs["ours"].pk}" selected>' in page
    for other in ("second", "partner", "stranger"):
        assert orgs[other].name not in page
    assert 'type="checkbox" name="partner_organisations"' not in page


def test_with_two_organisations_both_are_offered_and_neither_is_chosen_for_them(client, orgs):
    person_in(client, orgs["ours"], orgs["second"])
    page = client.get(NEW).text
    assert orgs["ours"].name in page and orgs["second"].name in page
    select = page.split('name="lead_organisation"')[1].split("</select>")[0]
    assert '<option value="" selected>' in select and select.count(" selected>") == 1
    assert orgs["partner"].name not in page and orgs["stranger"].name not in page


def test_an_organisation_the_person_is_not_in_cannot_be_made_lead(client, orgs):
    person_in(client, orgs["ours"])
    response = create(client, orgs["stranger"])
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not Project.objects.exists()


def test_partners_are_found_by_exact_name_or_code(client, orgs):
    person_in(client, orgs["ours"])
    response = create(client, orgs["ours"], "  riverside community   nhs trust \r\nrsh\r\n")
    assert response.status_code == 302
    project = Project.objects.get()
    assert set(project.partner_organisations.all()) == {orgs["partner"], orgs["stranger"]}
    edit = client.get(reverse("projects:project-edit", args=[project.pk])).text
    assert "Riverside Community NHS Trust\nSecret Harbour Trust" in edit


@pytest.mark.parametrize("named", ["Riverside", "Riverside Community", "RR", "Trust"])
def test_a_part_of_a_name_finds_nothing_and_says_so(client, orgs, named):
    person_in(client, orgs["ours"])
    response = create(client, orgs["ours"], named)
    assert response.status_code == 200
    assert f"No organisation in Totem has the exact name or code “{named}”" in response.text
    assert orgs["partner"].name not in response.text
    assert not Project.objects.exists()


@pytest.mark.parametrize("named", ["North Vale Hospitals NHS Trust", "rnv"])
def test_the_lead_is_refused_as_its_own_partner(client, orgs, named):
    person_in(client, orgs["ours"])
    response = create(client, orgs["ours"], named)
    assert response.status_code == 200
    assert "North Vale Hospitals NHS Trust leads the project, so it cannot also be one of its " \
        "partners." in response.text
    assert not Project.objects.exists()


def test_the_lead_is_refused_as_its_own_partner_when_the_project_is_edited(client, orgs):
    project = ProjectFactory(lead_organisation=orgs["ours"])
    lead = person_in(client, orgs["ours"])
    ProjectRoleFactory(project=project, user=lead, role=ProjectRole.Role.LEAD)
    url = reverse("projects:project-edit", args=[project.pk])
    response = client.post(url, {"title": project.title, "stage": "scoping", "version": 1,
                                 "partner_organisations": "RNV"})
    assert response.status_code == 200 and "cannot also be one of its partners" in response.text
    assert not project.partner_organisations.exists()


def test_the_service_refuses_the_lead_as_its_own_partner_too(orgs):
    from django.core.exceptions import ValidationError

    from projects.services import project_create

    user = UserFactory()
    MembershipFactory(user=user, organisation=orgs["ours"])
    with pytest.raises(ValidationError, match="cannot also be one of its partners"):
        project_create(user=user, title="T", lead_organisation=orgs["ours"],
                       partner_organisations=[orgs["ours"]])


# --- sharing a self-assessment round -----------------------------------------------------------


@pytest.fixture
def submitted(orgs):
    from assessments import defaults, services
    from assessments.models import Framework

    framework = Framework.objects.get(slug=defaults.FRAMEWORK_SLUG, version=1)
    assessment = open_round(orgs["ours"], framework, day=datetime.date(2026, 3, 1))
    levels = list(framework.levels.all())
    for answer in assessment.answers.all():
        answer.level = levels[0]
        answer.save()
    return services.assessment_submit(assessment=assessment, user=None)


def sharing(client, orgs, submitted):
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=orgs["ours"], role="admin")
    client.force_login(admin)
    return reverse("assessments:round-sharing", args=[orgs["ours"].pk, submitted.pk])


def test_the_sharing_page_lists_no_other_organisation(client, orgs, submitted):
    page = client.get(sharing(client, orgs, submitted)).text
    for other in ("second", "partner", "stranger"):
        assert orgs[other].name not in page


def test_a_round_is_shared_by_code_and_then_listed_to_untick(client, orgs, submitted):
    url = sharing(client, orgs, submitted)
    assert client.post(url, {"add": "rrc"}).status_code == 302
    assert [share.partner for share in submitted.shares.all()] == [orgs["partner"]]
    page = client.get(url).text
    assert orgs["partner"].name in page and orgs["stranger"].name not in page
    assert client.post(url, {"keep": [orgs["partner"].pk], "add": "Secret Harbour Trust"})
    assert {s.partner for s in submitted.shares.all()} == {orgs["partner"], orgs["stranger"]}
    client.post(url, {"keep": [orgs["stranger"].pk]})
    assert [share.partner for share in submitted.shares.all()] == [orgs["stranger"]]


def test_sharing_refuses_unknown_names_and_the_rounds_own_organisation(client, orgs, submitted):
    url = sharing(client, orgs, submitted)
    response = client.post(url, {"add": "Riverside"})
    assert "No organisation in Totem has the exact name or code “Riverside”" in response.text
    response = client.post(url, {"add": "RNV"})
    assert "own organisation: it always sees it" in response.text
    # Ticking an organisation it is not shared with (a forged post) does nothing either.
    response = client.post(url, {"keep": [orgs["stranger"].pk]})
    assert not submitted.shares.exists()
    assert Assessment.objects.count() == 1


def test_a_lead_from_a_partner_organisation_edits_the_project_and_sees_only_its_lead(
    client, orgs
):
    project = ProjectFactory(lead_organisation=orgs["ours"])
    project.partner_organisations.add(orgs["partner"])
    lead = person_in(client, orgs["partner"])
    ProjectRoleFactory(project=project, user=lead, role=ProjectRole.Role.LEAD)
    url = reverse("projects:project-edit", args=[project.pk])
    page = client.get(url).text
    assert orgs["ours"].name in page and orgs["stranger"].name not in page
    response = client.post(url, {"title": "Renamed", "stage": "design", "version": 1,
                                 "partner_organisations": "RRC"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Renamed" and project.lead_organisation == orgs["ours"]
