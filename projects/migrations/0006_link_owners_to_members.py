"""Link each task's and indicator's free-text owner to the project member it names exactly.

A member matches when the text, ignoring case and surrounding spaces, is their full name or
their email address. Text that names nobody, or more than one member, stays as it is and is
still shown where no person is chosen.
"""

from django.db import migrations


def _key(text):
    return " ".join((text or "").split()).casefold()


def link_owners(apps, schema_editor):
    ProjectRole = apps.get_model("projects", "ProjectRole")
    members: dict[int, dict[str, set[int]]] = {}
    for role in ProjectRole.objects.select_related("user"):
        user = role.user
        names = members.setdefault(role.project_id, {})
        full_name = f"{user.first_name} {user.last_name}"
        for key in {_key(full_name), _key(user.email)} - {""}:
            names.setdefault(key, set()).add(user.pk)
    for model_name in ("Task", "Indicator"):
        model = apps.get_model("projects", model_name)
        rows = model.objects.filter(owner_person__isnull=True).exclude(owner="")
        for pk, project_id, owner in rows.values_list("pk", "project_id", "owner"):
            matches = members.get(project_id, {}).get(_key(owner), set())
            if len(matches) == 1:
                model.objects.filter(pk=pk).update(owner_person_id=next(iter(matches)))


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_indicator_task_owner_person_and_due_settings")]

    operations = [migrations.RunPython(link_owners, migrations.RunPython.noop)]
