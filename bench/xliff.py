"""Time the XLIFF export and import of many stories next to the PO ones.

    .venv/bin/python -m bench.xliff [--stories 1000]

Loads Django with an in-memory SQLite database and makes two identical sets
of Korean stories, not translated into Japanese: one goes through PO, the
other through XLIFF. For each format: the export of the stories, and the
import of the export with every text translated (the check alone, as the
upload form's first step; then the import itself, check and apply). The
files are split as the import's limits ask (at most MAX_STORIES stories and
5 MB a file). Next to each time, measured in the same run, the time to read
the files' bytes (what any handling of an upload costs at the least) and the
PO figure for the same stories.
"""

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

# The PO bench's stories, and its reading of Hangul as kana (a "translation").
from bench.po_import import KANA, make_stories

# A segment as the export writes it, without a target yet.
SEGMENT = re.compile(
    r'(<segment id="[^"]+" state=")initial(">)<source>(.*?)</source></segment>'
)


def po_files(stories, per_file: int) -> tuple[float, list[bytes]]:
    """Export `stories` to PO files; return the seconds it took and the files.

    The time is the export's (the catalogue and its bytes); every msgstr is
    then translated, untimed.
    """
    from translations import po

    seconds, files = 0.0, []
    for start in range(0, len(stories), per_file):
        started = time.perf_counter()
        export = po.catalogue_export(
            articles=stories[start : start + per_file], language="ja"
        )
        export.content()
        seconds += time.perf_counter() - started
        for entry in export.catalogue:
            entry.msgstr = entry.msgid.translate(KANA)
        files.append(export.content())
    return seconds, files


def xliff_files(stories, per_file: int) -> tuple[float, list[bytes]]:
    """Export `stories` to XLIFF files; return the seconds it took and the files."""
    from translations import xliff

    def translated(match) -> str:
        return (
            f"{match[1]}translated{match[2]}<source>{match[3]}</source>"
            f"<target>{match[3].translate(KANA)}</target></segment>"
        )

    seconds, files = 0.0, []
    for start in range(0, len(stories), per_file):
        started = time.perf_counter()
        export = xliff.xliff_export(
            articles=stories[start : start + per_file], language="ja"
        )
        export.content()
        seconds += time.perf_counter() - started
        files.append(SEGMENT.sub(translated, export.text).encode("utf-8"))
    return seconds, files


def imported(importer, paths, user, *, dry_run: bool):
    started = time.perf_counter()
    reports = [importer(path=path, user=user, dry_run=dry_run) for path in paths]
    return reports, time.perf_counter() - started


def outcome(reports) -> str:
    for report in reports:
        if report.has_errors:
            first = next((e for e in report.entries if e.status == "error"), None)
            return (
                f"line {first.line}: {first.messages[0]}" if first else report.errors[0]
            )
    applied = sum(len(report.changed_stories) for report in reports)
    ready = sum(report.count("ready") + report.count("applied") for report in reports)
    return f"{ready} entries, {applied} stories changed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import translation

    from translations import po, xliff

    call_command("migrate", verbosity=0)
    translation.activate("en")
    editor = get_user_model().objects.create_superuser(
        "bench-xliff", "bench-xliff@newsroom.example", "pw"
    )
    formats = {
        "PO": (po_files, po.translation_import, ".po"),
        "XLIFF": (xliff_files, xliff.xliff_import, ".xlf"),
    }
    rows: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as directory:
        for name, (make, importer, suffix) in formats.items():
            stories = make_stories(options.stories, options.seed, name.lower(), parts=2)
            per_file = po.MAX_STORIES
            seconds, files = make(stories, per_file)
            while max(len(f) for f in files) > po.MAX_FILE_BYTES and per_file > 1:
                per_file //= 2
                seconds, files = make(stories, per_file)
            paths = []
            for number, content in enumerate(files):
                path = Path(directory) / f"{name}-{number}{suffix}"
                path.write_bytes(content)
                paths.append(path)
            started = time.perf_counter()
            for path in paths:
                path.read_bytes()
            reading = time.perf_counter() - started
            checked, checking = imported(importer, paths, editor, dry_run=True)
            applied, applying = imported(importer, paths, editor, dry_run=False)
            rows[name] = {
                "files": f"{len(files)}",
                "MiB": f"{sum(len(f) for f in files) / 2**20:.2f}",
                "export ms": f"{seconds * 1000:.0f}",
                "read ms": f"{reading * 1000:.1f}",
                "check ms": f"{checking * 1000:.0f}",
                "import ms": f"{applying * 1000:.0f}",
                "checked": outcome(checked),
                "imported": outcome(applied),
            }
    print(f"{options.stories} stories, Korean into Japanese, every text translated")
    columns = ["files", "MiB", "export ms", "read ms", "check ms", "import ms"]
    print(f"{'format':<8}" + "".join(f"{c:>11}" for c in columns) + "  outcome")
    for name, row in rows.items():
        print(
            f"{name:<8}"
            + "".join(f"{row[c]:>11}" for c in columns)
            + f"  {row['imported']}"
        )
    ratios = {
        column: float(rows["XLIFF"][column]) / max(float(rows["PO"][column]), 1e-9)
        for column in ("export ms", "check ms", "import ms")
    }
    print(
        "XLIFF / PO: "
        + ", ".join(f"{column[:-3]} {ratio:.2f}x" for column, ratio in ratios.items())
    )
    print(
        f"check outcomes: PO {rows['PO']['checked']}; XLIFF {rows['XLIFF']['checked']}"
    )


if __name__ == "__main__":
    main()
