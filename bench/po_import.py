"""Time the PO import on hostile files and on a large legitimate export.

    .venv/bin/python -m bench.po_import [--stories 600]

Loads Django with an in-memory SQLite database, writes each file to a
temporary directory and times `translation_import` on it as the upload form's
first step does (a check: nothing is written), and for the legitimate export
the apply too. Next to each time, the time to read the same file's bytes,
measured in the same run: what any handling of the upload costs at the least.
Prints, per file, its size and lines, the times and the outcome (the report's
first error, or its summary).
"""

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: ja\\n"\n'
    "\n"
)


def long_msgid(story) -> str:
    """One entry whose msgid spans 1.2 million continuation lines (4.8 MB)."""
    lines = '"a"\n' * 1_200_000
    return f'{HEADER}msgctxt "article:{story.pk}:body"\nmsgid ""\n{lines}msgstr "b"\n'


def tiny_entries(story) -> str:
    """100 000 entries of one character each (4.9 MB)."""
    return HEADER + "".join(
        f'msgctxt "article:{number}:dek"\nmsgid "a"\nmsgstr "b"\n\n'
        for number in range(story.pk, story.pk + 100_000)
    )


def long_line(story, size: int) -> str:
    """One msgstr on a single line, the file `size` bytes."""
    start = f'{HEADER}msgctxt "article:{story.pk}:dek"\nmsgid "a"\nmsgstr "'
    return start + "b" * (size - len(start) - 2) + '"\n'


def long_comment(story) -> str:
    """One entry under 1.2 million comment lines (4.8 MB)."""
    lines = "# a\n" * 1_200_000
    return f'{HEADER}{lines}msgctxt "article:{story.pk}:dek"\nmsgid "a"\nmsgstr "b"\n'


def content_types(story) -> str:
    """A line of 400 000 "Content-Type:" and no charset (5.2 MB)."""
    return "Content-Type:" * 400_000


def stray_angle_brackets(story) -> str:
    """A translation of a story whose body is "<a" 100 000 times."""
    from articles.models import Article
    from translations import po

    export = po.catalogue_export(
        articles=Article.objects.filter(pk=story.pk), language="ja"
    )
    for entry in export.catalogue:
        entry.msgstr = "<a" * 100_000 if entry.msgctxt.endswith(":body") else ""
    return str(export.catalogue)


def at_the_limits(story) -> str:
    """Entries whose msgid is as long, on as many lines, as a text may be.

    What polib costs most within the limits: its work grows with a text's
    lines times its length.
    """
    from translations import po

    width = po.MAX_STRING_CHARS // po.MAX_STRING_LINES
    text = 'msgid ""\n' + f'"{"a" * width}"\n' * (po.MAX_STRING_LINES - 1)
    entries, size, number = [HEADER], len(HEADER), story.pk
    while size + len(text) + 60 < po.MAX_FILE_BYTES:
        entry = f'msgctxt "article:{number}:body"\n{text}msgstr "b"\n\n'
        entries.append(entry)
        size += len(entry)
        number += 1
    return "".join(entries)


def make_stories(count: int, seed: int) -> list:
    """Create `count` Korean stories, not translated into Japanese."""
    from django.utils import timezone

    from articles.models import Article, Category
    from bench.generate import body, sentence

    rng = random.Random(seed)
    section = Category.objects.create(
        name_ko="분야", name_ja="分野", name_en="Desk", slug_en="bench-po"
    )
    return Article.objects.bulk_create(
        Article(
            headline_ko=sentence(rng, "ko", 6)[:-1],
            slug_ko=f"bench-po-{number}",
            dek_ko=sentence(rng, "ko", 14),
            key_points_ko="\n".join(sentence(rng, "ko", 5) for _ in range(3)),
            body_ko="".join(body(rng, "ko") for _ in range(4)),
            category=section,
            status="published",
            published_at=timezone.now(),
        )
        for number in range(count)
    )


def legitimate_export(stories) -> str:
    """Export `stories` for Japanese and fill every msgstr (with the source)."""
    from articles.models import Article
    from translations import po

    export = po.catalogue_export(
        articles=Article.objects.filter(pk__in=[s.pk for s in stories]),
        language="ja",
    )
    for entry in export.catalogue:
        # Same length, tags and placeholders as a translation: every check runs.
        entry.msgstr = entry.msgid
    return str(export.catalogue)


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def outcome(report) -> str:
    for entry in report.entries:
        if entry.status == "error":
            return f"line {entry.line}: {entry.messages[0]}"
    return report.errors[0] if report.errors else report.summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import translation

    from translations import po

    call_command("migrate", verbosity=0)
    translation.activate("en")
    editor = get_user_model().objects.create_superuser(
        "bench-po", "bench-po@newsroom.example", "pw"
    )
    stories = make_stories(options.stories, options.seed)
    first = stories[0]
    files = {
        "msgid on 1.2 M lines": long_msgid(first),
        "100 000 tiny entries": tiny_entries(first),
        "5 MB single-line msgstr": long_line(first, po.MAX_FILE_BYTES),
        "1.2 M comment lines": long_comment(first),
        "Content-Type x 400 000": content_types(first),
        '"<a" x 100 000 in a body': stray_angle_brackets(first),
        "texts at the limits": at_the_limits(first),
        f"export of {len(stories)} stories": legitimate_export(stories),
    }
    print(
        f"{'file':<26} {'MiB':>5} {'lines':>9} {'read ms':>8} {'check ms':>9} "
        f"{'apply ms':>9}  outcome"
    )
    with tempfile.TemporaryDirectory() as directory:
        for name, text in files.items():
            path = Path(directory) / "bench.po"
            path.write_text(text, encoding="utf-8")
            _data, reading = timed(path.read_bytes)
            report, checking = timed(
                po.translation_import, path=path, user=editor, dry_run=True
            )
            applying = ""
            if name.startswith("export") and not report.has_errors:
                report, seconds = timed(po.translation_import, path=path, user=editor)
                applying = f"{seconds * 1000:.0f}"
            size = path.stat().st_size / 2**20
            print(
                f"{name:<26} {size:>5.2f} {text.count(chr(10)):>9} "
                f"{reading * 1000:>8.2f} {checking * 1000:>9.0f} {applying:>9}  "
                f"{outcome(report)[:100]}"
            )


if __name__ == "__main__":
    main()
