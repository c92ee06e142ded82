"""The confirmation a person gives before their account is erased."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountErasureForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you who asks."),
    )
    understood = forms.BooleanField(
        label=_("I understand that my account and my personal data are erased for good."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
