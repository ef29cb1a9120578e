"""Every URL × every role, generated from the URLconf.

A new URL pattern without a row in RULES fails `test_every_url_has_a_rule`, so access is
decided on purpose for everything the site serves.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from projects.models import ProjectRole
from projects.tests.factories import MembershipFactory, ProjectRoleFactory, UserFactory

WEEK = datetime.timedelta(days=7)
ROLES = [
    "anonymous", "outsider", "viewer", "governor", "contributor", "lead", "org-admin", "staff"
]
RANKS = {"view": {"viewer", "governor", "contributor", "lead"}}
RANKS["comment"] = {"governor", "contributor", "lead"}
RANKS["edit"] = {"contributor", "lead"}
RANKS["manage"] = {"lead"}
RANKS["decide"] = {"governor"}  # sign-off is the governors'; a lead may not approve their own
# Organisation pages (self-assessment rounds): the project roles above are all held by members
# of the project's lead organisation; "org-admin" is its admin, with no role on the project.
ORG_RANKS = {"org-member": RANKS["view"] | {"org-admin"}, "org-admin": {"org-admin"}}

# url name -> (the right it needs, its HTTP methods). "signed-in": any signed-in user;
# "public": anyone; "staff": Django admin.
RULES = {
    "home": ("signed-in", {"GET"}),
    "health": ("public", {"GET"}),
    "health-live": ("public", {"GET"}),
    "health-ready": ("public", {"GET"}),
    "accessibility-statement": ("public", {"GET"}),
    "login": ("public", {"GET", "POST"}),
    "logout": ("signed-in", {"POST"}),
    "admin:index": ("staff", {"GET"}),
    "projects:project-create": ("signed-in", {"GET", "POST"}),
    "projects:project-detail": ("view", {"GET"}),
    "projects:project-edit": ("manage", {"GET", "POST"}),
    "projects:project-archive": ("manage", {"POST"}),
    "projects:project-restore": ("manage", {"POST"}),
    "project-export": ("manage", {"GET"}),  # the whole project as one file (totem.transfer)
    "projects:project-chain": ("view", {"GET"}),
    "projects:project-poster": ("view", {"GET"}),
    "projects:project-coach": ("view", {"GET"}),
    "projects:coach-hint": ("view", {"GET"}),
    "projects:project-history": ("view", {"GET"}),
    "projects:task-create": ("edit", {"GET", "POST"}),
    "projects:impact-create": ("edit", {"GET", "POST"}),
    "projects:indicator-create": ("edit", {"GET", "POST"}),
    "projects:item-edit": ("edit", {"GET", "POST"}),
    "projects:item-delete": ("edit", {"GET", "POST"}),
    "projects:item-move": ("edit", {"POST"}),
    # Indicators over time
    "projects:indicator-list": ("view", {"GET"}),
    "projects:indicator-detail": ("view", {"GET"}),
    "projects:measurement-record": ("edit", {"GET", "POST"}),
    "projects:measurement-delete": ("edit", {"POST"}),
    "projects:indicator-spc": ("edit", {"POST"}),
    "projects:change-point-create": ("edit", {"POST"}),
    "projects:change-point-delete": ("edit", {"POST"}),
    # Figures signed off: anyone who may view sees them; approving is the lead's (or the
    # approver's the lead names per indicator, who holds no special role here).
    "projects:figures": ("view", {"GET"}),
    "projects:figures-approve": ("manage", {"POST"}),
    "projects:figure-return": ("manage", {"POST"}),
    "projects:figure-reopen": ("manage", {"POST"}),
    "projects:indicator-approver": ("manage", {"POST"}),
    "projects:measurement-quick-entry": ("edit", {"GET", "POST"}),
    "projects:measurement-import": ("edit", {"GET", "POST"}),
    "projects:measurement-export": ("view", {"GET"}),
    "projects:measurement-template": ("view", {"GET"}),
    "projects:objective-list": ("view", {"GET"}),
    "projects:objective-create": ("edit", {"GET", "POST"}),
    "projects:objective-edit": ("edit", {"GET", "POST"}),
    "projects:objective-delete": ("edit", {"POST"}),
    "projects:baseline-list": ("view", {"GET"}),
    "projects:baseline-create": ("edit", {"GET", "POST"}),
    "projects:baseline-edit": ("edit", {"GET", "POST"}),
    "projects:baseline-delete": ("edit", {"POST"}),
    "projects:baseline-export": ("view", {"GET"}),
    # Readiness checklists of a project; self-assessment rounds of an organisation
    "assessments:readiness": ("view", {"GET"}),
    "assessments:checklist-create": ("manage", {"GET", "POST"}),
    "assessments:checklist-detail": ("view", {"GET"}),
    "assessments:checklist-detail#post": ("edit", {"POST"}),
    "assessments:round-list": ("org-member", {"GET"}),
    "assessments:round-create": ("org-admin", {"GET", "POST"}),
    "assessments:round-compare": ("org-member", {"GET"}),
    "assessments:round-detail": ("org-member", {"GET"}),
    "assessments:round-score": ("org-member", {"GET", "POST"}),
    "assessments:round-submit": ("org-member", {"POST"}),
    "assessments:round-reopen": ("org-admin", {"POST"}),
    "assessments:round-sharing": ("org-admin", {"GET", "POST"}),
    "assessments:round-import": ("org-member", {"GET", "POST"}),
    "assessments:round-export": ("org-member", {"GET"}),
    # The rest of the planning record
    "projects:project-options": ("view", {"GET"}),
    "projects:project-ideas": ("view", {"GET"}),
    "projects:project-risks": ("view", {"GET"}),
    "projects:scores-edit": ("edit", {"GET", "POST"}),
    "projects:record-create": ("edit", {"GET", "POST"}),
    "projects:record-edit": ("edit", {"GET", "POST"}),
    "projects:record-delete": ("edit", {"POST"}),
    "projects:record-move": ("edit", {"POST"}),
    "projects:record-restore": ("edit", {"POST"}),
    "projects:scenario-choose": ("manage", {"GET", "POST"}),
    "projects:scenario-unchoose": ("manage", {"POST"}),
    "projects:idea-make-task": ("edit", {"GET", "POST"}),
    # Review and sign-off: comments, packs, decisions; an organisation's portfolio pack
    "review:project-review": ("view", {"GET"}),
    "review:comment-create": ("comment", {"POST"}),
    "review:pack-current": ("view", {"GET"}),
    "review:poster-current": ("view", {"GET"}),
    "review:pack-detail": ("view", {"GET", "POST"}),
    "review:pack-download": ("view", {"GET"}),
    "review:decision-create": ("decide", {"GET", "POST"}),
    "review:portfolio-current": ("org-member", {"GET"}),
    "review:round-report": ("org-member", {"GET"}),
    # A portfolio pack is served only to someone who may see every project in it.
    "review:org-pack-detail": ("view", {"GET", "POST"}),
    "review:org-pack-download": ("view", {"GET"}),
    # People: the outbox ("Sent mail") for site staff
    "people:mail-list": ("staff", {"GET"}),
    "people:mail-detail": ("staff", {"GET"}),
    "people:mail-html": ("staff", {"GET"}),
    # People: a project's roles and invitations, an organisation's members, invitation links,
    # your account, password reset
    "people:project-people": ("view", {"GET"}),
    "people:project-people#post": ("manage", {"POST"}),
    "people:project-role-remove": ("manage", {"POST"}),
    "people:project-invitation-resend": ("manage", {"POST"}),
    "people:project-invitation-revoke": ("manage", {"POST"}),
    "people:organisation-people": ("org-admin", {"GET", "POST"}),
    "people:organisation-invitation-resend": ("org-admin", {"POST"}),
    "people:organisation-invitation-revoke": ("org-admin", {"POST"}),
    "people:invitation-accept": ("public", {"GET", "POST"}),
    "people:account": ("signed-in", {"GET", "POST"}),
    "people:email-change": ("signed-in", {"GET", "POST"}),
    "people:email-confirm": ("public", {"GET", "POST"}),
    "people:password-change": ("signed-in", {"GET", "POST"}),
    "people:sessions-end": ("signed-in", {"POST"}),
    "people:password-reset": ("public", {"GET", "POST"}),
    "people:password-reset-sent": ("public", {"GET"}),
    "people:password-reset-confirm": ("public", {"GET", "POST"}),
    "people:password-reset-complete": ("public", {"GET"}),
    # Single sign-on (public: the provider sends people back here) and two-step sign-in
    "people:sso-start": ("public", {"GET"}),
    "people:sso-callback": ("public", {"GET"}),
    "people:mfa": ("signed-in", {"GET"}),
    "people:mfa-setup": ("signed-in", {"GET", "POST"}),
    "people:mfa-verify": ("signed-in", {"GET", "POST"}),
    "people:mfa-disable": ("signed-in", {"POST"}),
    # Notifications: each person's own inbox and preferences; unsubscribe by a signed link
    "notifications:inbox": ("signed-in", {"GET"}),
    "notifications:notification-read": ("signed-in", {"POST"}),  # only one's own is changed
    "notifications:notifications-read-all": ("signed-in", {"POST"}),
    "notifications:preferences": ("signed-in", {"GET", "POST"}),
    "notifications:unsubscribe": ("public", {"GET", "POST"}),
    # The portfolio dashboard: anyone's own projects; an organisation's for its members.
    "review:portfolio": ("signed-in", {"GET"}),
    "review:portfolio-export": ("signed-in", {"GET"}),
    "review:org-dashboard": ("org-member", {"GET"}),
    "review:org-dashboard-export": ("org-member", {"GET"}),
    # Personal access tokens for the API: each person's own
    "tokens:token-list": ("signed-in", {"GET", "POST"}),
    "tokens:token-revoke": ("signed-in", {"POST"}),
}


def _names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin: covered by admin:index below
            if entry.namespace == "api":
                continue  # the REST API: its own matrix (tokens, 401) in api/tests
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_has_a_rule():
    missing = sorted(set(_names()) - {name.split("#")[0] for name in RULES})
    assert not missing, f"Add these URL names to RULES in {__file__}: {missing}"


@pytest.fixture
def world(project, chain, member_of):
    task, impact, indicator = chain
    users = {role: member_of(role) for role in ("viewer", "governor", "contributor", "lead")}
    users["outsider"] = UserFactory()
    users["staff"] = UserFactory(is_staff=True, is_superuser=True)
    users["org-admin"] = MembershipFactory(
        organisation=project.lead_organisation, role="admin"
    ).user
    other_lead = ProjectRoleFactory(project=project, role=ProjectRole.Role.LEAD)
    p = project.pk
    urls = {
        "home": reverse("home"),
        "health": reverse("health"),
        "health-live": reverse("health-live"),
        "health-ready": reverse("health-ready"),
        "accessibility-statement": reverse("accessibility-statement"),
        "login": reverse("login"),
        "logout": reverse("logout"),
        "admin:index": reverse("admin:index"),
        "projects:project-create": reverse("projects:project-create"),
        "tokens:token-list": reverse("tokens:token-list"),
        "tokens:token-revoke": reverse("tokens:token-revoke"),
        "projects:task-create": reverse("projects:task-create", args=[p]),
        "projects:impact-create": reverse("projects:impact-create", args=[p, task.pk]),
        "projects:indicator-create": reverse("projects:indicator-create", args=[p, impact.pk]),
        "projects:item-edit": reverse("projects:item-edit", args=[p, "indicators", indicator.pk]),
        "projects:item-delete": reverse("projects:item-delete", args=[p, "tasks", task.pk]),
        "projects:item-move": reverse("projects:item-move", args=[p, "impacts", impact.pk]),
    }
    for name in ("detail", "edit", "chain", "poster", "history", "archive", "restore"):
        urls[f"projects:project-{name}"] = reverse(f"projects:project-{name}", args=[p])
    urls["project-export"] = reverse("project-export", args=[p])
    urls["projects:project-coach"] = reverse("projects:project-coach", args=[p])
    hint = reverse("projects:coach-hint", args=[p])
    urls["projects:coach-hint"] = f"{hint}?kind=impact&text=We+will+hold+workshops"
    urls.update(_measures_urls(project, indicator))
    urls.update(_assessment_urls(project))
    urls.update(_planning_urls(project))
    urls.update(_review_urls(project, users))  # last: its packs are of everything above
    urls.update(_people_urls(project, users, other_lead))
    urls.update({name: reverse(name) for name in RULES if name.startswith(("people:sso",
                                                                           "people:mfa"))})
    urls.update(_notification_urls(project, users))
    return users, urls


def _notification_urls(project, users):
    """A notification of the lead's, and a signed unsubscribe link of theirs."""
    from notifications import services
    from notifications.kinds import Kind

    lead = users["lead"]
    [notification] = services.notifications_create(items=[services.NewNotification(
        key="test", recipient_id=lead.pk, kind=Kind.MENTIONED, project_id=project.pk,
        title="Mentioned", url="/",
    )])
    token = services.unsubscribe_token(lead, [Kind.MENTIONED])
    urls = {
        "notifications:notification-read": reverse(
            "notifications:notification-read", args=[notification.pk]
        ),
        "notifications:unsubscribe": reverse("notifications:unsubscribe", args=[token]),
    }
    for name in ("inbox", "notifications-read-all", "preferences"):
        urls[f"notifications:{name}"] = reverse(f"notifications:{name}")
    return urls


