"""The story's tag field: typed names resolve to translated tags in any language."""

from collections.abc import Collection

from django.conf import settings
from django.db import router, transaction
from django.db.models import signals
from django.utils.translation import get_language
from taggit.managers import TaggableManager as TaggitTaggableManager
from taggit.managers import _TaggableManager
from taggit.utils import require_instance_manager

from tags.forms import TagNamesField
from tags.models import too_many_tags_error


class TranslatedTagManager(_TaggableManager):
    """`article.tags`: names in any language find the same tag.

    taggit matches tags on their `name` column; ours holds whatever language
    was saved last, so names go through `Tag.objects.resolve` and tags are
    compared by primary key.
    """

    def _to_tag_model_instances(self, tags, tag_kwargs, max_new_tags=None):
        tag_model = self.through.tag_model()
        objects = []
        for tag in tags:
            if not isinstance(tag, str | tag_model):
                raise ValueError(
                    f"Cannot add {tag!r}: expected a {tag_model.__name__} or a name."
                )
            if isinstance(tag, tag_model):
                objects.append(tag)
        names = [tag for tag in tags if isinstance(tag, str)]
        resolved = tag_model._default_manager.resolve(
            names, get_language(), max_new=max_new_tags
        )
        return list(dict.fromkeys([*objects, *resolved]))

    @require_instance_manager
    def set(self, tags, *, through_defaults=None, max_new_tags=None, **kwargs):
        """Tag the story with `tags` only; see `add` for the limits."""
        db = router.db_for_write(self.through, instance=self.instance)
        # A refused add leaves the story's tags, and any new tag, as they were.
        with transaction.atomic(using=db):
            tag_objects = self._to_tag_model_instances(
                tags, kwargs.pop("tag_kwargs", {}), max_new_tags
            )
            if kwargs.pop("clear", False):
                self.clear()
            else:
                wanted = {tag.pk for tag in tag_objects}
                self._remove_ids(self._current_ids(db) - wanted)
            self.add(*tag_objects, through_defaults=through_defaults, **kwargs)

    @require_instance_manager
    def add(self, *tags, through_defaults=None, max_new_tags=None, **kwargs):
        """Tag the story with `tags` too.

        Refused (ValidationError) when it would create more than `max_new_tags`
        tags (None: any number), or give the story a tag beyond
        NEWSROOM_MAX_TAGS_PER_STORY; a story over the limit from before may
        keep its tags and lose some, not gain any.
        """
        db = router.db_for_write(self.through, instance=self.instance)
        with transaction.atomic(using=db):
            tag_objects = self._to_tag_model_instances(
                tags, kwargs.pop("tag_kwargs", None) or {}, max_new_tags
            )
            current = self._current_ids(db)
            total = len(current | {tag.pk for tag in tag_objects})
            limit = settings.NEWSROOM_MAX_TAGS_PER_STORY
            if total > max(limit, len(current)):
                raise too_many_tags_error(limit, total)
            super().add(*tag_objects, through_defaults=through_defaults, **kwargs)

    def _current_ids(self, db: str) -> frozenset[int]:
        return frozenset(
            self.through._default_manager.using(db)
            .filter(**self._lookup_kwargs())
            .values_list("tag_id", flat=True)
        )

    @require_instance_manager
    def remove(self, *tags):
        tag_model = self.through.tag_model()
        ids = {tag.pk for tag in tags if isinstance(tag, tag_model)}
        for name in (tag for tag in tags if isinstance(tag, str)):
            ids.update(
                tag_model._default_manager.matching(name).values_list("pk", flat=True)
            )
        self._remove_ids(ids)

    def _remove_ids(self, ids: Collection[int]) -> None:
        """Untag the story, with the signals taggit's own `remove` sends."""
        if not ids:
            return
        self._remove_prefetched_objects()
        db = router.db_for_write(self.through, instance=self.instance)
        items = (
            self.through._default_manager.using(db)
            .filter(**self._lookup_kwargs())
            .filter(tag_id__in=ids)
        )
        old_ids = set(items.values_list("tag_id", flat=True))
        self._send_m2m_changed("pre_remove", old_ids, db)
        items.delete()
        self._send_m2m_changed("post_remove", old_ids, db)

    def _send_m2m_changed(self, action: str, pk_set: Collection[int], db: str) -> None:
        signals.m2m_changed.send(
            sender=self.through,
            action=action,
            instance=self.instance,
            reverse=False,
            model=self.through.tag_model(),
            pk_set=pk_set,
            using=db,
        )


class TaggableManager(TaggitTaggableManager):
    """taggit's field with our form field: names typed in any language."""

    def formfield(self, form_class=TagNamesField, **kwargs):
        return super().formfield(form_class=form_class, **kwargs)

    def value_from_object(self, obj):
        if obj.pk is None:
            return []
        items = self.through._default_manager.select_related("tag").filter(
            **self.through.lookup_kwargs(obj)
        )
        return [item.tag for item in items.order_by("pk")]
