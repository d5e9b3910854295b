"""Writes for the parent portal. A parent is not a staff user: audit events name them
by role and id (``parent_label``), never by name or address."""

from babysteps.portal.challenges import (
    SIGN_IN_KEY_PREFIX,
    Address,
    normalise_address,
    parent_label,
    parents_at,
    sign_in_messages_redact,
    sign_in_url,
)
from babysteps.portal.services.details import (
    FAMILY_CONTACT_FIELDS,
    PROFILE_FIELDS,
    can_change_family_contact,
    parent_language_set,
    portal_details_update,
)
from babysteps.portal.services.questions import (
    MAX_QUESTION_CHARS,
    question_ask,
    question_mark_discussed,
)
from babysteps.portal.services.sign_in import (
    sign_in_link_is_live,
    sign_in_link_needs_code,
    sign_in_link_send,
    sign_in_request,
    sign_in_with_code,
    sign_in_with_link,
)

__all__ = [
    "FAMILY_CONTACT_FIELDS",
    "MAX_QUESTION_CHARS",
    "PROFILE_FIELDS",
    "SIGN_IN_KEY_PREFIX",
    "Address",
    "can_change_family_contact",
    "normalise_address",
    "parent_label",
    "parent_language_set",
    "parents_at",
    "portal_details_update",
    "question_ask",
    "question_mark_discussed",
    "sign_in_link_is_live",
    "sign_in_link_needs_code",
    "sign_in_link_send",
    "sign_in_messages_redact",
    "sign_in_request",
    "sign_in_url",
    "sign_in_with_code",
    "sign_in_with_link",
]
