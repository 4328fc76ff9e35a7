from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from translations import xliff


class Command(BaseCommand):
    help = (
        "Import a translated PO catalogue or XLIFF file (.xlf, .xliff, or XML "
        "content) as USERNAME: every entry is checked first, then the file is "
        "applied in full or not at all. Prints a report and exits with status 1 "
        "if the file has errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print the report; change nothing.",
        )
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="Who translated: their languages and name go with the import.",
        )

    def handle(self, *args, file, dry_run, user, **options):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(gettext("No such user: %(name)s.") % {"name": user})
        path = Path(file)
        if not path.is_file():
            raise CommandError(gettext("No such file: %(file)s.") % {"file": file})
        report = xliff.translation_file_import(
            path=path, user=account, dry_run=dry_run, file_name=path.name
        )
        for line in report.lines():
            self.stdout.write(line)
        if report.has_errors:
            raise CommandError(
                gettext("The file has errors: nothing was imported."), returncode=1
            )
