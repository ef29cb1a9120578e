"""Every API route × every role × every method, generated from the URLconf: a new API route
without a row in ROUTES fails `test_every_api_route_has_a_rule`.

The API applies the pages' rules (`projects.access`): a project you hold no role on does not
exist (404), a role without the right is refused (403); no token is 401; a read-only token
cannot write (403).
"""

import datetime
import json

import pytest
from django.urls import URLPattern, get_resolver, reverse

from api import urls as api_urls
from api.models import AccessToken
from projects.models import Measurement, ProjectRole
from projects.tests.factories import MembershipFactory, UserFactory

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
ROLES = ["anonymous", "outsider", "org-admin", "viewer", "governor", "contributor", "lead"]
PROJECT_ROLES = {"viewer", "governor", "contributor", "lead"}
ORG_MEMBERS = PROJECT_ROLES | {"org-admin"}  # every role above is in the lead organisation

# route name -> (who may, the methods it answers). "signed-in": any token; "public": anyone;
# "view"/"edit": that right on the project; "org-member": a member of the round's organisation.
ROUTES = {
    "schema": ("public", {"GET"}),
    "docs": ("public", {"GET"}),
    "organisation-list": ("signed-in", {"GET"}),
    "project-list": ("signed-in", {"GET"}),
    "project-detail": ("view", {"GET"}),
    "project-chain": ("view", {"GET"}),
    "indicator-list": ("view", {"GET"}),
    "tidy-feed": ("view", {"GET"}),
    "objective-list": ("view", {"GET"}),
    "readiness-list": ("view", {"GET"}),
    "measurement-batch-create": ("edit", {"POST"}),
    "round-list": ("signed-in", {"GET"}),
    "round-detail": ("org-member", {"GET"}),
}
EDIT = {"contributor", "lead"}


def test_every_api_route_has_a_rule():
    patterns = get_resolver(api_urls).url_patterns
    names = {e.name for e in patterns if isinstance(e, URLPattern) and e.name}
    assert names == set(ROUTES), f"Add these routes to ROUTES: {sorted(names - set(ROUTES))}"


@pytest.fixture
def world(project, chain, member_of, token_for):
    from assessments import services
    from assessments.models import Framework

    task, impact, indicator = chain
    Measurement.objects.create(
        project=project, indicator=indicator, date=datetime.date(2026, 1, 1), value=3
    )
    users = {role: member_of(role) for role in PROJECT_ROLES}
    users["outsider"] = UserFactory()
    users["org-admin"] = MembershipFactory(
        organisation=project.lead_organisation, role="admin"
    ).user
    framework = Framework.objects.filter(status="published").first()
    assessment = services.assessment_open(
        organisation=project.lead_organisation,
        framework=framework,
        name="Baseline",
        assessed_on=datetime.date(2026, 3, 1),
        user=None,
    )
    tokens = {
        (role, scope): token_for(user, scope)
        for role, user in users.items()
        for scope in AccessToken.Scope.values
    }
    p = project.pk
    urls = {name: reverse(f"api:{name}") for name in ("schema", "docs")}
    for name in ("organisation-list", "project-list", "round-list"):
        urls[name] = reverse(f"api:{name}")
    for name in (
        "project-detail",
        "project-chain",
        "indicator-list",
        "tidy-feed",
        "objective-list",
        "readiness-list",
        "measurement-batch-create",
    ):
        urls[name] = reverse(f"api:{name}", args=[p])
    urls["round-detail"] = reverse("api:round-detail", args=[assessment.pk])
    batch = {"rows": [{"indicator": indicator.pk, "period": "2026-02-01", "value": 4}]}
    return tokens, urls, batch


def expected(rule: str, allowed_methods: set, method: str, role: str, scope: str) -> int:
    if rule == "public":
        return 200 if method in allowed_methods else 405
    if role == "anonymous":
        return 401
    writing = method not in {"GET", "HEAD", "OPTIONS"}
    if writing and scope == AccessToken.Scope.READ:
        return 403  # a read-only token is refused before anything else is looked at
    if method not in allowed_methods:
        return 405  # whoever asks, so it tells nothing about the project
    if rule == "signed-in":
        return 200
    members = ORG_MEMBERS if rule == "org-member" else PROJECT_ROLES
    if role not in members:
        return 404
    if rule == "edit":
        return 201 if role in EDIT else 403
    return 200


CASES = [
    (method, role, scope)
    for method in METHODS
    for role in ROLES
    for scope in (AccessToken.Scope.values if role != "anonymous" else ["none"])
]


@pytest.mark.parametrize("name", ROUTES)
def test_api_permission_matrix(client, world, name):
    """Each route with every method, role and token scope (one world per route: building it
    for each of the 850 cases would take minutes)."""
    tokens, urls, batch = world
    rule, methods = ROUTES[name]
    wrong = []
    for method, role, scope in CASES:
        headers = {}
        if role != "anonymous":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[role, scope]}"
        body = {**batch, "idempotency_key": f"{role}-{scope}"}
        response = client.generic(
            method,
            urls[name],
            data=None if method == "GET" else json.dumps(body),
            content_type="application/json",
            **headers,
        )
        want = expected(rule, methods, method, role, scope)
        if response.status_code != want:
            wrong.append((method, role, scope, response.status_code, want))
    assert not wrong, f"{name}: (method, role, scope, got, expected) {wrong}"


def test_an_outsider_lists_nothing_of_the_project(client, world):
    tokens, urls, _ = world
    auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens['outsider', 'read']}"}
    assert client.get(urls["project-list"], **auth).json()["count"] == 0
    assert client.get(urls["round-list"], **auth).json()["count"] == 0
    assert client.get(urls["organisation-list"], **auth).json()["count"] == 0


def test_an_archived_project_is_seen_only_by_its_lead(project, world, client):
    from django.utils import timezone

    tokens, urls, _ = world
    project.archived_at = timezone.now()
    project.save()
    for role, status in (("lead", 200), ("viewer", 404), ("contributor", 404)):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role, 'read']}"}
        assert client.get(urls["project-detail"], **auth).status_code == status, role
        listed = client.get(urls["project-list"], **auth).json()["count"]
        assert listed == (1 if role == "lead" else 0), role


def test_the_roles_are_the_projects_roles():
    assert PROJECT_ROLES == set(ProjectRole.Role.values)
