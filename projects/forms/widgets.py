from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, which needs ISO dates whatever the site's locale: without
    the format a stored date shows blank in the picker, and saving again would clear it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
