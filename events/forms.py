from django import forms
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from organizations.validators import reject_markup

from .models import RESERVED_EVENT_SLUGS, Delegate, Event, Session, SessionFeedback
from .services import DELEGATE_FIELDS


def day_label(day):
    """ "Tuesday, 28 January"; "E" is the month as written with a day ("28 января")."""
    return capfirst(formats.date_format(day, "l, j E"))


class AgendaFilterForm(forms.Form):
    """Filters of the agenda: plain GET parameters, so a filtered agenda is a shareable URL."""

    day = forms.ChoiceField(label=_("Day"), required=False)
    track = forms.TypedChoiceField(label=_("Track"), required=False, coerce=int, empty_value=None)
    room = forms.TypedChoiceField(label=_("Room"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of session"), required=False)

    def __init__(self, *args, event, tracks, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["day"].choices = [("", _("All days"))] + [
            (day.isoformat(), day_label(day)) for day in event.days
        ]
        self.fields["track"].choices = [("", _("All tracks"))] + [
            (track.pk, track.name) for track in tracks
        ]
        self.fields["room"].choices = [("", _("All rooms"))] + [
            (room.pk, room.name) for room in rooms
        ]
        self.fields["kind"].choices = [("", _("All kinds"))] + list(Session.Kind.choices)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter(self, sessions):
        """Apply the filters that are valid; an invalid one is reported and left out."""
        if not self.is_bound:
            return sessions
        self.is_valid()
        values = self.cleaned_data
        if values.get("day"):
            day = next(day for day in self.event.days if day.isoformat() == values["day"])
            starts, ends = self.event.day_bounds(day)
            sessions = sessions.filter(starts_at__gte=starts, starts_at__lt=ends)
        if values.get("track"):
            sessions = sessions.filter(track_id=values["track"])
        if values.get("room"):
            sessions = sessions.filter(room_id=values["room"])
        if values.get("kind"):
            sessions = sessions.filter(kind=values["kind"])
        return sessions

    @property
    def active_count(self):
        """How many filters are set, for the button that unfolds them on a phone."""
        if not self.is_bound:
            return 0
        self.is_valid()
        return sum(1 for name in self.fields if self.cleaned_data.get(name))

    @property
    def is_filtered(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class NextEditionForm(forms.Form):
    """The intermediate step of the admin action "Copy as next edition"."""

    title_en = forms.CharField(label=_("Title [en]"), max_length=200)
    title_ru = forms.CharField(label=_("Title [ru]"), max_length=200, required=False)
    slug = forms.SlugField(label=_("Slug"), max_length=200)
    start_date = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The other dates move by the same number of days."),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_EVENT_SLUGS:
            raise forms.ValidationError(_("This slug is reserved; choose another one."))
        if Event.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another event already has this slug."))
        return slug


class DelegateFieldsMixin:
    """What the members' and the organizers' delegate forms check alike: plain text, a
    normalized email; `values()` hands the services the delegate's fields."""

    plain_text_fields = ("full_name", "position", "language_needs", "accessibility_needs")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plain_text_fields:
            if name in self.fields:
                self.fields[name].validators.append(reject_markup)

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def values(self):
        return {name: self.cleaned_data.get(name) or "" for name in DELEGATE_FIELDS}


class DelegateForm(DelegateFieldsMixin, forms.ModelForm):
    """A delegate's details, as a member types them. The service decides the seat; this form
    only checks the values."""

    class Meta:
        model = Delegate
        fields = DELEGATE_FIELDS
        widgets = {
            "gender": forms.RadioSelect,
            "age_band": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["position"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["position"].help_text = _("Their role in the organization.")
        self.fields["email"].help_text = _(
            "The delegate receives the confirmation and the calendar file at this address."
        )
        # "Not given" is a choice like the others, so that it reads as a deliberate answer.
        self.fields["gender"].choices = [("", _("Not given"))] + list(Delegate.Gender.choices)
        self.fields["age_band"].choices = [("", _("Not given"))] + list(Delegate.AgeBand.choices)

    def _post_clean(self):
        # The services validate the model with the event and the organization they set; the
        # form's instance has neither yet.
        pass


class SessionBookingForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[("book", "book"), ("unbook", "unbook")], widget=forms.HiddenInput
    )


class SessionFeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("How useful was the session for you?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5: very useful; 1: not useful."),
    )

    class Meta:
        model = SessionFeedback
        fields = ["rating", "comment"]
        labels = {"comment": _("Comment (optional)")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
