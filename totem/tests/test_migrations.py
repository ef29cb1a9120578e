"""Data migrations run forward on a database that already holds data, and keep it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_data_migrations_run_forward_over_existing_data():
    executor = MigrationExecutor(connection)
    executor.migrate([("projects", "0001_initial"), ("assessments", None), ("totem", None)])
    old = executor.loader.project_state([("projects", "0001_initial")]).apps

    # Data as an early installation had it, written through the models of that time.
    user = old.get_model("auth", "User").objects.create(username="early-adopter")
    organisation = old.get_model("projects", "Organisation").objects.create(name="Early Trust")
    project = old.get_model("projects", "Project").objects.create(
        title="Shared payroll", lead_organisation=organisation
    )
    old.get_model("projects", "ProjectRole").objects.create(
        project=project, user=user, role="lead"
    )
    task = old.get_model("projects", "Task").objects.create(
        project=project, title="Confirm the issue", position=1
    )
    old.get_model("projects", "Impact").objects.create(
        project=project, task=task, statement="Gained the commitment to investigate", position=1
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps

    Project = new.get_model("projects", "Project")
    migrated = Project.objects.get(title="Shared payroll")
    assert migrated.archived_at is None
    assert migrated.tasks.get().impacts.get().statement == "Gained the commitment to investigate"
    starter = new.get_model("projects", "StarterTotem").objects.get(
        name="Shared services Impact Totem"
    )
    assert starter.tasks.count() == 14
    checklists = new.get_model("assessments", "ChecklistTemplate").objects.all()
    assert checklists.filter(status="published").count() >= 1
    framework = new.get_model("assessments", "Framework").objects.get()
    assert framework.questions.count() == 22
