import pytest

from projects.models import ProjectRole
from projects.tests.factories import (
    ImpactFactory,
    IndicatorFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    TaskFactory,
    UserFactory,
)

ROLES = [role.value for role in ProjectRole.Role]


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def member_of(project):
    """member_of(role) -> a user holding `role` on `project` (and in its lead organisation)."""

    def make(role, project=project):
        user = UserFactory()
        MembershipFactory(user=user, organisation=project.lead_organisation)
        ProjectRoleFactory(project=project, user=user, role=role)
        return user

    return make


@pytest.fixture
def lead(member_of):
    return member_of(ProjectRole.Role.LEAD)


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def chain(project):
    """One task → one impact → one leading indicator in `project`."""
    task = TaskFactory(project=project, title="Produce outcome scenarios")
    impact = ImpactFactory(task=task, statement="The readiness and commitment to proceed")
    indicator = IndicatorFactory(impact=impact, name="Scenarios with a clear statement")
    return task, impact, indicator


def build_chain(project, *, tasks, impacts_per_task=1, indicators_per_impact=2):
    for t in range(tasks):
        task = TaskFactory(project=project, title=f"Task {t} " + "with a long title " * 5)
        for _ in range(impacts_per_task):
            impact = ImpactFactory(task=task)
            for _ in range(indicators_per_impact):
                IndicatorFactory(impact=impact)
