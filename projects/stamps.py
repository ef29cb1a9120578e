"""Version stamps of an indicator's values, kept on write so reads need not hash the values.

`Indicator.values_stamp` goes up, in the same transaction, whenever a measurement or a change
point of the indicator is saved or deleted (the signals below), or written in bulk (the
service calls `values_changed`). A part of a page drawn from the values
(`projects.fragments`) is keyed by the stamp, so it is never served stale and the values are
read only to draw a part that is not kept yet. Whoever writes values without a model save or
delete (bulk_create, bulk_update, QuerySet.update) must call `values_changed`.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ChangePoint, Indicator, Measurement


def values_changed(indicator_ids) -> None:
    """The values or change points of these indicators were written: new stamps."""
    Indicator.objects.filter(pk__in=set(indicator_ids)).update(values_stamp=F("values_stamp") + 1)


@receiver(post_save, sender=Measurement, dispatch_uid="stamp-measurement-saved")
@receiver(post_delete, sender=Measurement, dispatch_uid="stamp-measurement-deleted")
@receiver(post_save, sender=ChangePoint, dispatch_uid="stamp-change-point-saved")
@receiver(post_delete, sender=ChangePoint, dispatch_uid="stamp-change-point-deleted")
def _value_written(sender, instance, **kwargs):
    values_changed([instance.indicator_id])
