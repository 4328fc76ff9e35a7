"""Signals the picture library sends, for side effects other apps add."""

from django.dispatch import Signal

# Sent by the worker once a picture's renditions are made (or made anew):
# pages drawn with the scaled original may now use them. Argument: image_id.
renditions_made = Signal()
