"""Who may download a stored pack, whatever happens while it waits, renders or sits in storage.

For each kind of pack with more than one reader — a project's governors' pack, an
organisation's portfolio, a self-assessment round's report — each change of who may see
what (a role or a share granted, a role or a share removed, a project archived or a round
re-opened) is made at each moment of the pack's life: while it is queued, while the worker
is rendering it, and after it is stored. Then, for every reader, two things are checked
against the PDF itself (its text, as pypdf reads it):

- the pack's record (`project_ids`, `assessment_ids`) names exactly what the PDF shows;
- the reader downloads it (200) if and only if they may, now, see every project or round
  that the PDF shows — asked of the pages themselves, not of the access code under test.

The PDFs are real (WeasyPrint); the "rendering" moment runs the change inside the render.
"""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.selectors import visible_rounds
from projects.models import Project, ProjectRole
from projects.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)
from totem import pdf
from totem.models import Pack
from totem.packs import services
from totem.tests.test_packs import submitted_round

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

STAGES = ["queued", "rendering", "rendered"]
EVENTS = ["granted", "removed", "archived"]
VIEWER = ProjectRole.Role.VIEWER


@pytest.fixture
def worker(monkeypatch):
    """Queue packs without rendering them; `worker.run(pack, during=change)` renders a queued
    pack as the background worker does, making `change` while the PDF is being drawn."""
    from totem.packs import tasks

    real = pdf.render_pdf

    class Worker:
        def enqueue(self, pack_id):
            pass

        def run(self, pack, during=None):
            if during is not None:

                def render_with_a_change(*args, **kwargs):
                    during()
                    return real(*args, **kwargs)

                monkeypatch.setattr(services.pdf, "render_pdf", render_with_a_change)
            services.pack_render(pack_id=pack.pk)
            monkeypatch.setattr(services.pdf, "render_pdf", real)
            pack.refresh_from_db()
            assert pack.is_ready, pack.error

    worker = Worker()
    monkeypatch.setattr(tasks, "render_pack", worker)
    return worker


def pdf_text(pack: Pack) -> str:
    with pack.file.open("rb") as stored:
        reader = pypdf.PdfReader(io.BytesIO(stored.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def live_through(stage: str, worker, request, change):
    """Ask for the pack, make `change` at `stage`, and return the stored pack."""
    pack = request()
    assert pack.status == Pack.Status.QUEUED
    if stage == "queued":
        change()
        worker.run(pack)
    elif stage == "rendering":
        worker.run(pack, during=change)
    else:
        worker.run(pack)
        change()
    return pack


def sees_project(client, user, project) -> bool:
    client.force_login(user)
    return client.get(reverse("projects:project-detail", args=[project.pk])).status_code == 200


def downloads(client, user, url) -> bool:
    client.force_login(user)
    status = client.get(url).status_code
    assert status in (200, 404), status
    return status == 200


def archive(project):
    Project.objects.filter(pk=project.pk).update(archived_at=timezone.now())


# --- portfolio packs ---------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("event", EVENTS)
def test_a_portfolio_is_read_only_by_those_who_see_every_project_in_it(
    client, worker, event, stage
):
    organisation = OrganisationFactory(name="North Vale Hospitals")
    open_one = ProjectFactory(title="Zephyr Open Project", lead_organisation=organisation)
    second = ProjectFactory(title="Quokka Second Project", lead_organisation=organisation)
    secret = ProjectFactory(title="Basilisk Confidential Project", lead_organisation=organisation)
    projects = [open_one, second, secret]

    def person(*seen):
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation)
        for project in seen:
            ProjectRoleFactory(project=project, user=user, role=VIEWER)
        return user

    requester = person(open_one, second)
    readers = [requester, person(open_one, second), person(open_one), person(*projects)]
    change = {
        "granted": lambda: ProjectRoleFactory(project=secret, user=requester, role=VIEWER),
        "removed": lambda: ProjectRole.objects.filter(user=requester, project=second).delete(),
        "archived": lambda: archive(second),
    }[event]

    def ask():
        return services.pack_request(
            kind=Pack.Kind.PORTFOLIO, organisation=organisation, user=requester
        )

    pack = live_through(stage, worker, ask, change)
    text = pdf_text(pack)
    shown = {p.pk for p in projects if p.title in text}
    assert open_one.pk in shown
    assert secret.pk not in shown  # never more than was asked for
    assert sorted(pack.project_ids) == sorted(shown)
    if stage == "queued" and event in ("removed", "archived"):
        assert second.pk not in shown  # left out when rendered
    url = reverse("review:org-pack-download", args=[organisation.pk, pack.pk])
    for reader in readers:
        may_see_all = all(
            sees_project(client, reader, p) for p in projects if p.pk in shown
        )
        assert downloads(client, reader, url) is may_see_all, (reader, shown)


def test_the_leak_of_the_probe_is_closed(client, worker):
    """The probe's case: a role on a confidential project granted while the pack waits."""
    organisation = OrganisationFactory()
    first = ProjectFactory(title="Harbour First Project", lead_organisation=organisation)
    secret = ProjectFactory(title="Basilisk Confidential Project", lead_organisation=organisation)
    requester, other = UserFactory(), UserFactory()
    for user in (requester, other):
        MembershipFactory(user=user, organisation=organisation)
        ProjectRoleFactory(project=first, user=user, role=VIEWER)
    pack = services.pack_request(
        kind=Pack.Kind.PORTFOLIO, organisation=organisation, user=requester
    )
    ProjectRoleFactory(project=secret, user=requester, role=VIEWER)
    worker.run(pack)
    assert "Basilisk" not in pdf_text(pack) and pack.project_ids == [first.pk]
    # Had it been rendered with the secret project, its record would say so and keep it
    # from the other reader: the record is what the download is decided on.
    Pack.objects.filter(pk=pack.pk).update(project_ids=[first.pk, secret.pk])
    url = reverse("review:org-pack-download", args=[organisation.pk, pack.pk])
    assert not downloads(client, other, url)
    assert downloads(client, requester, url)


# --- project packs -----------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("event", EVENTS)
def test_a_project_pack_is_read_only_by_those_who_see_the_project(client, worker, event, stage):
    project = ProjectFactory(title="Kestrel Legal Services")
    lead, governor, newcomer = UserFactory(), UserFactory(), UserFactory()
    ProjectRoleFactory(project=project, user=lead, role=ProjectRole.Role.LEAD)
    ProjectRoleFactory(project=project, user=governor, role=ProjectRole.Role.GOVERNOR)
    change = {
        "granted": lambda: ProjectRoleFactory(project=project, user=newcomer, role=VIEWER),
        "removed": lambda: ProjectRole.objects.filter(user=governor).delete(),
        "archived": lambda: archive(project),
    }[event]

    def ask():
        return services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=lead)

    pack = live_through(stage, worker, ask, change)
    assert "Kestrel Legal Services" in pdf_text(pack)
    assert pack.project_ids == [project.pk]
    url = reverse("review:pack-download", args=[project.pk, pack.pk])
    for reader in (lead, governor, newcomer, UserFactory()):
        assert downloads(client, reader, url) is sees_project(client, reader, project)


