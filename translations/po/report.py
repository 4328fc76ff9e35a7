"""What an import found: the outcome of every entry, and of the file."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from translations.units import PART_KEY, UNITS_BY_KEY, part_unit


class EntryStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    READY = "ready", _("ready to apply")
    UNCHANGED = "unchanged", _("unchanged")
    SKIPPED = "skipped", _("skipped")
    ERROR = "error", _("error")


@dataclass
class EntryResult:
    """What became of one entry of an imported file."""

    line: int
    context: str
    status: str = EntryStatus.READY
    messages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    article_id: int | None = None
    unit_key: str = ""
    # The story's headline in its source language, once the story is found.
    headline: str = ""
    value: str = ""
    # Unchanged text, now vouched for against the current source.
    is_confirmation: bool = False

    @property
    def status_label(self) -> str:
        return str(EntryStatus(self.status).label)

    @property
    def unit_label(self) -> str:
        unit = UNITS_BY_KEY.get(self.unit_key)
        if unit is None and PART_KEY.match(self.unit_key):
            unit = part_unit(self.unit_key)
        return str(unit.label) if unit else ""

    def fail(self, message: str) -> None:
        self.status = EntryStatus.ERROR
        self.messages.append(message)

    def skip(self, message: str) -> None:
        self.status = EntryStatus.SKIPPED
        self.messages.append(message)


@dataclass
class ImportReport:
    """The outcome of an import: file errors, every entry, what was applied."""

    file_name: str
    is_dry_run: bool
    language: str = ""
    export_id: str = ""
    errors: list[str] = field(default_factory=list)
    entries: list[EntryResult] = field(default_factory=list)
    is_applied: bool = False
    changed_stories: list[int] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(
            entry.status == EntryStatus.ERROR for entry in self.entries
        )

    def count(self, status: str) -> int:
        return sum(1 for entry in self.entries if entry.status == status)

    def summary(self) -> str:
        counts = gettext(
            "%(applied)s applied, %(ready)s ready to apply, %(unchanged)s "
            "unchanged, %(skipped)s skipped, %(errors)s with errors."
        ) % {
            "applied": self.count(EntryStatus.APPLIED),
            "ready": self.count(EntryStatus.READY),
            "unchanged": self.count(EntryStatus.UNCHANGED),
            "skipped": self.count(EntryStatus.SKIPPED),
            "errors": self.count(EntryStatus.ERROR),
        }
        if self.has_errors:
            outcome = gettext("Nothing was imported: correct the errors and try again.")
        elif self.is_dry_run:
            outcome = gettext("Checked only: nothing was changed.")
        elif self.is_applied:
            outcome = ngettext(
                "Imported into %(count)s story.",
                "Imported into %(count)s stories.",
                len(self.changed_stories),
            ) % {"count": len(self.changed_stories)}
        else:
            outcome = gettext("Nothing to change.")
        return f"{counts} {outcome}"

    def lines(self) -> list[str]:
        """Return the report as text lines (for the management command)."""
        lines = [
            gettext("%(file)s: %(language)s, export %(export)s")
            % {
                "file": self.file_name,
                "language": self.language or "?",
                "export": self.export_id or "?",
            }
        ]
        lines += [gettext("error: %(message)s") % {"message": m} for m in self.errors]
        for entry in self.entries:
            text = gettext("line %(line)s %(context)s: %(status)s") % {
                "line": entry.line,
                "context": entry.context or "-",
                "status": entry.status_label,
            }
            details = entry.messages + entry.notes
            lines.append(f"{text} ({'; '.join(details)})" if details else text)
        lines.append(self.summary())
        return lines


def ready_by_story(report: ImportReport) -> dict[int, list[EntryResult]]:
    """Return the entries of `report` ready to apply, by story."""
    by_story: dict[int, list[EntryResult]] = defaultdict(list)
    for entry in report.entries:
        if entry.status == EntryStatus.READY:
            by_story[entry.article_id].append(entry)
    return by_story
