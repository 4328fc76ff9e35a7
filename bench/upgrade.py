"""Prove that a PostgreSQL database made by an older revision upgrades with its data.

    .venv/bin/python -m bench.upgrade --before <git-rev> [--keep]
        [--database-url postgres://postgres@127.0.0.1:5432]

In a git worktree at <git-rev>: migrate a fresh database, load the demo and 2 000
generated stories, index them, record a few reads, share cards and translators'
languages; render reader pages (home and three stories per language, a section,
a tag, a search, the RSS feed, the sitemap) and count every table's rows. Then
migrate that database with this tree and do both again. Fails when a shared
table's row count changed (Django's bookkeeping may grow, see report()), when a
page differs, when an empty database does not migrate or a migration is missing.
Both trees use this interpreter, manage.py's settings (debug off) and one media
directory. Run from the repository's top directory, catalogues compiled.
"""

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
CREATE = (
    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
)
DROP = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
# Rows Django adds itself: one per migration applied, and one content type
# with its permissions per new model.
DJANGO_GROWS = {"django_migrations", "django_content_type", "auth_permission"}
# The desk's groups hold exactly what articles/roles.py lists after every
# migrate (apply_roles takes back anything else): a new release's roles may
# grant more or fewer permissions, and no one's data is in that table.
ROLES_DECLARE = {"auth_group_permissions"}
# Rows a data migration derives from what is there, never losing any: the
# freshness records of the link labels and corrections already translated
# (translations 0012, when they became units of their stories).
DERIVED_GROWS = {
    "translations_fieldtranslation": "translations 0012: links and corrections"
}
# Both snippets run in a tree's `manage.py shell -c`. The URLs are written out,
# not reversed: they are what readers hold, and must outlive a move of the views.
# The old tree chooses the pages (lowest ids first) and renders them twice; the
# new one renders the same list. No normalising was needed: the CSP nonce is in
# the headers only, and the pages carry no CSRF token or relative time.
RENDER = """
import json, os, traceback
from urllib.parse import quote
from django.test import Client

def choose():
    from articles.models import Article, Category
    from tags.models import Tag

    urls = ["/sitemap.xml"]
    for code in ("ko", "ja", "en"):
        live = Article.objects.live(code).order_by("id")
        slugs = live.values_list(f"slug_{code}", flat=True)[:3]
        urls += [f"/{code}/"] + [f"/{code}/stories/{quote(s)}/" for s in slugs]
    live = Article.objects.live("ko")
    section = Category.objects.filter(id__in=live.values("category"), slug_ko__gt="")
    tag = Tag.objects.filter(tagged_articles__content_object__in=live, slug_ko__gt="")
    return urls + [
        f"/ko/sections/{quote(section.order_by('id')[0].slug_ko)}/",
        f"/ko/tags/{quote(tag.order_by('id')[0].slug_ko)}/",
        f"/ko/search/?q={quote('경제')}",
        "/ko/feeds/rss.xml",
    ]

chosen = os.environ.get("UPGRADE_URLS")
client = Client(raise_request_exception=False)
pages = {}
for url in json.loads(open(chosen).read()) if chosen else choose():
    response = client.get(url)
    error = traceback.format_exception(*response.exc_info) if response.exc_info else []
    pages[url] = {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "body": response.content.decode(),
        "error": "".join(error[-3:]),
    }
with open(os.environ["UPGRADE_PAGES"], "w") as out:
    json.dump(pages, out, ensure_ascii=False)
"""
# Rows for the tables the demo leaves empty, through the readers' endpoints.
FILL = """
from urllib.parse import quote
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from articles.models import Article

client = Client(HTTP_USER_AGENT="Mozilla/5.0 (upgrade check)")
for number, code in enumerate(("ko", "ja", "en")):
    for article in Article.objects.live(code).order_by("id")[:5]:
        client.get(f"/{code}/stories/{quote(getattr(article, f'slug_{code}'))}/card/")
        address = f"10.0.{number}.{article.pk % 250}"
        client.post(f"/{code}/reads/", {"article": article.pk}, REMOTE_ADDR=address)
model = next(m for m in apps.get_models() if m.__name__ == "TranslatorLanguage")
for code in ("ja", "en"):
    model.objects.get_or_create(user=get_user_model().objects.first(), language=code)
"""


class StepFailed(Exception):
    pass


def git(*args: str, check: bool = True) -> str:
    command = ["git", "-C", str(ROOT), *args]
    result = subprocess.run(  # noqa: S603 - our own arguments
        command, capture_output=True, text=True, check=check
    )
    return result.stdout.strip()


