"""Forms of the registration, the /my/ pages and the review actions.

Forms validate; the services in services.py write. Every text field refuses HTML, every error
stays next to its field, and a logo that passed its checks is kept on the server while the
person fixes the other fields.
"""

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .consent import CONSENT_TEXT, CONSENT_VERSION, NEWSLETTER_CONSENT_TEXT
from .i18n import language_for
from .identifiers import clean_identifier
from .logos import discard_kept_logo, keep_logo, kept_logo, process_logo
from .models import FocusArea, Organization, ReviewReasonTemplate, SustainableDevelopmentGoal
from .services import PROFILE_FIELDS
from .validators import reject_markup

YEAR_MIN = 1900

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{4,30}$",
    _("Enter a phone number with digits, spaces and dashes, e.g. +7 727 123 45 67."),
    code="phone",
)


def _sort_key(name):
    # "Åland Islands" next to "Albania", in any language's alphabet.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def country_choices():
    """The network's countries first, then every other country, named in the active language."""
    network = settings.NETWORK_COUNTRIES
    others = sorted(
        ((code, name) for code, name in countries if code not in network),
        key=lambda choice: _sort_key(str(choice[1])),
    )
    return [
        ("", _("Choose a country")),
        *[(code, countries.name(code)) for code in network],
        (_("Other countries"), others),
    ]


# --- Organization profile --------------------------------------------------------------------


