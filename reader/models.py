"""What the reader site keeps of its own: how often each story is read."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryRead(models.Model):
    """How many times one story was read in one language during one hour (UTC).

    Hourly buckets make "the last 24 hours" exact; a day or a week is a sum of
    hours. Nothing about the readers themselves is stored.
    """

    # The unique constraint's index starts with the story: no index of its own.
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="reads",
        db_index=False,
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    hour = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        # Made by articles' migrations, before this app had its own.
        db_table = "articles_storyread"
        verbose_name = _("hourly reads")
        verbose_name_plural = _("hourly reads")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language", "hour"], name="story_read_once_per_hour"
            )
        ]
        indexes = [
            # The rankings read one language's recent hours.
            models.Index(fields=["language", "hour"], name="story_read_language_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.language} {self.hour:%Y-%m-%d %H:00}"


class Ranking(models.Model):
    """One place of a "most read" list, as the worker last worked it out.

    The home page reads these few rows instead of adding up every read of the
    day or week on each request: its cost stays flat however many reads pile
    up. `reader.readership.rankings_refresh` rewrites them after reads are
    counted; the live filter still applies when they are shown.
    """

    class Window(models.TextChoices):
        DAY = "day", _("last 24 hours")
        WEEK = "week", _("last 7 days")

    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    window = models.CharField(_("period"), max_length=4, choices=Window.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="rankings",
    )
    reads = models.PositiveIntegerField(_("reads"))

    class Meta:
        verbose_name = _("most read place")
        verbose_name_plural = _("most read places")
        ordering = ["language", "window", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "window", "position"], name="ranking_place_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.window} {self.position}: {self.article_id}"


class TrendingTag(models.Model):
    """One place of a language's trending tags, as the worker last worked them out.

    The tags most used by the stories of the last days: the home page reads
    these few rows instead of counting every recent story's tags on each
    request, so its cost stays flat however much the newsroom publishes.
    `reader.trending.trending_refresh` rewrites them (reader/readership.py's
    flush, planned whenever a story changes and while readers read).
    """

    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    position = models.PositiveSmallIntegerField(_("position"))
    tag = models.ForeignKey(
        "tags.Tag",
        verbose_name=_("tag"),
        on_delete=models.CASCADE,
        related_name="trending_places",
    )
    uses = models.PositiveIntegerField(_("stories"))

    class Meta:
        verbose_name = _("trending tag")
        verbose_name_plural = _("trending tags")
        ordering = ["language", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "position"], name="trending_place_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.position}: {self.tag_id}"
