"""Forms of the account pages (two-factor) and of the members page (invitations, roles).

They check shape only; which role fits which workspace is decided by the members service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def _token_widget() -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "autofocus": True})


class OTPForm(forms.Form):
    """A code from the authenticator app, or one of the backup codes."""

    token = forms.CharField(label=_("Code from your authenticator app (or a backup code)"), max_length=16,
                            widget=_token_widget())

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "").strip()


class OTPSetupForm(forms.Form):
    token = forms.CharField(label=_("The 6-digit code your app shows now"), min_length=6, max_length=8,
                            widget=_token_widget())

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "").strip()
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the digits only."))
        return token


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    # Optional here: a new account needs them (the service says so), a re-sent invitation not.
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
