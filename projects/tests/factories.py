import factory
from django.contrib.auth import get_user_model

from projects.models import (
    Impact,
    Indicator,
    Membership,
    Organisation,
    Project,
    ProjectRole,
    Task,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} NHS Trust")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    purpose = "Payroll errors are too high."
    lead_organisation = factory.SubFactory(OrganisationFactory)


class ProjectRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectRole

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = ProjectRole.Role.LEAD


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    position = factory.Sequence(lambda n: n + 1)


class ImpactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Impact

    task = factory.SubFactory(TaskFactory)
    project = factory.SelfAttribute("task.project")
    statement = factory.Sequence(lambda n: f"Secured the buy-in of governors ({n})")
    position = factory.Sequence(lambda n: n + 1)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    impact = factory.SubFactory(ImpactFactory)
    project = factory.SelfAttribute("impact.project")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    kind = Indicator.Kind.LEADING
    position = factory.Sequence(lambda n: n + 1)
