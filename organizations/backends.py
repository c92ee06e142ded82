from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailOrUsernameBackend(ModelBackend):
    """Sign in with the email address (how members register) or the user name (organizers)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if not username or password is None:
            return None
        username = username.strip()
        candidates = list(
            user_model.objects.filter(Q(username__iexact=username) | Q(email__iexact=username))[:2]
        )
        # An exact user name wins; an email address counts only if exactly one account has it.
        exact = [user for user in candidates if user.username.lower() == username.lower()]
        user = exact[0] if exact else (candidates[0] if len(candidates) == 1 else None)
        if user is None:
            # Spend the time of a password check, so that timing does not tell who exists.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
