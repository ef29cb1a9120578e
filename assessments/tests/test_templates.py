"""Template versions: a published version never changes, new versions are copies, what was
made from a version keeps pointing at it, and a version in use cannot be deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from assessments import defaults, services
from assessments.models import (
    ChecklistItem,
    ChecklistTemplate,
    Descriptor,
    Framework,
    Level,
    Question,
    TemplateStatus,
)
from projects.tests.factories import ProjectFactory, UserFactory

from .factories import ChecklistItemFactory, checklist_template, framework, open_round


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _change_url(template):
    opts = template._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[template.pk])


# --- immutability -------------------------------------------------------------------------


def test_publishing_a_draft_makes_it_immutable_in_the_services(db):
    template = checklist_template(status=TemplateStatus.DRAFT)
    services.template_ensure_draft(template)  # a draft may change

    services.template_publish(template=template)

    with pytest.raises(ValidationError, match="can no longer change"):
        services.template_ensure_draft(template)
    with pytest.raises(ValidationError):
        services.template_publish(template=template)


def test_publishing_retires_the_previously_published_version(db):
    first = checklist_template()
    second = services.template_new_version(template=first)

    services.template_publish(template=second)

    first.refresh_from_db()
    assert first.status == TemplateStatus.RETIRED
    assert second.status == TemplateStatus.PUBLISHED
    assert ChecklistTemplate.objects.filter(
        slug=first.slug, status=TemplateStatus.PUBLISHED
    ).get() == second


def test_an_incomplete_framework_cannot_be_published(db):
    draft = framework(status=TemplateStatus.DRAFT)
    question = draft.questions.first()
    question.descriptors.first().delete()

    with pytest.raises(ValidationError) as error:
        services.template_publish(template=draft)

    assert f"descriptor for every level: {question.number}" in " ".join(error.value.messages)
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.DRAFT


def test_admin_shows_a_published_version_read_only_and_refuses_a_save(staff_client):
    template = checklist_template()
    item = template.items.first()
    url = _change_url(template)

    page = staff_client.get(url)
    assert page.status_code == 200
    assert "It can no longer change" in page.text
    assert 'name="name"' not in page.text  # no editable field

    form = {
        "name": "Renamed", "description": "", "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1", "items-0-id": item.pk, "items-0-template": template.pk,
        "items-0-position": "1", "items-0-kind": "must_have", "items-0-text": "Changed",
    }
    response = staff_client.post(url, form)

    assert response.status_code == 403
    template.refresh_from_db()
    item.refresh_from_db()
    assert (template.name, item.text) != ("Renamed", "Changed")


def test_admin_refuses_changes_to_questions_of_a_published_framework(staff_client):
    published = framework()
    question = published.questions.first()
    url = reverse("admin:assessments_question_change", args=[question.pk])

    response = staff_client.post(url, {"domain": question.domain_id, "number": 1, "text": "New"})

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text == "Question 1"


def test_admin_edits_a_draft_with_its_inlines(staff_client):
    template = checklist_template(status=TemplateStatus.DRAFT, questions=0, must_haves=1)
    item = template.items.get()
    form = {
        "name": "Gateway checklist", "description": "", "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "1", "items-0-id": item.pk, "items-0-template": template.pk,
        "items-0-position": "2", "items-0-kind": "must_have", "items-0-text": "Mandate agreed",
        "items-1-template": template.pk, "items-1-position": "1", "items-1-kind": "question",
        "items-1-text": "Who will decide?",
    }

    response = staff_client.post(_change_url(template), form)

    assert response.status_code == 302
    assert [i.text for i in template.items.all()] == ["Who will decide?", "Mandate agreed"]


# --- new versions and pinning -------------------------------------------------------------


def test_new_version_copies_a_framework_into_a_draft(db):
    published = framework(levels=("A", "B"), domains=(("One", 2), ("Two", 1)))

    draft = services.template_new_version(template=published)

    assert (draft.slug, draft.version, draft.status) == (published.slug, 2, TemplateStatus.DRAFT)
    assert list(draft.levels.values_list("position", "name")) == [(1, "A"), (2, "B")]
    assert [(q.number, q.domain.name) for q in draft.questions.select_related("domain")] == [
        (1, "One"), (2, "One"), (3, "Two")
    ]
    copied = Descriptor.objects.filter(question__framework=draft)
    assert copied.count() == 6
    assert all(d.level.framework_id == draft.pk for d in copied.select_related("level"))
    assert services.template_problems(draft) == []


def test_only_one_draft_per_template_at_a_time(db):
    published = checklist_template()
    services.template_new_version(template=published)

    with pytest.raises(ValidationError, match="already a draft"):
        services.template_new_version(template=published)


def test_a_checklist_keeps_the_version_it_was_made_from(db, readiness_template):
    project = ProjectFactory()
    checklist = services.checklist_start(
        project=project, template=readiness_template, title="Gateway", user=None
    )
    asked = [r.item.text for r in checklist.responses.select_related("item")]

    draft = services.template_new_version(template=readiness_template)
    draft_item = draft.items.first()
    draft_item.text = "A reworded first question"
    draft_item.save()
    ChecklistItemFactory(template=draft, text="An eleventh must-have")
    services.template_publish(template=draft)

    checklist.refresh_from_db()
    assert checklist.template == readiness_template
    assert [r.item.text for r in checklist.responses.select_related("item")] == asked
    later = services.checklist_start(project=project, template=draft, title="Next", user=None)
    assert later.responses.count() == 21


def test_a_round_keeps_the_framework_version_it_was_made_from(organisation, nhs_impact):
    assessment = open_round(organisation, nhs_impact)

    draft = services.template_new_version(template=nhs_impact)
    Level.objects.filter(framework=draft, position=1).update(name="Beginning")
    services.template_publish(template=draft)

    assessment.refresh_from_db()
    assert assessment.framework == nhs_impact
    assert nhs_impact.levels.get(position=1).name == "Starting"
    assert {a.question.framework_id for a in assessment.answers.select_related("question")} == {
        nhs_impact.pk
    }


def test_only_published_versions_can_be_started(db, organisation):
    draft = checklist_template(status=TemplateStatus.DRAFT)
    retired_framework = framework(status=TemplateStatus.RETIRED)

    with pytest.raises(ValidationError):
        services.checklist_start(project=ProjectFactory(), template=draft, title="x", user=None)
    with pytest.raises(ValidationError):
        open_round(organisation, retired_framework)


# --- deleting -----------------------------------------------------------------------------


def test_a_version_in_use_cannot_be_deleted(db, organisation, nhs_impact, readiness_template):
    services.checklist_start(
        project=ProjectFactory(), template=readiness_template, title="Gateway", user=None
    )
    open_round(organisation, nhs_impact)

    with pytest.raises(ValidationError, match="1 checklist was made from it"):
        services.template_delete(template=readiness_template)
    with pytest.raises(ValidationError, match="1 self-assessment round was made from it"):
        services.template_delete(template=nhs_impact)
    with pytest.raises(ProtectedError):  # and the database refuses too
        nhs_impact.delete()

    assert ChecklistItem.objects.filter(template=readiness_template).count() == 20
    assert Question.objects.filter(framework=nhs_impact).count() == 22


def test_an_unused_version_can_be_deleted(db):
    unused = framework(status=TemplateStatus.DRAFT)

    services.template_delete(template=unused)

    assert not Framework.objects.filter(pk=unused.pk).exists()


def test_admin_explains_why_a_version_in_use_is_kept(staff_client, organisation, nhs_impact):
    open_round(organisation, nhs_impact)
    url = reverse("admin:assessments_framework_delete", args=[nhs_impact.pk])

    response = staff_client.post(url, {"post": "yes"}, follow=True)

    assert "cannot be deleted: 1 self-assessment round was made from it" in response.text
    assert "Retire it instead" in response.text
    assert Framework.objects.filter(pk=nhs_impact.pk).exists()


# --- the admin's buttons, actions, search and preview -------------------------------------


def test_admin_new_version_then_publish_buttons(staff_client, readiness_template):
    response = staff_client.post(
        reverse("admin:assessments_checklisttemplate_newversion", args=[readiness_template.pk])
    )
    draft = ChecklistTemplate.objects.get(slug=readiness_template.slug, version=3)
    assert response["Location"] == _change_url(draft)
    assert draft.items.count() == 20

    publish = reverse("admin:assessments_checklisttemplate_publish", args=[draft.pk])
    # A plain POST (or a GET) only asks: it shows what will be frozen and publishes nothing.
    asked = staff_client.post(publish)
    assert asked.status_code == 200 and "This cannot be undone." in asked.text
    assert "What will be frozen" in asked.text and "Mandate from executive board" in asked.text
    assert f"Publishing retires <strong>{readiness_template}</strong>" in asked.text
    draft.refresh_from_db()
    assert draft.status == "draft"
    staff_client.post(publish, {"confirm": "publish"})

    draft.refresh_from_db()
    readiness_template.refresh_from_db()
    assert (draft.status, readiness_template.status) == ("published", "retired")


def test_admin_actions_on_the_list(staff_client, nhs_impact):
    url = reverse("admin:assessments_framework_changelist")

    for action in ("new_version_of_selected", "retire_selected"):
        staff_client.post(url, {"action": action, "_selected_action": [nhs_impact.pk]})

    assert list(
        Framework.objects.filter(slug=nhs_impact.slug).values_list("version", "status")
    ) == [(2, "draft"), (1, "retired")]


def test_admin_search_finds_a_framework_by_question_text(staff_client, nhs_impact):
    url = reverse("admin:assessments_framework_changelist")

    found = staff_client.get(url, {"q": "daily huddles"})
    missed = staff_client.get(url, {"q": "no such words anywhere"})

    assert nhs_impact.name in found.text
    assert nhs_impact.name not in missed.text


def test_admin_preview_shows_the_template_as_users_see_it(staff_client, nhs_impact):
    readiness = ChecklistTemplate.objects.get(slug="readiness-mobilisation", status="published")

    checklist = staff_client.get(
        reverse("admin:assessments_checklisttemplate_preview", args=[readiness.pk])
    )
    maturity = staff_client.get(
        reverse("admin:assessments_framework_preview", args=[nhs_impact.pk])
    )

    assert "Who will take decisions?" in checklist.text
    assert "Mandate from executive board" in checklist.text
    assert "Huddles are limited to traditional shift handovers." in maturity.text
    assert maturity.text.count('type="radio"') == 22 * 6  # five levels and "not scored yet"


def test_ensure_installed_puts_back_the_shipped_versions_a_flush_removed(db):
    ChecklistTemplate.objects.all().delete()
    Framework.objects.all().delete()

    readiness, impact = defaults.ensure_installed()

    assert (readiness.items.count(), impact.questions.count()) == (20, 22)
    assert defaults.ensure_installed() == (readiness, impact)  # and nothing twice
    assert Framework.objects.count() == 1
    assert list(ChecklistTemplate.objects.values_list("version", "status")) == [
        (2, "published"), (1, "retired")
    ]


def test_the_shipped_checklist_speaks_of_ics_and_icb_not_stp_and_keeps_version_1(db):
    first, second = (
        ChecklistTemplate.objects.get(slug=defaults.READINESS_SLUG, version=v) for v in (1, 2)
    )
    assert (first.status, second.status) == ("retired", "published")
    old = list(first.items.values_list("kind", "text"))
    new = list(second.items.values_list("kind", "text", "guidance"))
    assert len(old) == len(new) == 20
    assert any("STP" in text for _, text in old)  # what was published stays as it was
    assert not any("STP" in text or "STP" in guidance for _, text, guidance in new)
    assert ("must_have", "ICS location data") in [(kind, text) for kind, text, _ in new]
    assert any("integrated care system (ICS)" in text for _, text, _ in new)
    assert any("integrated care board (ICB)" in guidance for _, _, guidance in new)
    # Nothing else changed: same kinds, in the same order.
    assert [kind for kind, _ in old] == [kind for kind, _, _ in new]


def test_publish_from_the_change_page_saves_the_edits_first_and_says_so(
    staff_client, readiness_template
):
    staff_client.post(
        reverse("admin:assessments_checklisttemplate_newversion", args=[readiness_template.pk])
    )
    draft = ChecklistTemplate.objects.get(slug=readiness_template.slug, status="draft")
    change = reverse("admin:assessments_checklisttemplate_change", args=[draft.pk])
    page = staff_client.get(change)
    assert 'name="_publish"' in page.text and 'form="checklisttemplate_form"' in page.text
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["name"] = "Readiness checklist, renamed before publishing"
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for inline in formset.formset.forms:
            for name in inline.fields:
                value = inline[name].value()
                data[f"{inline.prefix}-{name}"] = "" if value is None else value
    data["_publish"] = "1"
    response = staff_client.post(change, data, follow=True)
    draft.refresh_from_db()
    assert draft.name == "Readiness checklist, renamed before publishing"  # saved, not lost
    assert draft.status == "draft"  # and not yet published: the confirmation asks
    assert "Your changes were saved first." in response.text
    assert "This cannot be undone." in response.text
