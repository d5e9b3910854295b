"""What other apps may hear from accounts (they connect in their AppConfig.ready)."""

from django.dispatch import Signal

# Sent with ``user`` and ``reason`` when an account loses access it had: it is deactivated,
# its password changes, or it loses or changes a role. Whatever was issued to the account
# under the old terms (API tokens) must end with it.
access_reduced = Signal()
