from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, ngettext

from articles.models import Article
from core.languages import LANGUAGE_CODES
from translations import po, xliff
from translations.models import TranslationState

Status = TranslationState.Status


class Command(BaseCommand):
    help = (
        "Write a PO catalogue (or, with --format xliff, an XLIFF 2.1 file) of "
        "stories for translation into one language, to stdout unless --output "
        "names a file. Stories written in that language have nothing to "
        "translate and are left out (said on stderr). An XLIFF file holds "
        "stories of one source language: choose it with --source-language."
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
        parser.add_argument(
            "--source-language",
            choices=LANGUAGE_CODES,
            help="Only stories written in this language.",
        )
        parser.add_argument("--format", choices=("po", "xliff"), default="po")
        parser.add_argument("--output", metavar="FILE")

    def handle(
        self, *args, language, state, stories, output, source_language, **options
    ):
        articles = Article.objects.all()
        if source_language:
            articles = articles.filter(source_language=source_language)
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
        if options["format"] == "xliff":
            try:
                export = xliff.xliff_export(articles=articles, language=language)
            except xliff.MixedSourceLanguages as error:
                raise CommandError(str(error)) from error
            count = export.unit_count
        else:
            export = po.catalogue_export(articles=articles, language=language)
            count = export.entry_count
        if export.skipped:
            self.stderr.write(export.skipped_message())
        done = ngettext(
            "%(entries)s entries of %(stories)s story.",
            "%(entries)s entries of %(stories)s stories.",
            len(export.stories),
        ) % {"entries": count, "stories": len(export.stories)}
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
