"""Factories for the planning record (principles, scenarios, ideas, risks, dependencies)."""

import factory

from projects.models import Dependency, DesignPrinciple, Idea, PrincipleScore, Risk, Scenario

from .factories import ProjectFactory


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignPrinciple

    project = factory.SubFactory(ProjectFactory)
    statement = factory.Sequence(lambda n: f"Advice is self-service wherever possible ({n})")
    position = factory.Sequence(lambda n: n + 1)


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Scenario {n}")
    likelihood = 50
    position = factory.Sequence(lambda n: n + 1)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrincipleScore

    scenario = factory.SubFactory(ScenarioFactory)
    principle = factory.SubFactory(
        PrincipleFactory, project=factory.SelfAttribute("..scenario.project")
    )
    project = factory.SelfAttribute("scenario.project")
    score = PrincipleScore.Score.MEETS


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    project = factory.SubFactory(ProjectFactory)
    task_title = factory.Sequence(lambda n: f"Visit a shared payroll service ({n})")
    intended_impact = "Seen what good looks like"
    position = factory.Sequence(lambda n: n + 1)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Key staff leave before the transfer ({n})")
    position = factory.Sequence(lambda n: n + 1)


class DependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dependency

    project = factory.SubFactory(ProjectFactory)
    description = "The new HR system must be live first"
    other_project_name = "Regional HR system replacement"
    position = factory.Sequence(lambda n: n + 1)
