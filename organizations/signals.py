"""Signals for the apps above this one (organizations imports from no other app)."""

from django.dispatch import Signal

# Someone ticked the newsletter box at registration: user, email, language, consent_version.
# news/ records the consent (news.subscriptions); sent inside the registration's transaction.
newsletter_opt_in = Signal()
