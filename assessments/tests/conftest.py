import pytest

from assessments import defaults
from assessments.models import ChecklistTemplate, Framework
from projects.models import Membership
from projects.tests.factories import OrganisationFactory

from .factories import member


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="North Vale Hospitals NHS Trust", short_name="NVH")


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Riverside Community NHS Trust", short_name="RCT")


@pytest.fixture
def org_member(organisation):
    return member(organisation)


@pytest.fixture
def org_admin(organisation):
    return member(organisation, Membership.Role.ADMIN)


@pytest.fixture
def member_client(client, org_member):
    client.force_login(org_member)
    return client


@pytest.fixture
def org_admin_client(client, org_admin):
    client.force_login(org_admin)
    return client


@pytest.fixture
def nhs_impact(db):
    """The framework shipped by the data migration."""
    return Framework.objects.get(slug=defaults.FRAMEWORK_SLUG, version=1)


@pytest.fixture
def readiness_template(db):
    """The readiness checklist shipped by the data migrations: version 2, in ICS words."""
    return ChecklistTemplate.objects.get(slug=defaults.READINESS_SLUG, version=2)
