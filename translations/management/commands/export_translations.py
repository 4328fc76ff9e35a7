from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, ngettext

from articles.models import Article
from core.languages import LANGUAGE_CODES
from translations import po
from translations.models import TranslationState

Status = TranslationState.Status


class Command(BaseCommand):
    help = (
        "Write a PO catalogue of stories for translation into one language, to "
        "stdout unless --output names a file. Stories written in that language "
        "have nothing to translate and are left out (said on stderr)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--language", required=True, choices=LANGUAGE_CODES)
        parser.add_argument(
            "--state",
            choices=Status.values,
            help="Only stories in this state in the language.",
        )
        parser.add_argument(
            "--story",
            dest="stories",
            type=int,
            nargs="+",
            action="extend",
            metavar="ID",
            help="Only these stories (repeatable).",
        )
        parser.add_argument("--output", metavar="FILE")

    def handle(self, *args, language, state, stories, output, **options):
        articles = Article.objects.all()
        if stories:
            missing = set(stories) - set(
                articles.filter(pk__in=stories).values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(
                    gettext("No such story: %(ids)s.")
                    % {"ids": ", ".join(map(str, sorted(missing)))}
                )
            articles = articles.filter(pk__in=stories)
        else:
            articles = articles.exclude(source_language=language)
        if state:
            rows = TranslationState.objects.filter(
                article=OuterRef("pk"), language=language
            )
            if state == Status.MISSING:
                # A story without a row for the language is missing there too.
                articles = articles.filter(~Exists(rows.exclude(status=state)))
            else:
                articles = articles.filter(Exists(rows.filter(status=state)))
        export = po.catalogue_export(articles=articles, language=language)
        if export.skipped:
            self.stderr.write(export.skipped_message())
        done = ngettext(
            "%(entries)s entries of %(stories)s story.",
            "%(entries)s entries of %(stories)s stories.",
            len(export.stories),
        ) % {"entries": export.entry_count, "stories": len(export.stories)}
        if output:
            try:
                Path(output).write_bytes(export.content())
            except OSError as error:
                raise CommandError(str(error)) from error
            self.stderr.write(
                gettext("Wrote %(file)s: %(done)s") % {"file": output, "done": done}
            )
        else:
            self.stdout.write(export.content().decode("utf-8"), ending="")
            self.stderr.write(done)