def _people_urls(project, users, other_lead):
    """An email in the outbox, invitations to the project and its organisation, an email
    change waiting for confirmation, and the people app's URLs."""
    from people.mail import email_queue
    from people.models import EmailChange, Invitation
    from people.tokens import token_new

    message = email_queue(to="ada@example.nhs.uk", subject="Test", template="emails/test_message",
                          context={})
    organisation = project.lead_organisation
    invitation = Invitation.objects.create(
        email="new@example.nhs.uk", project=project, role="viewer", invited_by=users["lead"],
        token_hash=token_new()[1], sent_at=timezone.now(), expires_at=timezone.now() + WEEK,
    )
    org_invitation = Invitation.objects.create(
        email="new@example.nhs.uk", organisation=organisation, role="member",
        invited_by=users["org-admin"], token_hash=token_new()[1], sent_at=timezone.now(),
        expires_at=timezone.now() + WEEK,
    )
    token, digest = token_new()
    Invitation.objects.create(
        email="other@example.nhs.uk", project=project, role="viewer", invited_by=users["lead"],
        token_hash=digest, sent_at=timezone.now(), expires_at=timezone.now() + WEEK,
    )
    email_token, email_digest = token_new()
    EmailChange.objects.create(user=users["viewer"], new_email="moved@example.nhs.uk",
                               token_hash=email_digest, expires_at=timezone.now() + WEEK)
    p, o = project.pk, organisation.pk
    urls = {
        "people:mail-list": reverse("people:mail-list"),
        "people:project-people": reverse("people:project-people", args=[p]),
        "people:project-role-remove": reverse(
            "people:project-role-remove", args=[p, other_lead.pk]
        ),
        "people:organisation-people": reverse("people:organisation-people", args=[o]),
        "people:invitation-accept": reverse("people:invitation-accept", args=[token]),
        "people:email-confirm": reverse("people:email-confirm", args=[email_token]),
        "people:password-reset-confirm": reverse(
            "people:password-reset-confirm", args=["MQ", "set-password"]
        ),
    }
    urls["people:project-people#post"] = urls["people:project-people"]
    for name in ("mail-detail", "mail-html"):
        urls[f"people:{name}"] = reverse(f"people:{name}", args=[message.pk])
    for name in ("project-invitation-resend", "project-invitation-revoke"):
        urls[f"people:{name}"] = reverse(f"people:{name}", args=[p, invitation.pk])
    for name in ("organisation-invitation-resend", "organisation-invitation-revoke"):
        urls[f"people:{name}"] = reverse(f"people:{name}", args=[o, org_invitation.pk])
    for name in ("account", "email-change", "password-change", "sessions-end", "password-reset",
                 "password-reset-sent", "password-reset-complete"):
        urls[f"people:{name}"] = reverse(f"people:{name}")
    return urls


