"""How an organisation's people sign in: its email domains, and whether passwords are allowed.

Both are set by site staff in the admin (on the organisation's page). A new account whose
verified email is at one of an organisation's domains joins it as a member on its first single
sign-on; an organisation set to "single sign-on only" turns password sign-in off for its members.
"""

from django.core.validators import RegexValidator
from django.db import models

from projects.models import Organisation

__all__ = ["OrganisationDomain", "OrganisationSignIn"]

domain_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    "Enter a domain such as trust.nhs.uk (lower case, no @ and no spaces).",
)


class OrganisationDomain(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_domains"
    )
    domain = models.CharField(
        max_length=253,
        unique=True,
        validators=[domain_validator],
        help_text="People whose verified email ends in @ this domain join the organisation "
        "as members on their first single sign-on.",
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def clean_fields(self, exclude=None):
        self.domain = (self.domain or "").strip().lower().lstrip("@")  # " @Trust.NHS.uk"
        super().clean_fields(exclude)


class OrganisationSignIn(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sign_in"
    )
    sso_only = models.BooleanField(
        "single sign-on only",
        default=False,
        help_text="Members must sign in with single sign-on: password sign-in is refused.",
    )

    class Meta:
        verbose_name = "sign-in policy"

    def __str__(self):
        return f"Sign-in policy of {self.organisation}"