class OrganizationForm(forms.ModelForm):
    """The organization's profile: the registration's middle part and the /my/ edit page."""

    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=Organization.Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 2 MB. Shown on your public profile."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    logo_token = forms.CharField(required=False, widget=forms.HiddenInput)
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Organization
        # The logo is the form's own file field above; the services store it.
        fields = [field for field in PROFILE_FIELDS if field != "logo"]
        labels = {
            "name": _("Name of the organization"),
            "registration_number": _("National identifier"),
            "public_email": _("Public email"),
            "phone": _("Public phone"),
            "contact_position": _("Your position in the organization"),
            "contact_phone": _("Your phone"),
            "size_band": _("Size (staff and regular volunteers)"),
        }
        help_texts = {
            "registration_number": _(
                "Kazakhstan: BIN, 12 digits. Kyrgyz Republic: INN, 14 digits. Tajikistan: TIN, "
                "9–10 digits. Uzbekistan: STIR, 9 digits. Leave empty if your organization has "
                "none (for example in Turkmenistan) or its registration is under way."
            ),
            "description": _(
                "Your mission, main activities and the communities you work with (plain text, "
                "at most 5,000 characters)."
            ),
            "contact_phone": _("Only the organizers see it."),
            "contact_position": _("Only the organizers see it."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "focus_areas": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
        }

    text_fields = [
        "name",
        "name_local",
        "acronym",
        "city",
        "description",
        "contact_position",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_logo_name = ""
        self.kept_logo_token = ""
        fields = self.fields
        fields["country"].choices = country_choices()
        fields["legal_form"].choices = [
            ("", _("Choose a legal form")),
            *fields["legal_form"].choices[1:],
        ]
        fields["size_band"].choices = [
            ("", _("Prefer not to say")),
            *fields["size_band"].choices[1:],
        ]
        fields["focus_areas"].queryset = FocusArea.objects.all()
        fields["focus_areas"].error_messages["required"] = _("Choose at least one focus area.")
        fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.all()
        fields["sdgs"].required = False
        fields["year_founded"] = forms.IntegerField(
            label=fields["year_founded"].label,
            required=False,
            min_value=YEAR_MIN,
            max_value=timezone.localdate().year,
        )
        for name in ("phone", "contact_phone"):
            fields[name].validators.append(phone_validator)
        for name in self.text_fields:
            fields[name].validators.append(reject_markup)
        if not self.instance.logo:
            del fields["remove_logo"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout_sections())

    def organization_sections(self):
        return [
            Fieldset(
                _("The organization"),
                "name",
                "name_local",
                "acronym",
                Div(
                    Div("legal_form", css_class="col-md-6"),
                    Div("size_band", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("country", css_class="col-md-6"),
                    Div("city", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("registration_number", css_class="col-md-8"),
                    Div("year_founded", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("What it does"),
                "description",
                Field("focus_areas", wrapper_class="checkbox-columns"),
                Field("sdgs", wrapper_class="checkbox-columns"),
                Field("working_languages", wrapper_class="checkbox-columns"),
                "logo",
                HTML('{% include "organizations/includes/_kept_logo.html" %}'),
                *(["remove_logo"] if "remove_logo" in self.fields else []),
            ),
            Fieldset(
                _("Public contacts"),
                "website",
                Div(
                    Div("public_email", css_class="col-md-6"),
                    Div("phone", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Who may see the organization"), "visibility"),
        ]

    def layout_sections(self):
        return [
            *self.organization_sections(),
            Fieldset(_("You, the contact person"), "contact_position", "contact_phone"),
        ]

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if upload:
            original_name = getattr(upload, "name", "") or ""
            content = process_logo(upload)
            content.original_name = original_name
            return content
        token = self.data.get(self.add_prefix("logo_token"))
        if token:
            kept = kept_logo(token)
            if kept is None:
                raise ValidationError(
                    _("The logo you chose earlier could not be kept. Please choose it again."),
                    code="logo_lost",
                )
            content, original_name = kept
            content.original_name = original_name
            self.kept_logo_name, self.kept_logo_token = original_name, token
            return content
        return None

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("registration_number", "")
        if "country" in cleaned and number:
            try:
                cleaned["registration_number"] = clean_identifier(cleaned["country"], number)
            except ValidationError as error:
                self.add_error("registration_number", error)
        return cleaned

    def full_clean(self):
        super().full_clean()
        logo = getattr(self, "cleaned_data", {}).get("logo")
        if self.is_bound and self._errors and logo and not self.kept_logo_token:
            self.kept_logo_token = keep_logo(logo, logo.original_name)
            self.kept_logo_name = logo.original_name

    def _post_clean(self):
        # The services save the instance; the model's own checks run there (full_clean), and
        # running them here on a half-edited approved profile would change it in memory.
        pass

    def profile(self):
        """The cleaned values the services take."""
        data = {field: self.cleaned_data.get(field) for field in self._meta.fields}
        data["working_languages"] = self.cleaned_data.get("working_languages") or []
        data["logo"] = self.cleaned_data.get("logo")
        data["remove_logo"] = self.cleaned_data.get("remove_logo", False)
        for field, value in data.items():
            if value is None and field not in ("year_founded", "logo"):
                data[field] = ""
        return data

    def remove_kept_logo(self):
        if self.kept_logo_token:
            discard_kept_logo(self.kept_logo_token)


class RegistrationForm(OrganizationForm):
    """The account, the organization, the contact person and the consent, in one form."""

    first_name = forms.CharField(label=_("First name"), max_length=150, validators=[reject_markup])
    last_name = forms.CharField(label=_("Last name"), max_length=150, validators=[reject_markup])
    email = forms.EmailField(
        label=_("Email"),
        max_length=150,
        help_text=_("You will sign in with it; we send a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described above."),
        error_messages={"required": _("Registration needs your consent.")},
    )
    # Optional and unchecked: the newsletter needs its own, freely given consent.
    newsletter = forms.BooleanField(label=NEWSLETTER_CONSENT_TEXT, required=False, initial=False)
    # A field people never see (hidden with CSS and from assistive technology); bots fill it.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_position"].required = True
        self.consent_text = CONSENT_TEXT
        self.consent_version = CONSENT_VERSION

    def layout_sections(self):
        return [
            Fieldset(
                _("Your account"),
                Div(
                    Div("first_name", css_class="col-md-6"),
                    Div("last_name", css_class="col-md-6"),
                    css_class="row",
                ),
                "email",
                Div(
                    Div("password1", css_class="col-md-6"),
                    Div("password2", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            *self.organization_sections(),
            Fieldset(_("You, the contact person"), "contact_position", "contact_phone"),
            Fieldset(
                _("Consent"),
                HTML('{% include "organizations/includes/_consent_text.html" %}'),
                "consent",
                "newsletter",
            ),
            Div("homepage", css_class="form-trap", aria_hidden="true"),
        ]

    def clean_email(self):
        # Whether the address has an account is not said here: the answer must be the same
        # for everyone (the services email the address's owner instead).
        return get_user_model().objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean_homepage(self):
        if self.cleaned_data.get("homepage"):
            # Said at the top of the form: the field itself is out of sight.
            raise ValidationError(
                _("The form could not be sent. Please check it and send it again."),
                code="honeypot",
            )
        return ""

    def add_error(self, field, error):
        if field == "homepage":
            field = None
        super().add_error(field, error)

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, email=cleaned.get("email", ""))
        return cleaned


def add_service_error(form, error):
    """A ValidationError from a service: next to its field when the form has it, otherwise at
    the top of the form (a model field the form does not show, such as the user name)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def check_new_password(form, cleaned, *, email):
    """Both passwords alike and strong enough for the account about to be created."""
    password1, password2 = cleaned.get("password1"), cleaned.get("password2")
    if password1 and password2 and password1 != password2:
        form.add_error("password2", _("The two passwords differ."))
    elif password1:
        user = get_user_model()(
            username=email,
            email=email,
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        try:
            validate_password(password1, user)
        except ValidationError as error:
            form.add_error("password1", error)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the person to invite"),
        max_length=150,
        help_text=_("They get a link to create their account and edit the organization with you."),
    )


class JoinForm(forms.Form):
    """A new account for an invited person; the email is the invitation's."""

    first_name = forms.CharField(label=_("First name"), max_length=150, validators=[reject_markup])
    last_name = forms.CharField(label=_("Last name"), max_length=150, validators=[reject_markup])
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, email=self.email)
        return cleaned


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=150)


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, asking for the email address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})
        self.error_messages["invalid_login"] = _(
            "Please enter a correct email address and password. Note that the password is "
            "case-sensitive."
        )


class ReviewReasonForm(forms.Form):
    """The reason an organizer gives when requesting changes, rejecting or suspending."""

    template = forms.ModelChoiceField(
        label=_("Reason from the templates"),
        queryset=ReviewReasonTemplate.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    reason = forms.CharField(
        label=_("Reason in your own words"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        required=False,
        max_length=5000,
        help_text=_(
            "Added after the template's text, if you chose one. The organization reads it."
        ),
    )

    def __init__(self, *args, kind, reason_required, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        self.fields["template"].queryset = ReviewReasonTemplate.objects.filter(
            kind=kind, is_active=True
        )

    def clean(self):
        cleaned = super().clean()
        template, reason = cleaned.get("template"), (cleaned.get("reason") or "").strip()
        parts = [part for part in (template.text if template else "", reason) if part]
        if self.reason_required and not parts:
            raise ValidationError(
                _("Choose a reason from the templates or write one."), code="reason_required"
            )
        cleaned["full_reason"] = "\n\n".join(parts)
        return cleaned


class AccountLanguagePasswordResetForm(PasswordResetForm):
    """The reset link in the account's own language, whatever the page it was asked for on."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_for(context.get("user"))):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