def _review_urls(project, users):
    """A comment, and ready packs of the project's content as it now is (so that no request
    renders a PDF): its governors' pack, its poster and its organisation's portfolio."""
    from assessments.models import Assessment
    from projects.models import Comment
    from totem.models import Pack
    from totem.tests.factories import ready_pack

    Comment.objects.create(project=project, author=users["governor"], body="Show the costs.")
    pack = ready_pack(project=project)
    ready_pack(Pack.Kind.POSTER, project=project)
    organisation = project.lead_organisation
    portfolio = ready_pack(Pack.Kind.PORTFOLIO, organisation=organisation, user=users["lead"])
    assessment = Assessment.objects.filter(organisation=organisation).first()
    ready_pack(Pack.Kind.ROUND, organisation=organisation, assessment=assessment)
    p, o = project.pk, organisation.pk
    urls = {
        "review:pack-detail": reverse("review:pack-detail", args=[p, pack.pk]),
        "review:pack-download": reverse("review:pack-download", args=[p, pack.pk]),
        "review:portfolio-current": reverse("review:portfolio-current", args=[o]),
        "review:round-report": reverse("review:round-report", args=[o, assessment.pk]),
        "review:org-pack-detail": reverse("review:org-pack-detail", args=[o, portfolio.pk]),
        "review:org-pack-download": reverse("review:org-pack-download", args=[o, portfolio.pk]),
        "review:portfolio": reverse("review:portfolio"),
        "review:portfolio-export": reverse("review:portfolio-export", args=["xlsx"]),
        "review:org-dashboard": reverse("review:org-dashboard", args=[o]),
        "review:org-dashboard-export": reverse("review:org-dashboard-export", args=[o, "csv"]),
    }
    for name in ("project-review", "comment-create", "pack-current", "poster-current",
                 "decision-create"):
        urls[f"review:{name}"] = reverse(f"review:{name}", args=[p])
    return urls


