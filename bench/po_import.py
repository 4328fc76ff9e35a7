"""Time the PO import on hostile files and on a large legitimate export.

    .venv/bin/python -m bench.po_import [--stories 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_po \
        .venv/bin/python -m bench.po_import --stories 1000

Loads Django with an in-memory SQLite database, or, when DATABASE_URL names a
PostgreSQL server, a scratch database made for the run and dropped after it
(Django's test database: "test_" and the name in the URL). Writes each file to
a temporary directory and times `translation_import` on it as the upload
form's first step does (a check: nothing is written), and for the legitimate
export the import itself: the stories (Korean, each with its language states)
exported for Japanese, every entry translated, checked and applied. Next to
each time, the time to read the same file's bytes, measured in the same run:
what any handling of the upload costs at the least. Prints, per file, its size
and lines, the times and the outcome (the report's first error, or its
summary); then, for the import of the export, its check (reading and parsing
included), its apply (the commit and what runs on it included), their total
and the queries of each per story, and the same for a second translation of
the same stories, imported over the first.
"""

import argparse
import os
import random
import tempfile
import time
from contextlib import contextmanager
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


def make_stories(
    count: int, seed: int, prefix: str = "po", parts: int | None = None
) -> list:
    """Create `count` published Korean stories, not translated into Japanese.

    Each with its language states, as the desk's save leaves them. Bodies are
    `parts` generated bodies long, else as long as the file limits allow: four
    a story up to 600 stories, fewer beyond. `prefix` sets their slugs apart.
    """
    from django.utils import timezone

    from articles.models import Article, Category
    from bench.generate import body, sentence
    from translations.models import TranslationState

    rng = random.Random(seed)
    section, _new = Category.objects.get_or_create(
        slug_en=f"bench-{prefix}",
        defaults={"name_ko": "분야", "name_ja": "分野", "name_en": "Desk"},
    )
    if parts is None:
        parts = max(1, min(4, 2400 // max(count, 1)))
    stories = Article.objects.bulk_create(
        Article(
            headline_ko=sentence(rng, "ko", 6)[:-1],
            slug_ko=f"bench-{prefix}-{number}",
            dek_ko=sentence(rng, "ko", 14),
            key_points_ko="\n".join(sentence(rng, "ko", 5) for _ in range(3)),
            body_ko="".join(body(rng, "ko") for _ in range(parts)),
            category=section,
            status="published",
            published_at=timezone.now(),
        )
        for number in range(count)
    )
    TranslationState.objects.bulk_create(
        TranslationState(
            article=story,
            language=code,
            status="up_to_date" if code == "ko" else "missing",
        )
        for story in stories
        for code in ("ko", "ja", "en")
    )
    return stories


# Hangul syllables read as kana: a text of the same length, tags and
# placeholders that differs from its source, as a translation does; and
# another reading, for a second translation of the same texts.
KANA = {code: 0x30A1 + code % 0x56 for code in range(0xAC00, 0xD7A4)}
KANA_AGAIN = {code: 0x30A1 + (code + 1) % 0x56 for code in range(0xAC00, 0xD7A4)}


def legitimate_export(stories, reading=KANA) -> str:
    """Export `stories` for Japanese and translate every msgstr."""
    from articles.models import Article
    from translations import po

    export = po.catalogue_export(
        articles=Article.objects.filter(pk__in=[s.pk for s in stories]),
        language="ja",
    )
    for entry in export.catalogue:
        # Same length, tags and placeholders as a translation: every check
        # runs, and the memory learns every segment.
        entry.msgstr = entry.msgid.translate(reading)
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


@contextmanager
def scratch_database():
    """Run on a database made for this run: in memory, or a PostgreSQL one.

    PostgreSQL's is Django's test database for the configured one, made (or
    made again) now and dropped at the end.
    """
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        call_command("migrate", verbosity=0)
        yield connection.vendor
        return
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        yield f"{connection.vendor} ({name})"
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def timed_import(path: Path, user) -> dict:
    """Import `path` for real; time and count the queries of check and apply.

    The check is everything before the importer's `_apply` is called (reading
    and parsing included); the apply, the rest: `_apply`, the commit and what
    runs on commit (the search index).
    """
    from django.db import connection

    from translations.po import importing

    phase = {"name": "check"}
    queries = {"check": 0, "apply": 0}
    applied_at = {}
    apply = importing._apply

    def timed_apply(*args, **kwargs):
        phase["name"] = "apply"
        applied_at["time"] = time.perf_counter()
        return apply(*args, **kwargs)

    def count(execute, sql, *args):
        queries[phase["name"]] += 1
        return execute(sql, *args)

    importing._apply = timed_apply
    try:
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            report = importing.translation_import(path=path, user=user)
            ended = time.perf_counter()
    finally:
        importing._apply = apply
    check = applied_at.get("time", ended) - started
    return {
        "report": report,
        "check": check,
        "apply": ended - started - check,
        "total": ended - started,
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    with scratch_database() as database:
        print(f"database: {database}")
        run(options)


def run(options) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from translations import po

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
    imported = None
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
                imported = timed_import(path, editor)
                report = imported["report"]
                applying = f"{imported['apply'] * 1000:.0f}"
            size = path.stat().st_size / 2**20
            print(
                f"{name:<26} {size:>5.2f} {text.count(chr(10)):>9} "
                f"{reading * 1000:>8.2f} {checking * 1000:>9.0f} {applying:>9}  "
                f"{outcome(report)[:100]}"
            )
        if imported is None:
            return
        print()
        summary("import of", stories, imported)
        # The same stories translated again: every state, field record,
        # language edition and memory segment is stored already and changes.
        path.write_text(legitimate_export(stories, KANA_AGAIN), encoding="utf-8")
        summary("new translation of", stories, timed_import(path, editor))


def summary(name: str, stories, imported: dict) -> None:
    count = max(len(imported["report"].changed_stories), 1)
    print(
        f"{name} {len(stories)} stories ({count} changed): "
        f"check {imported['check'] * 1000:.0f} ms, "
        f"apply {imported['apply'] * 1000:.0f} ms, "
        f"total {imported['total'] * 1000:.0f} ms; queries per story: "
        f"check {imported['queries']['check'] / count:.1f}, "
        f"apply {imported['queries']['apply'] / count:.1f}"
    )


if __name__ == "__main__":
    main()
