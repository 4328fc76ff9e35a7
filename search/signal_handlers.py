"""Receivers that keep search documents in step, connected in SearchConfig.ready()."""

from articles.models import Article
from search.index import schedule_index


def on_story_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        schedule_index(instance.pk)


def on_story_part_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        schedule_index(instance.article_id)


def on_withholding_changed(sender, article, **kwargs) -> None:
    schedule_index(article.pk)


def on_tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        schedule_index(instance.pk)
    else:
        for article_id in pk_set or ():
            schedule_index(article_id)


def on_name_changed(sender, instance, raw=False, created=False, **kwargs) -> None:
    """Reindex the stories that show a tag's or an author's renamed name."""
    if raw or created:
        return
    if isinstance(instance, Article.tags.through.tag.field.related_model):
        ids = Article.objects.filter(tagged_items__tag=instance).values_list(
            "pk", flat=True
        )
    else:
        ids = Article.objects.filter(bylines__author=instance).values_list(
            "pk", flat=True
        )
    for article_id in ids:
        schedule_index(article_id)
