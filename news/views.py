"""News on the site (list, post), and the newsletter's preferences and unsubscribe pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import ListView

from organizations.consent import NEWSLETTER_CONSENT_TEXT

from . import markdown, subscriptions
from .filters import PostFilter
from .models import Post


def public_posts():
    return Post.objects.public().select_related("event").order_by("-published_at", "-pk")


class PostListView(ListView):
    template_name = "news/post_list.html"
    context_object_name = "posts"
    paginate_by = 12

    @cached_property
    def filterset(self):
        return PostFilter(self.request.GET or None, queryset=public_posts(), request=self.request)

    def get_queryset(self):
        filterset = self.filterset
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else public_posts()
        return queryset.prefetch_related("focus_areas").distinct()

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "form-select")
        context.update(
            filter_form=form,
            og_title=_("News"),
            og_description=_("News of the EU–Central Asia civil society network and its forum."),
            canonical_url=self.request.build_absolute_uri(self.request.path),
        )
        return context


@require_safe
def post_detail(request, slug):
    post = get_object_or_404(
        Post.objects.select_related("event").prefetch_related("focus_areas"), slug=slug
    )
    if not post.is_public and not request.user.has_perm("news.view_post"):
        raise Http404
    image_url = request.build_absolute_uri(post.image.url) if post.image else ""
    return render(
        request,
        "news/post_detail.html",
        {
            "post": post,
            "body": markdown.render(post.body),
            "focus_areas": list(post.focus_areas.all()),
            "og_type": "article",
            "og_title": post.title,
            "og_description": post.summary or markdown.plain_text(post.body),
            "og_image": image_url,
            "og_image_alt": post.image_alt or post.title,
            "canonical_url": request.build_absolute_uri(post.get_absolute_url()),
        },
    )


class PreferencesForm(forms.Form):
    newsletter = forms.BooleanField(label=NEWSLETTER_CONSENT_TEXT, required=False)


@never_cache
@login_required
def preferences(request):
    """/newsletter/: the signed-in person's newsletter consent, given or withdrawn."""
    subscription = subscriptions.subscription_of(request.user)
    subscribed = bool(subscription and subscription.subscribed)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, initial={"newsletter": subscribed}
    )
    if request.method == "POST" and not request.user.email:
        form.add_error(None, _("Your account has no email address to send the newsletter to."))
    elif request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["newsletter"]
        if wanted and not subscribed:
            subscriptions.subscribe(
                email=request.user.email, user=request.user, language=get_language()
            )
            messages.success(request, _("You will receive the network's newsletter."))
        elif not wanted and subscribed:
            subscriptions.unsubscribe(request.user.email)
            messages.success(request, _("You will no longer receive the newsletter."))
        return redirect("news:preferences")
    return render(
        request,
        "news/preferences.html",
        {"form": form, "subscription": subscription, "subscribed": subscribed},
    )


UNSUBSCRIBED = gettext_lazy("This address will no longer receive the network's newsletter.")


# Exempt from CSRF on purpose (RFC 8058): mail clients unsubscribe with a POST of their own,
# without the page or a session; the signed token in the URL is what authorizes it, and all
# the POST can do is withdraw that one address's consent. GET changes nothing.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    email = subscriptions.email_of_token(token)
    if email is None:
        return render(request, "news/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        subscriptions.unsubscribe(email)
        return render(request, "news/unsubscribe.html", {"done": True, "message": UNSUBSCRIBED})
    return render(
        request,
        "news/unsubscribe.html",
        {"token": token, "subscribed": subscriptions.is_subscribed(email)},
    )
