"""Every kind of notification, in one place: its label and how it is emailed by default."""

from django.db import models


class Kind(models.TextChoices):
    FIGURE_DUE = "figure_due", "A figure I own is due"
    FIGURE_OVERDUE = "figure_overdue", "A figure is overdue"
    MENTIONED = "mentioned", "Someone mentions me in a comment"
    DECISION_REQUESTED = "decision_requested", "A decision waits for me as a governor"
    DECISION_RECORDED = "decision_recorded", "A decision is recorded on my project"
    PACK_READY = "pack_ready", "A pack I asked for is ready"
    INVITATION = "invitation", "I am invited to a project"


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", "At once"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    OFF = "off", "Off"


# Things someone waits for go at once; news that needs nothing from the reader waits for the
# daily digest.
DEFAULT_DELIVERY = {
    Kind.FIGURE_DUE: Delivery.AT_ONCE,
    Kind.FIGURE_OVERDUE: Delivery.AT_ONCE,
    Kind.MENTIONED: Delivery.AT_ONCE,
    Kind.DECISION_REQUESTED: Delivery.AT_ONCE,
    Kind.DECISION_RECORDED: Delivery.DAILY,
    Kind.PACK_READY: Delivery.AT_ONCE,
    Kind.INVITATION: Delivery.AT_ONCE,
}
