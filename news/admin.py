"""News posts and newsletters in the organizers' backend.

Newsletters, their audiences and the consents are the organizers' only (the "Organizers"
group); country coordinators see the recipients of their countries and nothing else here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override as override_language
from django.views.decorators.cache import never_cache
from modeltranslation.admin import TranslationAdmin

from events.models import Delegate
from organizations.admin import CountryScopedAdminMixin
from organizations.logos import process_logo
from organizations.models import Organization

from . import audience, markdown, sending
from .models import Newsletter, NewsletterRecipient, Post, RefusedAddress, Subscription


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title", "slug", "summary", "body", "status", "published_at", "image", "image_alt",
            "focus_areas", "countries", "event",
        ]  # fmt: skip

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload: checked by content
            return process_logo(image)
        return image


@admin.register(Post)
class PostAdmin(TranslationAdmin):
    form = PostAdminForm
    list_display = ["title", "status", "published_at", "event"]
    list_filter = ["status", "focus_areas", "event"]
    search_fields = ["title_en", "title_ru", "summary_en", "summary_ru"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = []
    filter_horizontal = ["focus_areas"]
    list_select_related = ["event"]
    date_hierarchy = "published_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (gettext_lazy("Publication"), {"fields": ["status", "published_at"]}),
        (gettext_lazy("Image"), {"fields": ["image", "image_alt"]}),
        (gettext_lazy("What it is about"), {"fields": ["focus_areas", "countries", "event"]}),
    ]


class NewsletterAdminForm(forms.ModelForm):
    organization_statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Organizations' statuses"),
        choices=Organization.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Organization.Status.APPROVED],
        help_text=gettext_lazy("None chosen: any status."),
    )
    delegate_statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Delegates' statuses"),
        choices=Delegate.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Delegate.Status.CONFIRMED],
        help_text=gettext_lazy("For delegates of an event; none chosen: any status."),
    )

    class Meta:
        model = Newsletter
        fields = [
            "subject", "body", "people", "countries", "focus_areas", "organization_statuses",
            "event", "delegate_statuses",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("people") == Newsletter.People.DELEGATES and not cleaned.get("event"):
            self.add_error("event", _("Choose the event whose delegates receive it."))
        return cleaned


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label=gettext_lazy("When"),
        choices=[
            ("now", gettext_lazy("Now")),
            ("later", gettext_lazy("At a set time")),
        ],
        widget=forms.RadioSelect,
        initial="now",
    )
    scheduled_at = forms.DateTimeField(
        label=gettext_lazy("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == "later":
            at = cleaned.get("scheduled_at")
            if at is None:
                self.add_error("scheduled_at", _("Give the date and time to send it at."))
            elif at <= timezone.now():
                self.add_error("scheduled_at", _("This time has passed: choose a later one."))
        return cleaned


@admin.register(Newsletter)
class NewsletterAdmin(TranslationAdmin):
    form = NewsletterAdminForm
    list_display = ["subject", "status", "people", "scheduled_at", "finished_at"]
    list_filter = ["status", "people"]
    search_fields = ["subject_en", "subject_ru"]
    filter_horizontal = ["focus_areas"]
    readonly_fields = ["status", "scheduled_at", "started_at", "finished_at", "recipients_now"]
    fieldsets = [
        (None, {"fields": ["subject", "body"]}),
        (
            gettext_lazy("Audience"),
            {
                "fields": [
                    "people",
                    "countries",
                    "focus_areas",
                    "organization_statuses",
                    "event",
                    "delegate_statuses",
                    "recipients_now",
                ],
                "description": gettext_lazy(
                    "Only people who asked for the newsletter receive it; addresses a mail "
                    "server refused for good are left out."
                ),
            },
        ),
        (
            gettext_lazy("Sending"),
            {"fields": ["status", "scheduled_at", "started_at", "finished_at"]},
        ),
    ]

    @admin.display(description=gettext_lazy("Recipients now"))
    def recipients_now(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the newsletter to count its recipients.")
        if not obj.is_editable:
            return obj.recipients.count()
        return audience.count(obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False  # sending or sent: it stays as it went out
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="news_newsletter_preview",
            ),
            path("<path:object_id>/test/", view(self.test_view), name="news_newsletter_test"),
            path("<path:object_id>/send/", view(self.send_view), name="news_newsletter_send"),
            path(
                "<path:object_id>/progress.json",
                view(never_cache(self.progress_view)),
                name="news_newsletter_progress",
            ),
            *super().get_urls(),
        ]

    def _newsletter(self, request, object_id, *, change=False):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        allowed = (
            super().has_change_permission(request, obj)
            if change
            else self.has_view_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def _change_url(self, obj):
        return reverse("admin:news_newsletter_change", args=[obj.pk])

    def preview_view(self, request, object_id):
        newsletter = self._newsletter(request, object_id)
        versions = []
        for code, name in (("en", _("English")), ("ru", _("Russian"))):
            with override_language(code):
                versions.append(
                    {
                        "code": code,
                        "name": name,
                        "subject": newsletter.subject,
                        "html": markdown.render(newsletter.body),
                    }
                )
        return TemplateResponse(
            request,
            "admin/news/newsletter/preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": newsletter,
                "title": _("Preview: %(subject)s") % {"subject": newsletter.subject},
                "versions": versions,
                "recipient_count": audience.count(newsletter)
                if newsletter.is_editable
                else newsletter.recipients.count(),
            },
        )

    def test_view(self, request, object_id):
        newsletter = self._newsletter(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(newsletter))
        if not request.user.email:
            messages.error(request, _("Your account has no email address to send the test to."))
        else:
            sending.send_test(newsletter, to=request.user.email)
            messages.success(
                request,
                _(
                    "A test copy in each language is on its way to %(email)s (the outbox sends "
                    "it; see Outgoing emails)."
                )
                % {"email": request.user.email},
            )
        return HttpResponseRedirect(self._change_url(newsletter))

    def send_view(self, request, object_id):
        newsletter = self._newsletter(request, object_id, change=True)
        if not newsletter.is_editable:
            messages.info(request, _("This newsletter is already being sent or was sent."))
            return HttpResponseRedirect(self._change_url(newsletter))
        form = SendForm(request.POST or None)
        if request.method == "POST" and "unschedule" in request.POST:
            Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SCHEDULED).update(
                status=Newsletter.Status.DRAFT, scheduled_at=None
            )
            messages.success(request, _("The newsletter is a draft again: it will not be sent."))
            return HttpResponseRedirect(self._change_url(newsletter))
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data["when"] == "later":
                at = form.cleaned_data["scheduled_at"]
                Newsletter.objects.filter(pk=newsletter.pk).update(
                    status=Newsletter.Status.SCHEDULED, scheduled_at=at
                )
                messages.success(
                    request,
                    _("The newsletter will be sent at %(when)s.")
                    % {"when": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")},
                )
            else:
                count = sending.newsletter_send(newsletter.pk)
                if count is None:
                    messages.info(request, _("This newsletter is already being sent or was sent."))
                else:
                    messages.success(
                        request,
                        _(
                            "Sending to %(count)s recipients has started; the bar below shows "
                            "how far it is."
                        )
                        % {"count": count},
                    )
            return HttpResponseRedirect(self._change_url(newsletter))
        return TemplateResponse(
            request,
            "admin/news/newsletter/send.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": newsletter,
                "title": _("Send: %(subject)s") % {"subject": newsletter.subject},
                "form": form,
                "recipient_count": audience.count(newsletter),
            },
        )

    def progress_view(self, request, object_id):
        newsletter = self._newsletter(request, object_id)
        return JsonResponse(sending.progress(newsletter))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {})}
        if obj is not None and obj.status in (Newsletter.Status.SENDING, Newsletter.Status.SENT):
            extra_context["progress"] = sending.progress(obj)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(NewsletterRecipient)
class NewsletterRecipientAdmin(CountryScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "email", "newsletter", "language", "country", "status", "sent_at", "smtp_answer",
    ]  # fmt: skip
    list_filter = ["status", "language", "newsletter"]
    search_fields = ["email"]
    list_select_related = ["newsletter"]
    readonly_fields = [
        "newsletter",
        "email",
        "name",
        "language",
        "country",
        "message_id",
        "status",
        "attempts",
        "next_attempt_at",
        "smtp_answer",
        "sent_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "subscribed", "language", "consent_version", "consent_given_at"]
    list_filter = ["subscribed", "language", "consent_version"]
    search_fields = ["email"]
    readonly_fields = [
        "email",
        "user",
        "subscribed",
        "language",
        "consent_version",
        "consent_given_at",
        "unsubscribed_at",
    ]

    def has_add_permission(self, request):
        return False  # a consent is given by the person, never by an organizer


@admin.register(RefusedAddress)
class RefusedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "refused_at", "reason"]
    search_fields = ["email"]
    readonly_fields = ["email", "reason", "refused_at", "newsletter"]

    def has_add_permission(self, request):
        return False