def _planning_urls(project):
    """A principle, a scenario, an idea, a risk and a deleted principle, and their URLs."""
    from projects.services import planning

    principle = planning.principle_create(project=project, statement="Self-service first")
    scenario = planning.scenario_create(project=project, title="Lead employer")
    idea = planning.idea_create(project=project, user=None, task_title="Visit", note="")
    risk = planning.risk_create(project=project, title="Staff leave")
    gone = planning.record_delete(item=planning.principle_create(project=project, statement="x"))
    p = project.pk
    urls = {
        "projects:record-create": reverse("projects:record-create", args=[p, "risks"]),
        "projects:record-edit": reverse("projects:record-edit", args=[p, "scenarios", scenario.pk]),
        "projects:record-delete": reverse("projects:record-delete", args=[p, "risks", risk.pk]),
        "projects:record-move": reverse(
            "projects:record-move", args=[p, "principles", principle.pk]
        ),
        "projects:record-restore": reverse("projects:record-restore", args=[p, "principle", gone]),
        "projects:idea-make-task": reverse("projects:idea-make-task", args=[p, idea.pk]),
    }
    for name in ("scenario-choose", "scenario-unchoose"):
        urls[f"projects:{name}"] = reverse(f"projects:{name}", args=[p, scenario.pk])
    for name in ("project-options", "project-ideas", "project-risks", "scores-edit"):
        urls[f"projects:{name}"] = reverse(f"projects:{name}", args=[p])
    return urls


