"""Signals the translation services send, for side effects other apps add."""

from django.dispatch import Signal

# Sent by `translations.services.translation_refresh`, inside the saving
# transaction, when a change to the source text leaves translations that
# were complete outdated. Arguments: article, languages (the codes that
# became outdated now, sorted), user (who changed the source; None for
# imports and the demo).
translation_outdated = Signal()

# Sent by `translations.services.translation_assign`, inside its transaction,
# when a language of a story is given to a translator. Arguments: article,
# language, assignee, due_on (a date or None), priority, user (the editor).
translation_assigned = Signal()

# Sent by `translations.services.translation_return`, inside its transaction,
# when a reviewer sends a translation back. Arguments: article, language,
# translator (who last wrote it; may be None), note, user (the reviewer).
translation_returned = Signal()
