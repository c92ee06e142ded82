import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PASSPORT_FIELDS, TravelStay

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TravelStayForm(forms.ModelForm):
    """What an organization enters for its delegate: travel, and the letter's passport data."""

    consent = forms.BooleanField(
        label=_(
            "The delegate agrees that the organizers keep this passport data for the "
            "invitation letter and the hotel, and erase it after the event."
        ),
        required=False,
    )

    class Meta:
        model = TravelStay
        fields = [
            "arrival_date",
            "arrival_time",
            "arrival_transport",
            "arrival_details",
            "departure_date",
            "departure_time",
            "departure_transport",
            "departure_details",
            "visa_needed",
            *PASSPORT_FIELDS,
        ]
        widgets = {
            "arrival_date": DATE,
            "departure_date": DATE,
            "passport_expiry": DATE,
            "date_of_birth": DATE,
            "arrival_time": TIME,
            "departure_time": TIME,
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for name in ("passport_name", "passport_number"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_passport_number(self):
        number = self.cleaned_data["passport_number"].strip().upper().replace(" ", "")
        if number and not re.fullmatch(r"[A-Z0-9]{5,20}", number):
            raise forms.ValidationError(
                _("Letters and digits only, 5 to 20 of them, as printed in the passport.")
            )
        return number

    def clean_passport_expiry(self):
        expiry = self.cleaned_data["passport_expiry"]
        if expiry and expiry <= self.event.end_date:
            raise forms.ValidationError(_("The passport expires before the event ends."))
        return expiry

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born and not (datetime.date(today.year - 110, 1, 1) <= born <= today):
            raise forms.ValidationError(_("Enter the date of birth as in the passport."))
        return born

    def clean(self):
        cleaned = super().clean()
        arrival, departure = cleaned.get("arrival_date"), cleaned.get("departure_date")
        if arrival and departure and departure < arrival:
            self.add_error("departure_date", _("The departure is before the arrival."))
        passport = {name: cleaned.get(name) for name in PASSPORT_FIELDS}
        changed = any(
            (passport[name] or "") != (getattr(self.instance, name) or "")
            for name in PASSPORT_FIELDS
        )
        if any(passport.values()) and changed and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _("Confirm the delegate's consent to enter or change passport data."),
            )
        return cleaned


class CheckInForm(forms.Form):
    code = forms.CharField(max_length=32)
    session = forms.IntegerField(required=False)
