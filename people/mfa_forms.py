from django import forms

from projects.text import TextRulesForm


class CodeForm(TextRulesForm):
    token = forms.CharField(
        label="Six-digit code",
        max_length=6,
        min_length=6,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]{6}", "autofocus": True}),
        help_text="From the authenticator app on your phone (Microsoft Authenticator, Google "
        "Authenticator, or another).",
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("The code is six digits.")
        return token
