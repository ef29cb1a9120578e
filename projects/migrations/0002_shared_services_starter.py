from django.db import migrations

from projects import starter_data


def install(apps, schema_editor):
    starter_data.install(
        apps.get_model("projects", "StarterTotem"),
        apps.get_model("projects", "StarterTask"),
        apps.get_model("projects", "StarterImpact"),
    )


def remove(apps, schema_editor):
    apps.get_model("projects", "StarterTotem").objects.filter(name=starter_data.NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
