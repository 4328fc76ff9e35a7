"""Import a site's archive as stories: manage.py import_site jekyll PATH.

    manage.py import_site jekyll SITE --user NAME --write-sections sections.yml
    manage.py import_site jekyll SITE --user NAME --sections sections.yml --dry-run
    manage.py import_site jekyll SITE --user NAME --sections sections.yml [--publish]

SITE is the site's folder or a zip of it. The sections file maps each of the
posts' categories to a section (its address or name, in any language), one
`category: section` a line; --write-sections writes it with every category
the posts name, for the desk to fill in. A category left out is reported,
never made into a section.
"""

import json
from collections import Counter
from datetime import UTC
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from articles.models import Category
from core.languages import LANGUAGE_CODES
from imports.jekyll import PostProblem, read_post
from imports.services import PostReport, in_any_language, jekyll_site_import
from imports.sites import ArchiveProblem, SiteFiles


class Command(BaseCommand):
    help = "Import a Jekyll site's posts as stories (drafts unless --publish)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["jekyll"])
        parser.add_argument("path", type=Path, help="the site's folder or a zip of it")
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
            "--language",
            default="ko",
            choices=LANGUAGE_CODES,
            help="of posts whose front matter names none",
        )

    def handle(self, *args, **options) -> None:
        try:
            files = SiteFiles.open(options["path"])
        except (ArchiveProblem, OSError) as problem:
            raise CommandError(f"{options['path']}: {problem}") from None
        if options["write_sections"]:
            self._write_sections(files, options["write_sections"], options["language"])
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
            report = jekyll_site_import(
                files=files,
                user=user,
                sections=sections,
                dry_run=options["dry_run"],
                publish=options["publish"],
                default_language=options["language"],
                progress=self._progress,
            )
        except PermissionDenied as denied:
            raise CommandError(str(denied) or _("Permission denied.")) from None
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
            where = f"{post.name}:{line}" if line else post.name
            self.stdout.write(f"    {where}: {message}")

    def _write_sections(self, files: SiteFiles, path: Path, language: str) -> None:
        found: Counter[str] = Counter()
        for name in files.posts():
            try:
                post = read_post(
                    name,
                    files.read(name),
                    site_timezone=UTC,
                    default_language=language,
                )
            except (PostProblem, ArchiveProblem):
                continue
            found.update(post.categories)
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
