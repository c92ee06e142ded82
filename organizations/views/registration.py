"""Registration, email verification, invitations and signing in."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .. import ratelimit, services
from ..forms import (
    AccountLanguagePasswordResetForm,
    EmailAuthenticationForm,
    JoinForm,
    RegistrationForm,
    ResendVerificationForm,
    add_service_error,
)
from ..models import Membership, Organization

BACKEND = "organizations.backends.EmailOrUsernameBackend"


def _bound(request, *, files=False):
    """Form data for a POST, even an empty one (which must show errors, not a blank form)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _language():
    return (get_language() or "en").split("-")[0]


@never_cache
@sensitive_post_parameters("password1", "password2")
@ratelimit.limit_posts("register")
def register(request):
    if request.user.is_authenticated:
        return render(request, "organizations/organization_register_signed_in.html")
    form = RegistrationForm(*_bound(request, files=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organization_register(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=_language(),
                profile=form.profile(),
                newsletter=data.get("newsletter", False),
            )
        except services.EmailInUse:
            # The same answer as for a new account: only the mailbox learns it has one.
            services.registration_account_exists(email=data["email"], language=_language())
        except ValidationError as error:
            add_service_error(form, error)
            return render(request, "organizations/organization_register.html", {"form": form})
        form.remove_kept_logo()
        return redirect("organizations:register-done")
    return render(
        request,
        "organizations/organization_register.html",
        {"form": form},
    )


def register_done(request):
    return render(request, "organizations/organization_register_done.html")


@never_cache
@ratelimit.limit_posts("verify")
def verify(request, token):
    """The link in the email opens a page with a button: only the click (a POST) confirms, so
    a mail scanner that opens links confirms nothing."""
    try:
        if request.method == "POST":
            organization, newly = services.organization_verify_email(token=token)
        else:
            organization = services.verification_organization(token)
            if organization.status == Organization.Status.UNVERIFIED:
                return render(
                    request,
                    "organizations/organization_verify.html",
                    {"outcome": "ask", "organization": organization, "token": token},
                )
            newly = False
    except services.LinkExpired:
        return render(
            request,
            "organizations/organization_verify.html",
            {"outcome": "expired", "form": ResendVerificationForm()},
            status=400,
        )
    except services.LinkInvalid:
        return render(
            request,
            "organizations/organization_verify.html",
            {"outcome": "invalid", "form": ResendVerificationForm()},
            status=400,
        )
    return render(
        request,
        "organizations/organization_verify.html",
        {"outcome": "confirmed" if newly else "already", "organization": organization},
    )


@never_cache
@ratelimit.limit_posts("resend_verification")
def resend_verification(request):
    form = ResendVerificationForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        membership = (
            Membership.objects.select_related("organization", "user")
            .filter(
                user__email__iexact=email,
                user__is_active=True,
                organization__status=Organization.Status.UNVERIFIED,
            )
            .first()
        )
        if membership is not None:
            services.organization_send_verification(
                organization=membership.organization, user=membership.user
            )
        # The same answer either way: the form must not tell who has registered.
        messages.info(
            request,
            _(
                "If a registration waits for confirmation at %(email)s, a new link is on its "
                "way. It may take a few minutes to arrive."
            )
            % {"email": email},
        )
        return redirect("organizations:resend-verification")
    return render(request, "organizations/verification_resend.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2")
@ratelimit.limit_posts("join")
def join(request, token):
    """Accept an owner's invitation: with a new account, or the signed-in one."""
    try:
        invitation = services.invitation_from_token(token)
    except services.LinkExpired:
        return render(
            request, "organizations/invitation_accept.html", {"outcome": "expired"}, status=400
        )
    except services.LinkInvalid:
        return render(
            request, "organizations/invitation_accept.html", {"outcome": "invalid"}, status=400
        )

    user = request.user if request.user.is_authenticated else None
    account_exists = user is None and services.email_in_use(invitation.email)
    form = None
    if user is None and not account_exists:
        form = JoinForm(*_bound(request), email=invitation.email)
    if request.method == "POST" and not account_exists and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                user=user,
                password=data.get("password1"),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                language=_language(),
            )
        except services.TransitionNotAllowed as error:
            messages.error(request, str(error))
        except services.LinkInvalid:
            return render(
                request, "organizations/invitation_accept.html", {"outcome": "invalid"}, status=400
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                add_service_error(form, error)
        else:
            if user is None:
                login(request, membership.user, backend=BACKEND)
            messages.success(
                request,
                _("Welcome: you now edit %(organization)s with your colleagues.")
                % {"organization": invitation.organization.name},
            )
            return redirect("organizations:my")
    return render(
        request,
        "organizations/invitation_accept.html",
        {
            "outcome": "open",
            "invitation": invitation,
            "form": form,
            "account_exists": account_exists,
            "login_url": f"{reverse('login')}?next={request.path}",
        },
    )


@method_decorator(ratelimit.limit_posts("password_reset"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = AccountLanguagePasswordResetForm
    html_email_template_name = "registration/password_reset_email.html"
    email_template_name = "registration/password_reset_email.txt"


class LoginView(auth_views.LoginView):
    """Sign in with the email address. Failed attempts are counted by django-axes, per account
    and per address (settings: AXES_*); a locked-out sign-in gets the "locked" page (429)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