def _measures_urls(project, indicator):
    """A value, a change point, an objective and a baseline entry, and the URLs about them."""
    import datetime

    from projects.models import BaselineEntry, ChangePoint, Measurement, Objective

    day = datetime.date(2026, 4, 1)
    measurement = Measurement.objects.create(
        project=project, indicator=indicator, date=day, value=3
    )
    change_point = ChangePoint.objects.create(
        project=project, indicator=indicator, date=day, reason="New system"
    )
    objective = Objective.objects.create(project=project, statement="Cut costs by 20%")
    entry = BaselineEntry.objects.create(project=project, function="Payroll")
    p, i = project.pk, indicator.pk
    urls = {
        "projects:indicator-detail": reverse("projects:indicator-detail", args=[p, i]),
        "projects:measurement-record": reverse("projects:measurement-record", args=[p, i]),
        "projects:measurement-delete": reverse(
            "projects:measurement-delete", args=[p, measurement.pk]
        ),
        "projects:indicator-spc": reverse("projects:indicator-spc", args=[p, i]),
        "projects:change-point-create": reverse("projects:change-point-create", args=[p, i]),
        "projects:change-point-delete": reverse(
            "projects:change-point-delete", args=[p, change_point.pk]
        ),
        "projects:objective-edit": reverse("projects:objective-edit", args=[p, objective.pk]),
        "projects:figures": reverse("projects:figures", args=[p]),
        "projects:figures-approve": reverse("projects:figures-approve", args=[p]),
        "projects:figure-return": reverse("projects:figure-return", args=[p, measurement.pk]),
        "projects:figure-reopen": reverse("projects:figure-reopen", args=[p, measurement.pk]),
        "projects:indicator-approver": reverse("projects:indicator-approver", args=[p, i]),
        "projects:objective-delete": reverse(
            "projects:objective-delete", args=[p, objective.pk]
        ),
        "projects:baseline-edit": reverse("projects:baseline-edit", args=[p, entry.pk]),
        "projects:baseline-delete": reverse("projects:baseline-delete", args=[p, entry.pk]),
    }
    for name in ("indicator-list", "objective-list", "objective-create", "baseline-list",
                 "baseline-create", "measurement-quick-entry", "measurement-import"):
        urls[f"projects:{name}"] = reverse(f"projects:{name}", args=[p])
    for name in ("measurement-export", "measurement-template", "baseline-export"):
        urls[f"projects:{name}"] = reverse(f"projects:{name}", args=[p, "xlsx"])
    return urls


