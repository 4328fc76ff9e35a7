"""Signals the story services send, for side effects other apps add.

Receivers live in each app's `signal_handlers.py` and are connected in its
`AppConfig.ready()` with a `dispatch_uid`.
"""

from django.dispatch import Signal

# Sent by `articles.services.article_texts_changed`, inside the transaction
# that saved the story, after its text (or its feature picture's) may have
# changed; a receiver's write commits or rolls back with the story, and an
# exception it raises rolls the save back. Arguments: article (as saved now),
# stored (as stored before; None for a new story), user (None for the demo,
# imports and factories), minor_edit, machine (the machine translator that
# wrote the changed texts, "" for a person). The translations app keeps each
# language's state in step through it.
article_text_changed = Signal()

# Sent by `articles.services.article_withhold`, inside the caller's
# transaction, when a language of a story is withheld from its readers or
# released to them (the story's own row changed, with no save signal). Search
# and the front cache follow it. Arguments: article, language.
article_withholding_changed = Signal()

# The going-live hook: sent once per publication, after commit, by
# `articles.services.article_run_live_effects`, when a story goes live now or
# when publish_scheduled runs after its scheduled time has come (twice or late
# sends nothing more). Issue 16's cache purge will listen here; nothing else
# does yet. Arguments: article_id.
article_went_live = Signal()

# Sent by `articles.services.article_save`, inside its transaction, when a
# story goes to review (submitted by its reporter, or saved in review by an
# editor who created it so). Arguments: article, user (who sent it).
article_submitted = Signal()

# Sent by `articles.services.article_return`, inside its transaction, when an
# editor sends a story in review back to its reporter. Arguments: article,
# user (the editor), note (the DeskNote saying why).
article_returned = Signal()
