"""Forms of the sign-in pages."""

from django import forms


class RequestLinkForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="The address your branch has for you on the register.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
