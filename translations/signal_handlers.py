"""Receivers of the story services' signals, connected in TranslationsConfig.ready()."""

from articles.models import Article
from core.users import DeskUser
from translations.services import translation_refresh


def refresh_states_on_text_change(
    sender,
    *,
    article: Article,
    stored: Article | None,
    user: DeskUser | None = None,
    minor_edit: bool = False,
    machine: str = "",
    **kwargs,
) -> None:
    """Bring every language's state of `article` in step with the text just saved.

    Receives `articles.signals.article_text_changed`, inside the saving
    transaction, so the states are never out of step with the text. A target
    field whose text changed was translated now, from the current source; a
    source field that changed leaves the translations made from its old text
    outdated, unless the change is a `minor_edit`. Texts a `machine` wrote
    wait for review.
    """
    translation_refresh(
        article=article,
        stored=stored,
        user=user,
        minor_edit=minor_edit,
        machine=machine,
    )