def run(label: str, args: list[str], *, cwd: Path, env: dict) -> int:
    """Run a command quietly; print its time, and its output when it fails."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own commands
        args, cwd=cwd, env=env, capture_output=True, text=True
    )
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    if result.returncode:
        print(result.stdout[-3000:] + result.stderr[-3000:])
    return result.returncode


def must(label: str, args: list[str], *, cwd: Path, env: dict) -> None:
    if run(label, args, cwd=cwd, env=env):
        raise StepFailed(label)


def manage(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def environment(server: str, database: str, media: Path) -> dict:
    """Return the environment both trees run in: ours, none of the operator's."""
    prefixes = ("DJANGO_", "NEWSROOM_", "DATABASE_", "REDIS_", "DEEPL_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return env | {
        "DATABASE_URL": f"{server}/{database}",
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "upgrade-check-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }


def admin(server: str, statement: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def snapshot(server: str, database: str) -> dict:
    """Count the rows of every table in public; read the content types."""
    with psycopg.connect(f"{server}/{database}") as connection:
        query = connection.execute
        tables = query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        count = sql.SQL("SELECT count(*) FROM {}")
        counts = {
            t: query(count.format(sql.Identifier(t))).fetchone()[0]
            for (t,) in tables.fetchall()
        }
        flag = query(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = 'translations_translationstate' "
            "AND column_name = 'is_withheld'"
        ).fetchone()
        withheld = None
        if flag:
            withheld = query(
                "SELECT count(*) FROM translations_translationstate WHERE is_withheld"
            ).fetchone()[0]
        types = query("SELECT id, app_label || '.' || model FROM django_content_type")
        return {"counts": counts, "withheld": withheld, "types": dict(types.fetchall())}


def render(label: str, tree: Path, env: dict, out: Path, urls: Path | None) -> dict:
    paths = {"UPGRADE_PAGES": str(out)} | ({"UPGRADE_URLS": str(urls)} if urls else {})
    must(label, manage("shell", "-c", RENDER), cwd=tree, env=env | paths)
    return json.loads(out.read_text())


def page_differences(old: dict, new: dict) -> dict[str, str]:
    """Return, for each page that differs, a short diff of its first difference."""
    differences = {}
    for url, page in old.items():
        other = new[url]
        if (page["status"], page["location"]) != (other["status"], other["location"]):
            differences[url] = (
                f"    status {page['status']} {page['location']} -> "
                f"{other['status']} {other['location']}\n{other['error']}"
            ).rstrip()
        elif page["body"] != other["body"]:
            # One tag a line, so that the diff of a long line shows the change.
            lines = difflib.unified_diff(
                page["body"].replace(">", ">\n").splitlines(),
                other["body"].replace(">", ">\n").splitlines(),
                n=1,
                lineterm="",
            )
            differences[url] = "\n".join(f"    {x[:160]}" for x in list(lines)[2:12])
    return differences


def report(before: dict, after: dict) -> bool:
    """Print the row counts side by side; return whether data was lost or added."""
    old, new = before["counts"], after["counts"]
    shared = sorted(old.keys() & new.keys())
    width = max(map(len, shared), default=10)
    print(f"\n{'table':<{width}} {'before':>9} {'after':>9}")
    changed = False
    for name in shared:
        grown = new[name] - old[name]
        mark = f"  +{grown} (Django's own)" if grown > 0 else ""
        if grown and name in ROLES_DECLARE:
            mark = f"  {grown:+} (articles/roles.py)"
        elif grown > 0 and name in DERIVED_GROWS:
            mark = f"  +{grown} ({DERIVED_GROWS[name]})"
        elif grown and (grown < 0 or name not in DJANGO_GROWS):
            mark, changed = "  CHANGED", True
        print(f"{name:<{width}} {old[name]:>9} {new[name]:>9}{mark}")
    for side, counts, other in (("before", old, new), ("after", new, old)):
        only = sorted(counts.keys() - other.keys())
        print(f"\nTables only {side}: {len(only)}")
        print("".join(f"  {name}: {counts[name]} rows\n" for name in only), end="")
    withheld = "no such column" if before["withheld"] is None else before["withheld"]
    print(f"\nWithheld before (translationstate.is_withheld): {withheld}")
    # A model moved to another app keeps its table, so only a new table explains
    # a new content type; else the old type and its permissions, which groups
    # hold, stay behind (the migration should rename the type instead).
    was, now = before["types"], after["types"]
    print("\nContent types changed (same id) or added:")
    for key in sorted(was.keys() | now.keys()):
        if was.get(key) != now.get(key):
            print(f"  {was.get(key, '-')} -> {now.get(key, '-')}")
    added, new_tables = now.keys() - was.keys(), new.keys() - old.keys()
    if was.keys() - now.keys() or len(added) > len(new_tables):
        print("  CHANGED: a content type went, or more came than new tables.")
        changed = True
    return changed


def upgrade(
    server: str,
    database: str,
    worktree: Path,
    scratch: Path,
    pages_may_differ: bool = False,
) -> list[str]:
    """Fill `database` at the old revision, migrate it here; return what failed.

    With `pages_may_differ` (the product changed since), a page must still
    answer as it did, but its bytes may differ.
    """
    env = environment(server, database, scratch / "media")
    admin(server, CREATE.format(database))
    for label, args in [
        ("compile_catalogues", manage("compile_catalogues")),
        ("migrate (before)", manage("migrate", "--noinput")),
        ("load_demo", manage("load_demo")),
        ("bench.generate", [sys.executable, "-m", "bench.generate", "--stories=2000"]),
        ("rebuild_search_index", manage("rebuild_search_index", "--batch", "1000")),
        ("reads, share cards, translators", manage("shell", "-c", FILL)),
    ]:
        must(label, args, cwd=worktree, env=env)
    old = render("render (before)", worktree, env, scratch / "before.json", None)
    urls = scratch / "urls.json"
    urls.write_text(json.dumps(list(old)))
    again = render(
        "render (before, again)", worktree, env, scratch / "again.json", urls
    )
    before = snapshot(server, database)
    must("migrate (after)", manage("migrate", "--noinput"), cwd=ROOT, env=env)
    after = snapshot(server, database)
    new = render("render (after)", ROOT, env, scratch / "after.json", urls)

    failed = ["row counts"] if report(before, after) else []
    unstable = page_differences(old, again)
    print(f"\nPages differing between two renders before: {len(unstable)}")
    for url, diff in unstable.items():
        print(f"  {unquote(url)}\n{diff}")
    differences = page_differences(again, new)
    print(f"\nPages ({len(old)}), before -> after:")
    for url, page in old.items():
        verdict = "differs" if url in differences else "identical"
        status = new.get(url, {}).get("status")
        print(f"  {page['status']} -> {status} {unquote(url)}: {verdict}")
        if url in differences and not pages_may_differ:
            print(differences[url])
    if pages_may_differ:
        broken = [
            url
            for url, page in old.items()
            if new.get(url, {}).get("status") != page["status"]
        ]
        return failed + (["page status"] if broken else [])
    return failed + (["pages"] if differences else [])


def from_empty(server: str, database: str, scratch: Path) -> list[str]:
    """Migrate an empty database with this tree, then look for missing migrations."""
    print(f"\nAn empty database ({database}) with this tree:")
    admin(server, CREATE.format(database))
    env = environment(server, database, scratch / "media")
    failed = []
    if run("migrate (empty)", manage("migrate", "--noinput"), cwd=ROOT, env=env):
        failed.append("migrate from empty")
    check = manage("makemigrations", "--check", "--dry-run")
    if run("makemigrations --check", check, cwd=ROOT, env=env):
        failed.append("makemigrations --check")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the older git revision")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432",
        help="the PostgreSQL server, without a database name",
    )
    parser.add_argument("--keep", action="store_true", help="keep database and media")
    parser.add_argument(
        "--pages-may-differ",
        action="store_true",
        help="the product changed since --before: pages must answer as before, "
        "their bytes may differ",
    )
    options = parser.parse_args()
    # Without them the pages would differ for that alone; this tree's files
    # are not ours to write.
    for po in ROOT.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            sys.exit(f"{mo} is missing or stale: run manage.py compile_catalogues")
    server = options.database_url.rstrip("/")
    started, pid = time.perf_counter(), os.getpid()
    worktree = Path(tempfile.gettempdir()) / f"upgrade-before-{pid}"
    scratch = Path(tempfile.mkdtemp(prefix=f"upgrade-{pid}-"))
    database, empty = f"newsroom_upgrade_{pid}", f"newsroom_upgrade_{pid}_empty"
    failed = []
    try:
        revision = git("rev-parse", "--verify", f"{options.before}^{{commit}}")
        print(f"Before: {revision} in {worktree}; database {database}")
        git("worktree", "add", "--detach", str(worktree), revision)
        failed += upgrade(server, database, worktree, scratch, options.pages_may_differ)
        failed += from_empty(server, empty, scratch)
    except (StepFailed, subprocess.CalledProcessError, psycopg.Error) as exc:
        output = getattr(exc, "stderr", None) or ""
        failed.append(f"{exc.__class__.__name__}: {exc} {output}".strip())
    finally:
        git("worktree", "remove", "--force", str(worktree), check=False)
        admin(server, DROP.format(empty))
        if options.keep:
            print(f"\nKept database {database} and media in {scratch}/media")
        else:
            admin(server, DROP.format(database))
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"\n{time.perf_counter() - started:.0f} s in all.")
    if failed:
        sys.exit("Upgrade check failed: " + "; ".join(failed))
    print("Upgrade check passed.")


if __name__ == "__main__":
    main()
