from django.db import migrations
from django.utils import timezone

from assessments import defaults


def install(apps, schema_editor):
    model = apps.get_model
    published_at = timezone.now()
    defaults.install_readiness(
        model("assessments", "ChecklistTemplate"),
        model("assessments", "ChecklistItem"),
        published_at=published_at,
    )
    defaults.install_framework(
        model("assessments", "Framework"),
        model("assessments", "Level"),
        model("assessments", "Domain"),
        model("assessments", "Question"),
        model("assessments", "Descriptor"),
        published_at=published_at,
    )


def remove(apps, schema_editor):
    apps.get_model("assessments", "ChecklistTemplate").objects.filter(
        slug=defaults.READINESS_SLUG, version=1
    ).delete()
    apps.get_model("assessments", "Framework").objects.filter(
        slug=defaults.FRAMEWORK_SLUG, version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
