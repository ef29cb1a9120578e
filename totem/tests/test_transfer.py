"""Moving a whole project through one JSON file: export, import, export again → identical."""

import base64
import copy
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import ChecklistItem, ChecklistResponse, ChecklistTemplate, TemplateStatus
from assessments.tests.factories import checklist_template
from projects.models import (
    BaselineEntry,
    ChangePoint,
    Comment,
    Dependency,
    DesignPrinciple,
    Idea,
    Impact,
    Indicator,
    Measurement,
    Objective,
    Organisation,
    PrincipleScore,
    Project,
    ProjectRole,
    Risk,
    Scenario,
    Task,
)
from projects.tests.factories import (
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)
from totem import transfer
from totem.models import Decision, Pack
from totem.packs import services as pack_services
from totem.tests.factories import ready_pack
from totem.transfer import schema

pytestmark = pytest.mark.django_db
User = get_user_model()

LONG = "Ymgynghori’n eang — “consult widely” — 改善 — تحسين — 🚀\n\tnext line. " * 400
UTC = datetime.UTC


def at(day, hour=9, micro=0):
    return datetime.datetime(2025, 1, 1, hour, 0, 0, micro, tzinfo=UTC) + datetime.timedelta(
        days=day
    )


def rich_project():
    """A project with at least one row of every kind the file carries, unicode and long text
    everywhere, timestamps with microseconds, and people and organisations of its own."""
    lead_org = OrganisationFactory(name="Coleg Gŵyr Abertawe", short_name="CGA")
    partners = [OrganisationFactory(name="Ysbyty Treforys — NHS"), OrganisationFactory()]
    siân = UserFactory(
        username="siân.jones", first_name="Siân", last_name="Jones", email="sian@example.org"
    )
    ahmed = UserFactory(username="ahmed", first_name="أحمد", email="ahmed@example.org")
    governor = UserFactory(username="gov-ló", email="gov@example.org")
    viewer = UserFactory(username="viewer")
    project = ProjectFactory(
        title="Cyflogres a rennir — shared payroll ✓", purpose=LONG, scope="In: payroll.\nOut: HR.",
        stage=Project.Stage.DESIGN, lead_organisation=lead_org,
    )
    project.partner_organisations.set(partners)
    for user, role in ((siân, "lead"), (ahmed, "contributor"), (governor, "governor"),
                       (viewer, "viewer")):
        ProjectRoleFactory(project=project, user=user, role=role)

    tasks, indicators = [], []
    for t in range(2):
        task = Task.objects.create(
            project=project, position=t + 1, title=f"Tâche {t} " + "long " * 50,
            description=LONG, owner="Siân", due=datetime.date(2026, 5, t + 1),
            status=Task.Status.IN_PROGRESS,
        )
        tasks.append(task)
        for i in range(2):
            impact = Impact.objects.create(
                project=project, task=task, position=i + 1, statement=f"Impact {t}.{i} — ✓"
            )
            for k in range(2):
                indicator = Indicator.objects.create(
                    project=project, impact=impact, position=k + 1, name=f"Indicator {t}{i}{k}",
                    definition="Payslips corrected ÷ payslips", kind=Indicator.Kind.LAGGING,
                    unit="%", direction=Indicator.Direction.DOWN,
                    baseline_value=Decimal("12.3456"), baseline_date=datetime.date(2025, 1, 1),
                    target_value=Decimal("-0.5"), target_date=datetime.date(2027, 1, 1),
                    source="ESR", frequency=Indicator.Frequency.MONTHLY, owner="Ahmed",
                    spc_baseline_end=datetime.date(2025, 12, 1),
                )
                indicators.append(indicator)
    for month in range(1, 4):
        Measurement.objects.create(
            project=project, indicator=indicators[0], date=datetime.date(2025, month, 1),
            value=Decimal(month) / 3, note="Nodyn — note ✓", evidence="https://example.org/ü",
            recorded_by=ahmed if month != 2 else None,
        )
    ChangePoint.objects.create(
        project=project, indicator=indicators[0], date=datetime.date(2025, 2, 1),
        reason="Newydd — new system",
    )
    Objective.objects.create(
        project=project, position=1, statement="Lleihau costau 20% — cut costs",
        indicator=indicators[3], baseline_value=Decimal("100"), target_value=Decimal("80"),
        baseline_date=datetime.date(2025, 1, 1), deadline=datetime.date(2026, 3, 31),
    )
    Objective.objects.create(project=project, position=2, statement="No indicator yet")
    BaselineEntry.objects.create(
        project=project, position=1, function="Cyflogres", organisation="CGA",
        as_of=datetime.date(2025, 4, 1), budget=Decimal("1234567.89"), wte=Decimal("12.50"),
        volumes=LONG, performance="98% on time", operating_model="In house", source="Ledger",
    )
    principles = [
        DesignPrinciple.objects.create(
            project=project, position=n + 1, statement=f"Egwyddor {n}", rationale="Because",
            agreed_on=datetime.date(2025, 3, 3), agreed_by="Board",
        )
        for n in range(2)
    ]
    scenarios = [
        Scenario.objects.create(
            project=project, position=n + 1, title=f"Scenario {n} ✓", description=LONG,
            expected_outcomes="Fewer errors", likelihood=70 - n, reasons="Cost",
            recommendation=Scenario.Recommendation.PROCEED, is_chosen=n == 0,
            chosen_on=datetime.date(2025, 6, 1) if n == 0 else None, chosen_by="SRO" * (n == 0),
        )
        for n in range(2)
    ]
    for scenario in scenarios:
        for principle, score in zip(principles, ("meets", "does_not"), strict=True):
            PrincipleScore.objects.create(
                project=project, scenario=scenario, principle=principle, score=score
            )
    Idea.objects.create(
        project=project, position=1, note="Syniad 💡", task_title="Visit Cardiff",
        intended_impact="Learn", created_by=siân, task=tasks[1],
    )
    Idea.objects.create(project=project, position=2, note="Orphan idea")
    Risk.objects.create(
        project=project, position=1, kind=Risk.Kind.ISSUE, title="Risg", description=LONG,
        likelihood=4, impact=5, owner="Ahmed", mitigation="Train", status=Risk.Status.MITIGATED,
    )
    Dependency.objects.create(
        project=project, position=1, description="The ledger upgrade",
        other_project_name="Ledger 2.0", owner="IT", status=Dependency.Status.AT_RISK,
    )
    comments = [
        Comment.objects.create(project=project, author=governor, body="Dangoswch y costau"),
        Comment.objects.create(project=project, author=ahmed, body=LONG, task=tasks[1]),
        Comment.objects.create(
            project=project, author=siân, body="On impact", impact=tasks[0].impacts.last()
        ),
        Comment.objects.create(project=project, author=None, body="By someone since deleted",
                               indicator=indicators[5]),
    ]
    for n, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(created_at=at(n, micro=123456 + n))

    template = checklist_template(questions=2, must_haves=2)
    ChecklistItem.objects.filter(template=template).update(guidance="Arweiniad — guidance")
    checklist = assessment_services.checklist_start(
        project=project, template=template, title="Porth — gateway", user=siân
    )
    answers = ["yes", "partly", "no", ""]
    for response, answer in zip(checklist.responses.order_by("item__position"), answers,
                                strict=True):
        ChecklistResponse.objects.filter(pk=response.pk).update(
            answer=answer, evidence=f"Tystiolaeth {answer}", owner="Siân",
            due=datetime.date(2026, 1, 1),
        )

    first = ready_pack(project=project, user=siân, data=b"%PDF-1.7\n% first \xe2\x9c\x93\n%%EOF\n")
    Task.objects.filter(pk=tasks[0].pk).update(title="Changed since the first pack")
    second = ready_pack(project=project, user=siân)
    for pack, outcome, conditions in (
        (first, Decision.Outcome.DEFERRED, "Come back with costs — £"),
        (second, Decision.Outcome.APPROVED_WITH_CONDITIONS, "Amodau: " + LONG),
    ):
        pack_services.decision_record(
            project=project, pack=pack, user=governor, outcome=outcome,
            decided_on=datetime.date(2025, 9, 1), conditions=conditions, decided_by="Bwrdd",
        )
    Decision.objects.filter(pack=first).update(recorded_by=None)  # an account deleted since
    ready_pack(Pack.Kind.POSTER, project=project)  # no decision: not carried
    Project.objects.filter(pk=project.pk).update(
        created_at=at(-30, micro=1), archived_at=at(300, micro=999999)
    )
    return project


