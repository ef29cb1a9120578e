"""The shipped readiness checklist in current NHS words: "STP" becomes ICS / ICB in a new
published version 2; version 1, published and immutable, is retired but not changed."""

from django.db import migrations
from django.utils import timezone

from assessments import defaults


def install(apps, schema_editor):
    defaults.install_readiness_ics_version(
        apps.get_model("assessments", "ChecklistTemplate"),
        apps.get_model("assessments", "ChecklistItem"),
        published_at=timezone.now(),
    )


def remove(apps, schema_editor):
    template = apps.get_model("assessments", "ChecklistTemplate")
    second = template.objects.filter(slug=defaults.READINESS_SLUG, version=2).first()
    if second is not None and not second.checklists.exists():
        second.delete()
        template.objects.filter(slug=defaults.READINESS_SLUG, version=1).update(status="published")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_shipped_templates")]
    operations = [migrations.RunPython(install, remove)]
