"""Import a site's archive as stories: manage.py import_site jekyll|wordpress|html PATH.

    manage.py import_site KIND PATH --user NAME --write-sections sections.yml
    manage.py import_site KIND PATH --user NAME --sections sections.yml --dry-run
    manage.py import_site KIND PATH --user NAME --sections sections.yml [--publish]

PATH is, for jekyll, the site's folder or a zip of it; for wordpress, the
export file (WXR), or a folder or zip holding it and `wp-content/uploads`;
for html, a saved page, or a folder or zip of saved pages with their
`_files` folders. The sections file maps each of the
posts' categories to a section (its address or name, in any language), one
`category: section` a line; --write-sections writes it with every category
the posts name, for the desk to fill in. A category left out is reported,
never made into a section.
"""

import json
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from articles.models import Category
from core.languages import LANGUAGE_CODES
from imports.models import ImportedItem
from imports.posts import PostProblem
from imports.services import (
    PostReport,
    archive_categories,
    archive_path_import,
    in_any_language,
)
from imports.sites import ArchiveProblem


class Command(BaseCommand):
    help = "Import an archive's posts as stories (drafts unless --publish)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportedItem.Source.values)
        parser.add_argument(
            "path", type=Path, help="a folder, a zip, or an export file or page"
        )
        parser.add_argument(
            "--user", required=True, help="the editor the stories are imported as"
        )
        parser.add_argument("--sections", type=Path, help="category: section lines")
        parser.add_argument(
            "--write-sections",
            type=Path,
            help="write the posts' categories to this file to map, and stop",
        )
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--publish", action="store_true")
        parser.add_argument(
            "--pages", action="store_true", help="WordPress pages too, not only posts"
        )
        parser.add_argument(
            "--language",
            default="ko",
            choices=LANGUAGE_CODES,
            help="of posts whose front matter names none",
        )

    def handle(self, *args, **options) -> None:
        path = options["path"]
        if not path.exists():
            raise CommandError(_("%(path)s: no such file or folder.") % {"path": path})
        if options["write_sections"]:
            self._write_sections(
                options["kind"], path, options["write_sections"], options["language"]
            )
            return
        user = (
            get_user_model()
            .objects.filter(username=options["user"], is_active=True)
            .first()
        )
        if user is None:
            raise CommandError(
                _("No such active user: %(name)s") % {"name": options["user"]}
            )
        sections = _read_sections(options["sections"]) if options["sections"] else {}
        try:
            report = archive_path_import(
                kind=options["kind"],
                path=path,
                user=user,
                sections=sections,
                dry_run=options["dry_run"],
                publish=options["publish"],
                include_pages=options["pages"],
                default_language=options["language"],
                progress=self._progress,
            )
        except PermissionDenied as denied:
            raise CommandError(str(denied) or _("Permission denied.")) from None
        except (ArchiveProblem, PostProblem) as problem:
            where = getattr(problem, "name", "") or path.name
            if getattr(problem, "line", None):
                where = f"{where}:{problem.line}"
            raise CommandError(f"{where}: {problem.message}") from None
        counts = report.counts()
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        self.stdout.write(
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged,"
                " %(failed)s failed."
            )
            % {
                key: counts[key]
                for key in ("created", "updated", "unchanged", "failed")
            }
        )
        for category, count in sorted(report.unmapped.items()):
            self.stdout.write(
                _("No section for the category %(name)s (%(count)s posts).")
                % {"name": category, "count": count}
            )
        for name, reason in sorted(report.refused.items()):
            self.stdout.write(f"{name}: {reason}")
        for name, line, reason in report.skipped:
            where = f"{name}:{line}" if line else name
            self.stdout.write(
                _("%(where)s: skipped: %(reason)s") % {"where": where, "reason": reason}
            )

    def _progress(self, number: int, total: int, post: PostReport) -> None:
        outcomes = {
            "created": _("created"),
            "updated": _("updated"),
            "unchanged": _("unchanged"),
            "failed": _("failed"),
        }
        story = f" #{post.article_id}" if post.article_id else ""
        self.stdout.write(
            f"[{number}/{total}] {post.name}: {outcomes[post.outcome]}{story}"
        )
        for line, message in post.notes:
            where = f"{post.file or post.name}:{line}" if line else post.name
            self.stdout.write(f"    {where}: {message}")

    def _write_sections(
        self, kind: str, source: Path, path: Path, language: str
    ) -> None:
        try:
            found = archive_categories(
                kind=kind, path=source, default_language=language
            )
        except (ArchiveProblem, PostProblem) as problem:
            raise CommandError(f"{source.name}: {problem.message}") from None
        # Named in the desk's language.
        known = ", ".join(str(section.name) for section in Category.objects.all())
        lines = [
            "# " + _("Each category of the posts, and the section it goes to."),
            "# " + _("Sections: %(sections)s") % {"sections": known or "-"},
        ]
        lines += [
            # A JSON string is a YAML string, quoted whatever it holds.
            f"{json.dumps(category, ensure_ascii=False)}:  # {count}"
            for category, count in sorted(found.items())
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(
            _("%(count)s categories written to %(path)s.")
            % {"count": len(found), "path": path}
        )


def _read_sections(path: Path) -> dict[str, Category]:
    """Return the sections each category goes to, from the desk's file."""
    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: {error}") from None
    if not isinstance(mapping, dict):
        raise CommandError(
            _("%(path)s: not a list of category: section lines.") % {"path": path}
        )
    sections: dict[str, Category] = {}
    for category, wanted in mapping.items():
        if wanted in (None, ""):
            continue
        section = Category.objects.filter(
            in_any_language("slug", "exact", str(wanted))
            | in_any_language("name", "iexact", str(wanted))
        ).first()
        if section is None:
            raise CommandError(
                _("%(path)s: no section %(section)s (for the category %(category)s).")
                % {"path": path, "section": wanted, "category": category}
            )
        sections[str(category)] = section
    return sections
