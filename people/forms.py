"""Forms validate and render; services save."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model, password_validation

from projects.models import Membership, ProjectRole
from projects.text import TextRulesForm


class _Form(TextRulesForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class InviteForm(_Form):
    email = forms.EmailField(
        label="Email address", max_length=150,
        help_text="If they have no account yet, the email invites them to make one.",
    )
    role = forms.ChoiceField()

    def __init__(self, *args, roles: list[str], organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict((Membership.Role if organisation else ProjectRole.Role).choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]
        # The least surprising role first: nobody becomes a lead by a slip of the form.
        self.fields["role"].initial = "member" if organisation else "contributor"


class AcceptForm(_Form):
    """A new account for an invited address: a name and a password."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password1 = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password.")
    password2 = forms.CharField(label="Password again", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            user = get_user_model()(username=self.email, email=self.email,
                                    first_name=data.get("first_name", ""),
                                    last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class NameForm(_Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)


class _WithPassword(_Form):
    password = forms.CharField(
        label="Your current password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]  # an account that signs in only with single sign-on

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class EmailChangeForm(_WithPassword):
    new_email = forms.EmailField(label="New email address", max_length=150)

    field_order = ["new_email", "password"]

    def clean_new_email(self):
        email = self.cleaned_data["new_email"].strip().lower()
        if email == (self.user.email or "").lower():
            raise forms.ValidationError("That is already your address.")
        return email


class SignOutEverywhereForm(_WithPassword):
    pass