# --- self-assessment round reports -------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("event", EVENTS)
def test_a_round_report_is_read_only_while_every_round_in_it_is_visible(
    client, worker, event, stage
):
    ours = OrganisationFactory(name="North Vale Hospitals", short_name="NVH")
    partner = OrganisationFactory(name="Riverside Community", short_name="RCT")
    member, admin = UserFactory(), UserFactory()
    MembershipFactory(user=member, organisation=ours)
    MembershipFactory(user=admin, organisation=partner, role="admin")
    ours_round = submitted_round(ours, "Ours Spring", datetime.date(2026, 3, 1), lambda n: 2)
    shared = submitted_round(
        partner, "Wombat Partner Round", datetime.date(2026, 2, 1), lambda n: 3,
        partners=[] if event == "granted" else [ours],
    )
    change = {
        "granted": lambda: assessment_services.assessment_share_set(
            assessment=shared, partners=[ours], user=admin
        ),
        "removed": lambda: assessment_services.assessment_share_set(
            assessment=shared, partners=[], user=admin
        ),
        "archived": lambda: assessment_services.assessment_reopen(
            assessment=shared, user=admin, reason="Re-scoring"
        ),
    }[event]

    def ask():
        return services.pack_request(
            kind=Pack.Kind.ROUND, organisation=ours, assessment=ours_round, user=member
        )

    pack = live_through(stage, worker, ask, change)
    shows_partner = "Wombat Partner Round" in pdf_text(pack)
    assert (shared.pk in pack.assessment_ids) is shows_partner
    assert ours_round.pk in pack.assessment_ids
    visible = set(visible_rounds(ours).values_list("pk", flat=True))
    url = reverse("review:org-pack-download", args=[ours.pk, pack.pk])
    assert downloads(client, member, url) is (set(pack.assessment_ids) <= visible)
    assert not downloads(client, admin, url)  # not a member of our organisation


def test_a_pack_whose_content_changed_into_another_versions_is_made_without_a_clash(worker):
    """v1 waits; the project changes and v2 is asked for; v1 is then rendered with the
    content v2 was asked for: both are made, and asking again gives v2."""
    project = ProjectFactory(title="Kestrel Legal Services")
    lead = UserFactory()
    ProjectRoleFactory(project=project, user=lead, role=ProjectRole.Role.LEAD)
    first = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=lead)
    Project.objects.filter(pk=project.pk).update(title="Kestrel Legal Services (shared)")
    project.refresh_from_db()
    second = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=lead)
    assert (first.version, second.version) == (1, 2)
    worker.run(first)
    worker.run(second)
    assert first.fingerprint != second.fingerprint
    assert "(shared)" in pdf_text(first)
    again = services.pack_request(kind=Pack.Kind.PROJECT, project=project, user=lead)
    assert again.pk == second.pk
