"""The trending tags: the tags most used by the stories of the last days.

Worked out by the worker and kept in `TrendingTag` rows, a few a language, so
that the home page reads them instead of counting recent stories' tags on
each request.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from articles.models import Article
from core.languages import LANGUAGE_CODES, check_language
from core.prepared import prepared
from frontcache import keys
from frontcache.purge import purge_after_commit
from reader.models import TrendingTag
from tags.models import Tag

TRENDING_DAYS = 7
TRENDING_LENGTH = 10


def places_rewrite(
    model: type[Model],
    where: dict[str, str],
    fields: tuple[str, str],
    new: list[tuple[int, int]],
) -> bool:
    """Rewrite a worked-out list's rows as `new`; say if its order changed.

    The list is `model`'s rows matching `where` (one language, one window),
    one a position; `new` holds (what, figure) pairs in order, `fields` their
    columns. The same list writes nothing; new figures alone are written but
    are no new order.
    """
    stored = model._default_manager.filter(**where)
    old = list(stored.order_by("position").values_list(*fields))
    if new == old:
        return False
    what_field, figure_field = fields
    with transaction.atomic():
        stored.delete()
        model._default_manager.bulk_create(
            model(**where, **{"position": place, what_field: what, figure_field: n})
            for place, (what, n) in enumerate(new)
        )
    return [what for what, _figure in new] != [what for what, _figure in old]


def trending_refresh(now: datetime | None = None) -> bool:
    """Work out every language's trending tags anew; purge them if an order changed.

    A tag trends in a language where it has a name, counted over the stories
    readers of that language may see, published in the last TRENDING_DAYS.
    """
    now = now or timezone.now()
    changed = False
    for language in LANGUAGE_CODES:
        recent = Article.objects.live(language).filter(
            published_at__gte=now - timedelta(days=TRENDING_DAYS)
        )
        new = [
            (tag.pk, tag.uses)  # type: ignore[attr-defined]
            for tag in Tag.objects.trending(language, recent)[:TRENDING_LENGTH]
        ]
        changed |= places_rewrite(
            TrendingTag, {"language": language}, ("tag_id", "uses"), new
        )
    if changed:
        # Softly: a list a moment late is no harm.
        purge_after_commit({keys.TRENDING}, soft=True)
    return changed


def trending(language: str, limit: int = TRENDING_LENGTH) -> list[Tag]:
    """Return `language`'s trending tags as last worked out, in one query."""
    check_language(language)
    return list(trending_query(language, limit))


@prepared
def trending_query(language: str, limit: int) -> QuerySet[Tag]:
    """Return `language`'s trending tags as last worked out, in their order."""
    return Tag.objects.filter(
        trending_places__language=language, **{f"name_{language}__gt": ""}
    ).order_by("trending_places__position")[:limit]