def _assessment_urls(project):
    """A readiness checklist of the project and an open round of its lead organisation."""
    import datetime

    from assessments import services
    from assessments.models import ChecklistTemplate, Framework

    checklist = services.checklist_start(
        project=project, template=ChecklistTemplate.objects.filter(status="published").first(),
        title="Gateway", user=None,
    )
    framework = Framework.objects.filter(status="published").first()
    organisation = project.lead_organisation
    assessment = services.assessment_open(
        organisation=organisation, framework=framework, name="Baseline",
        assessed_on=datetime.date(2026, 3, 1), user=None,
    )
    p, o, r = project.pk, organisation.pk, assessment.pk
    urls = {
        "assessments:checklist-detail": reverse(
            "assessments:checklist-detail", args=[p, checklist.pk]
        ),
        "assessments:round-score": reverse(
            "assessments:round-score", args=[o, r, framework.domains.first().pk]
        ),
        "assessments:round-export": reverse("assessments:round-export", args=[o, r, "xlsx"]),
    }
    urls["assessments:checklist-detail#post"] = urls["assessments:checklist-detail"]
    for name in ("readiness", "checklist-create"):
        urls[f"assessments:{name}"] = reverse(f"assessments:{name}", args=[p])
    for name in ("round-list", "round-create", "round-compare"):
        urls[f"assessments:{name}"] = reverse(f"assessments:{name}", args=[o])
    for name in ("round-detail", "round-submit", "round-reopen", "round-sharing", "round-import"):
        urls[f"assessments:{name}"] = reverse(f"assessments:{name}", args=[o, r])
    return urls


def expected(rule: str, role: str) -> set[int]:
    allowed = {200, 302}
    if rule == "public":
        return allowed
    if role == "anonymous":
        return {302}  # to the sign-in page
    if rule == "signed-in":
        return allowed
    if rule == "staff":
        return allowed if role == "staff" else {302}
    # A project you have no role on, or an organisation you are not in, does not exist for you.
    ranks = ORG_RANKS if rule in ORG_RANKS else RANKS
    members = ORG_RANKS["org-member"] if rule in ORG_RANKS else RANKS["view"]
    if role not in members:
        return {404}
    return allowed if role in ranks[rule] else {403}


CASES = [
    (name, method, role)
    for name, (rule, methods) in RULES.items()
    for method in sorted(methods)
    for role in ROLES
]


@pytest.mark.parametrize("name,method,role", CASES)
def test_permission_matrix(client, world, name, method, role):
    users, urls = world
    if role != "anonymous":
        client.force_login(users[role])
    response = getattr(client, method.lower())(urls[name])
    rule = RULES[name][0]
    assert response.status_code in expected(rule, role), (name, method, role)
    if role == "anonymous" and rule != "public":
        assert "/login/" in response["Location"]


GET_ONLY = [
    name
    for name, (_, methods) in RULES.items()
    if "POST" not in methods and f"{name}#post" not in RULES
]


@pytest.mark.parametrize("name", GET_ONLY)
def test_read_only_urls_refuse_post(client, world, name):
    users, urls = world
    client.force_login(users["lead"])
    response = client.post(urls[name])
    assert response.status_code in {405, 302}
