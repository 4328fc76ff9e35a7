"""What a story revision records: the story, its parts and its tags."""

import reversion
from django.apps import apps

from articles.models import Article, Byline, Correction

# Inline relations saved with each revision of a story (reverse accessors).
STORY_PARTS = {
    "bylines": Byline,
    "corrections": Correction,
    "sources": "related.Source",
    "related_articles": "related.RelatedArticle",
    "external_links": "related.ExternalLink",
    "tagged_items": "tags.TaggedArticle",
}
# Workflow state belongs to the present: a restore keeps the current values.
NOT_RESTORED = [
    "status",
    "published_at",
    "is_breaking",
    "placement",
    "created_by",
    "created_at",
    "live_effects_at",
]


def register_models() -> None:
    for model in STORY_PARTS.values():
        model = apps.get_model(model) if isinstance(model, str) else model
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Article):
        # The version counter guards against edit conflicts; a revision must
        # never bring an old number back.
        reversion.register(
            Article, follow=list(STORY_PARTS), exclude=["version", "live_effects_at"]
        )
