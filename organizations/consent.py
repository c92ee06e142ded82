"""The consent to the processing of personal data that a registrant agrees to.

Change CONSENT_VERSION whenever the text changes: each organization records the version it
agreed to and when (SPEC.md, Privacy and safety).
"""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2025-01"

CONSENT_TEXT = _(
    "I agree that the organizers of the EU–Central Asia civil society network process the "
    "personal data in this form (my name, email address, phone number and position) to review "
    "this registration, to contact me about the network and its events, and to manage my "
    "account. Only the organizers see these data; they are never published. My organization "
    "may ask at any time for its data to be exported or erased."
)

# The newsletter: a separate, optional consent (an unchecked box), kept with its own version.
NEWSLETTER_CONSENT_VERSION = "2026-12"

NEWSLETTER_CONSENT_TEXT = _(
    "Send me the network's newsletter by email (news of the network, calls and the forum's "
    "registration and programme). I can unsubscribe at any time with the link in every "
    "newsletter or on my account's page."
)
