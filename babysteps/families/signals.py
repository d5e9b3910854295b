"""Signals families send for other apps to follow (families depends on none of them)."""

from django.dispatch import Signal

# Sent inside the merge's transaction once ``merge``'s records point at ``keep``
# (``sender`` is the Family class; arguments: keep, merged_family_id). Records marked
# ``derived_from_records`` are not moved: their app works them out again here.
family_merged = Signal()
