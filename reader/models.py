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