def through_a_file(data: dict) -> dict:
    """What another installation reads: the text written, parsed again."""
    return json.loads(transfer.dumps(data))


def delete_everything_it_used(project):
    """Leave the database as an installation that never saw the project."""
    organisations = [project.lead_organisation, *project.partner_organisations.all()]
    users = list(User.objects.filter(project_roles__project=project))
    templates = list(ChecklistTemplate.objects.filter(checklists__project=project))
    Decision.objects.filter(project=project).delete()
    project.delete()
    for organisation in organisations:
        organisation.delete()
    for user in users:
        user.delete()
    for template in templates:
        template.delete()


# --- the round trip -------------------------------------------------------------------------


def test_export_import_export_into_an_empty_database_is_identical(media_root):
    project = rich_project()
    first = transfer.project_export(project)
    delete_everything_it_used(project)
    assert not Project.objects.exists()
    assert not Organisation.objects.filter(name="Coleg Gŵyr Abertawe").exists()
    assert not User.objects.filter(username="siân.jones").exists()

    imported = transfer.project_import(through_a_file(first))
    second = transfer.project_export(imported)

    assert second == first
    assert transfer.dumps(second) == transfer.dumps(first)


def test_the_file_holds_every_kind_of_row_and_no_database_ids(media_root):
    project = rich_project()
    data = transfer.project_export(project)

    assert (data["format"], data["version"]) == ("totem-project", 1)
    assert [person["username"] for person in data["people"]] == [
        "ahmed", "gov-ló", "siân.jones", "viewer"
    ]
    chain = data["tasks"]
    assert (len(chain), len(chain[0]["impacts"]), len(chain[0]["impacts"][0]["indicators"])) == (
        2, 2, 2
    )
    first_indicator = chain[0]["impacts"][0]["indicators"][0]
    assert [m["value"] for m in first_indicator["measurements"]] == ["0.3333", "0.6667", "1.0000"]
    assert first_indicator["measurements"][1]["recorded_by"] is None
    assert data["objectives"][0]["indicator"] == [0, 1, 1]
    assert data["ideas"][0]["task"] == 1
    assert [c["created_at"] for c in data["comments"]][:2] == [
        "2025-01-01T09:00:00.123456+00:00", "2025-01-02T09:00:00.123457+00:00"
    ]
    assert [(c["task"], c["impact"], c["indicator"]) for c in data["comments"]] == [
        (None, None, None), (1, None, None), (None, [0, 1], None), (None, None, [1, 0, 1])
    ]
    assert data["comments"][3]["author"] is None
    assert [s["scores"] for s in data["scenarios"]][0] == [
        {"principle": 0, "score": "meets"}, {"principle": 1, "score": "does_not"}
    ]
    assert [len(data[key]) for key in ("packs", "decisions", "checklists", "roles")] == [
        2, 2, 1, 4
    ]
    assert base64.b64decode(data["packs"][0]["pdf"]).startswith(b"%PDF-1.7\n% first")

    def keys(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield key
                yield from keys(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from keys(inner)

    assert not {"id", "pk", "project_id"} & set(keys(data))


@pytest.mark.parametrize("kind", schema.ELSEWHERE, ids=lambda kind: kind.model.__name__)
def test_every_field_of_every_kind_is_in_the_file_or_named_as_not(kind):
    fields = {field.name for field in kind.model._meta.concrete_fields}
    named = {*kind.fields, *kind.stamps, *schema.ELSEWHERE[kind], *schema.ALWAYS_ELSEWHERE}
    assert fields - named == set(), "carry it in totem.transfer, or name it in ELSEWHERE"
    assert set(kind.fields) | set(kind.stamps) | set(schema.ELSEWHERE[kind]) <= fields


def test_every_kind_says_what_it_leaves_elsewhere():
    kinds = {value for value in vars(schema).values() if isinstance(value, schema.Kind)}
    assert kinds == set(schema.ELSEWHERE)


def test_imported_rows_keep_their_times_authors_and_pdfs(media_root):
    project = rich_project()
    data = through_a_file(transfer.project_export(project))
    delete_everything_it_used(project)

    imported = transfer.project_import(data)

    siân = User.objects.get(username="siân.jones")
    assert (siân.first_name, siân.is_active, siân.has_usable_password()) == ("Siân", False, False)
    assert ProjectRole.objects.get(project=imported, user=siân).role == "lead"
    assert imported.created_at == at(-30, micro=1)
    assert imported.version == 1
    comment = Comment.objects.get(project=imported, task__isnull=False)
    assert (comment.author.username, comment.created_at) == ("ahmed", at(1, micro=123457))
    assert comment.history.get().history_change_reason == "Imported from a project file"
    decision = Decision.objects.get(project=imported, outcome=Decision.Outcome.DEFERRED)
    assert decision.pack.file.open("rb").read().startswith(b"%PDF-1.7\n% first \xe2\x9c\x93")
    assert pack_services.pack_file_intact(decision.pack)
    assert decision.pack_sha256 == decision.pack.sha256
    template = template_of(imported)
    assert template.status == TemplateStatus.RETIRED  # made from the file's copy
    report = imported.import_report
    assert report.people_created == ["ahmed", "gov-ló", "siân.jones", "viewer"]
    assert report.counts["measurements"] == 3 and report.counts["decisions"] == 2


def template_of(project):
    return ChecklistTemplate.objects.get(checklists__project=project)


def test_the_imported_project_reads_like_any_other(client, media_root):
    project = rich_project()
    data = through_a_file(transfer.project_export(project))
    delete_everything_it_used(project)
    imported = transfer.project_import(data)
    Project.objects.filter(pk=imported.pk).update(archived_at=None)
    lead = User.objects.get(username="siân.jones")
    lead.is_active = True
    lead.save()
    client.force_login(lead)

    p = imported.pk
    checklist = imported.checklists.get()
    decision = Decision.objects.filter(project=imported).first()
    pages = [reverse(f"projects:project-{name}", args=[p]) for name in (
        "detail", "edit", "chain", "poster", "coach", "history", "options", "ideas", "risks",
    )] + [reverse(f"projects:{name}", args=[p]) for name in ("indicator-list", "objective-list",
                                                               "baseline-list")] + [
        reverse("people:project-people", args=[p]),
        reverse("assessments:readiness", args=[p]),
        reverse("assessments:checklist-detail", args=[p, checklist.pk]),
        reverse("review:project-review", args=[p]),
        reverse("review:pack-download", args=[p, decision.pack_id]),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert "Porth — gateway" in client.get(pages[-3]).content.decode()
    review = client.get(pages[-2]).content.decode()
    assert "A former user" in review and "recorded by a former user" in review


def test_a_linked_dependency_travels_as_the_other_projects_title(media_root):
    project = ProjectRoleFactory(role="lead").project
    other = ProjectFactory(title="Estates move")
    Dependency.objects.create(project=project, description="Needs the rooms", other_project=other)

    data = transfer.project_export(project)
    imported = transfer.project_import(through_a_file(data))

    assert data["dependencies"][0]["other_project_name"] == "Estates move"
    dependency = Dependency.objects.get(project=imported)
    assert (dependency.other_project, dependency.other_project_name) == (None, "Estates move")


# --- into an installation that already has the organisation and some people -----------------


def test_import_links_existing_organisations_people_and_template_versions(media_root):
    project = rich_project()
    data = through_a_file(transfer.project_export(project))
    User.objects.filter(username__in=["viewer", "gov-ló"]).delete()
    organisations, templates = Organisation.objects.count(), ChecklistTemplate.objects.count()

    imported = transfer.project_import(data)

    assert imported.pk != project.pk
    assert imported.lead_organisation == project.lead_organisation
    assert Organisation.objects.count() == organisations
    assert ChecklistTemplate.objects.count() == templates
    assert template_of(imported) == template_of(project)
    siân = User.objects.get(username="siân.jones")
    assert siân.is_active and siân.has_usable_password()  # linked, not touched
    assert not User.objects.get(username="viewer").is_active
    report = imported.import_report
    assert report.people_found == ["ahmed", "siân.jones"]
    assert report.people_created == ["gov-ló", "viewer"]
    assert report.organisations_created == []
    assert transfer.project_export(imported) == data


def test_a_template_version_that_differs_here_is_made_as_the_next_retired_version(media_root):
    project = rich_project()
    data = through_a_file(transfer.project_export(project))
    template = template_of(project)
    data["checklist_templates"][0]["items"][0]["text"] = "Asked differently elsewhere"

    imported = transfer.project_import(data)

    made = template_of(imported)
    assert (made.slug, made.version, made.status) == (
        template.slug, template.version + 1, TemplateStatus.RETIRED
    )
    assert made.items.order_by("position").first().text == "Asked differently elsewhere"
    assert imported.import_report.templates_created == [str(made)]


def test_an_organisation_resolver_chooses_where_the_project_goes(media_root):
    project = rich_project()
    data = through_a_file(transfer.project_export(project))
    home = OrganisationFactory(name="One trust for all")

    imported = transfer.project_import(data, organisation_resolver=lambda name, short: home)

    assert imported.lead_organisation == home
    assert not imported.partner_organisations.exists()  # the lead is never its own partner


# --- refused files: a plain message, and nothing written -------------------------------------


@pytest.fixture
def exported(media_root):
    project = ProjectRoleFactory(role="lead", user=UserFactory(username="lead-person")).project
    task = Task.objects.create(project=project, title="Agree the case")
    impact = Impact.objects.create(project=project, task=task, statement="Commitment")
    indicator = Indicator.objects.create(project=project, impact=impact, name="Staff briefed")
    for day in (1, 2):
        Measurement.objects.create(
            project=project, indicator=indicator, date=datetime.date(2025, 1, day), value=day
        )
    Comment.objects.create(project=project, author=None, body="Hello", impact=impact)
    pack = ready_pack(project=project)
    pack_services.decision_record(
        project=project, pack=pack, user=UserFactory(), outcome="approved",
        decided_on=datetime.date(2025, 9, 1),
    )
    Decision.objects.update(recorded_by=None)  # the governor's account was deleted since
    return through_a_file(transfer.project_export(project))


SCENARIO = {
    "position": 1, "title": "Lead employer", "description": "", "expected_outcomes": "",
    "likelihood": None, "recommendation": "proceed", "reasons": "", "is_chosen": False,
    "chosen_on": None, "chosen_by": "", "updated_at": "2025-01-01T00:00:00+00:00", "scores": [],
}


def refused(data, message):
    counts = [model.objects.count() for model in (Project, Organisation, User, Task, Pack)]
    with pytest.raises(transfer.TransferError, match=message):
        transfer.project_import(data)
    assert [model.objects.count() for model in (Project, Organisation, User, Task, Pack)] == counts


def changed(data, change):
    data = copy.deepcopy(data)
    change(data)
    return data


def test_a_file_of_another_format_or_version_is_refused(exported):
    refused({"format": "something-else"}, "not a Totem project file")
    refused([1, 2], "not a Totem project file")
    refused(changed(exported, lambda d: d.update(version=2)), "format version 2; .* version 1")


def test_a_missing_key_is_named_with_its_place(exported):
    refused(changed(exported, lambda d: d.pop("comments")), 'the file has no "comments"')
    refused(
        changed(exported, lambda d: d["tasks"][0]["impacts"][0].pop("statement")),
        r'tasks\[0\]\.impacts\[0\] has no "statement"',
    )


def test_references_to_what_is_not_in_the_file_are_refused(exported):
    refused(
        changed(exported, lambda d: d["comments"][0].update(impact=[0, 7])),
        r'comments\[0\]: "impact" refers to \[0, 7\], which is not in the file',
    )
    refused(
        changed(exported, lambda d: d["roles"][0].update(user="nobody")),
        r'roles\[0\]: "user" refers to "nobody", who is not among the file\'s "people"',
    )
    refused(
        changed(exported, lambda d: d["decisions"][0].update(pack=3)),
        r'decisions\[0\]: "pack" refers to pack 3, which is not in the file',
    )
    refused(
        changed(exported, lambda d: d["project"].update(lead_organisation="Elsewhere")),
        r'project.lead_organisation refers to the organisation "Elsewhere"',
    )


def test_wrong_values_are_refused_with_their_place(exported):
    refused(
        changed(exported, lambda d: d["tasks"][0].update(status="finished-ish")),
        r"tasks\[0\]: status: Value 'finished-ish' is not a valid choice",
    )
    refused(
        changed(exported, lambda d: d["tasks"][0].update(due="next week")),
        r"tasks\[0\]\.due should be a date \(YYYY-MM-DD\)",
    )
    refused(
        changed(exported, lambda d: d["project"].update(created_at="2025-01-01T09:00:00")),
        r"project\.created_at should be a date and time with its time zone",
    )
    refused(
        changed(exported, lambda d: d["tasks"][0].update(position=True)),
        r"tasks\[0\]\.position should be a number, not true",
    )
    refused(
        changed(exported, lambda d: d["packs"][0].update(version="2")),
        r"packs\[0\]\.version should be a number",
    )
    refused(changed(exported, lambda d: d.update(roles=[])), "name no lead")

    def same_day(data):
        measurements = data["tasks"][0]["impacts"][0]["indicators"][0]["measurements"]
        measurements[1]["date"] = measurements[0]["date"]

    refused(
        changed(exported, same_day),
        r"tasks\[0\]\.impacts\[0\]\.indicators\[0\]\.measurements\[1\]: another "
        "measurement has the same date",
    )
    refused(
        changed(exported, lambda d: d["scenarios"].extend([{**SCENARIO, "is_chosen": True}] * 2)),
        r"scenarios\[1\]: Constraint .one_chosen_scenario_per_project. is violated",
    )


def test_a_tampered_pdf_or_checksum_is_refused(exported):
    def tamper(data):
        pdf = base64.b64decode(data["packs"][0]["pdf"]).replace(b"stored", b"forged")
        data["packs"][0]["pdf"] = base64.b64encode(pdf).decode()

    refused(changed(exported, tamper), r"packs\[0\]: the PDF does not match its SHA-256")
    refused(
        changed(exported, lambda d: d["decisions"][0].update(pack_sha256="0" * 64)),
        r"decisions\[0\]: the decision's checksum is not that of the pack",
    )
    refused(
        changed(exported, lambda d: d["packs"][0].update(pdf="bm90IGEgcGRm")),  # "not a pdf"
        r"packs\[0\]: \"pdf\" is not a PDF",
    )
    refused(
        changed(exported, lambda d: d["packs"][0].update(fingerprint="../../etc/passwd")),
        r"packs\[0\]\.fingerprint should be a SHA-256",
    )


def test_a_failure_after_the_pdfs_were_stored_leaves_no_file_behind(exported, media_root):
    stored = set(media_root.rglob("*.pdf"))
    # The decision fails its validation after its pack's PDF was written to storage.
    bad = changed(exported, lambda d: d["decisions"][0].update(outcome="maybe"))
    refused(bad, r"decisions\[0\]: outcome: Value 'maybe' is not a valid choice")
    assert set(media_root.rglob("*.pdf")) == stored


def test_a_stored_pdf_that_no_longer_matches_its_checksum_is_not_exported(client, media_root):
    role = ProjectRoleFactory(role="lead")
    project = role.project
    pack = ready_pack(project=project)
    pack_services.decision_record(
        project=project, pack=pack, user=UserFactory(), outcome="approved",
        decided_on=datetime.date(2025, 9, 1),
    )
    with open(pack.file.path, "ab") as stored:
        stored.write(b"%% appended")
    with pytest.raises(transfer.TransferError, match="no longer matches the checksum"):
        transfer.project_export(project)

    client.force_login(role.user)
    response = client.get(reverse("project-export", args=[project.pk]), follow=True)
    assert response.redirect_chain == [(reverse("projects:project-edit", args=[project.pk]), 302)]
    assert "could not be exported" in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's snapshot only")
def test_an_export_outside_a_transaction_reads_one_snapshot(media_root):
    project = ProjectRoleFactory(role="lead").project
    Task.objects.create(project=project, title="Agree the case")
    assert transfer.project_export(project)["tasks"][0]["title"] == "Agree the case"


# --- the commands ---------------------------------------------------------------------------


def command(name, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_export_and_import_commands_move_a_project(media_root, tmp_path):
    project = rich_project()
    text = command("export_project", str(project.pk))
    assert json.loads(text) == through_a_file(transfer.project_export(project))
    target = tmp_path / "moved.json"
    said = command("export_project", str(project.pk), "--output", str(target))
    assert said.startswith(f"Wrote {project.title} (project {project.pk}) to {target}")
    assert target.read_text(encoding="utf-8") == text
    delete_everything_it_used(project)

    said = command("import_project", str(target))

    imported = Project.objects.get()
    assert said.startswith(
        f'Imported "{project.title}" as project {imported.pk}: 4 roles, 2 tasks, 4 impacts, '
        "8 indicators, 3 measurements, 1 change points, 2 objectives, 1 baseline entries, "
        "2 design principles, 2 scenarios, 4 principle scores, 2 ideas, 1 risks, "
        "1 dependencies, 4 comments, 1 checklists, 2 packs, 2 decisions."
    )
    assert "Organisations created: Coleg Gŵyr Abertawe" in said
    assert "inactive accounts without a password" in said and "siân.jones" in said
    assert command("export_project", str(imported.pk)) == text


def test_the_commands_refuse_clearly(exported, tmp_path):
    with pytest.raises(CommandError, match="There is no project 999999"):
        command("export_project", "999999")
    with pytest.raises(CommandError, match="cannot be read"):
        command("import_project", str(tmp_path / "missing.json"))
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError, match="is not a JSON file"):
        command("import_project", str(garbage))
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({**exported, "version": 9}))
    with pytest.raises(CommandError, match="was not imported: .*format version 9"):
        command("import_project", str(wrong))
    assert Project.objects.count() == 1


# --- the lead's download ----------------------------------------------------------------------


def test_the_lead_downloads_the_whole_project(client, media_root):
    project = rich_project()
    Project.objects.filter(pk=project.pk).update(archived_at=None)
    client.force_login(User.objects.get(username="siân.jones"))

    edit_page = client.get(reverse("projects:project-edit", args=[project.pk]))
    url = reverse("project-export", args=[project.pk])
    assert f'href="{url}"' in edit_page.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="cyflogres-a-rennir-shared-payroll-{today}.json"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content) == through_a_file(transfer.project_export(project))


@pytest.mark.parametrize("role,status", [("contributor", 403), ("governor", 403), (None, 404)])
def test_only_the_lead_may_download_it(client, project, member_of, role, status):
    client.force_login(member_of(role) if role else UserFactory())
    assert client.get(reverse("project-export", args=[project.pk])).status_code == status
