"""Every import follows the code's map (README.md, "The code's map").

Each module of our apps, migrations and tests included, is read with `ast`;
an import of another app that the map does not allow fails, naming the module
and the line, and so does a cycle between apps.
"""

import ast
import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# The first-party apps each part may import, besides its own app; mirrors the
# table in README.md's "The code's map". A module belongs to the longest key
# its dotted name starts with: `tags.tests.test_models` to "tags.tests".
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    # The front cache's headers and purges: the apps name their keys.
    "frontcache": {"core"},
    "tags": {"core"},
    # Tags and links hang on stories: their tests make real ones.
    "tags.tests": {"core", "articles"},
    "related": {"core"},
    "related.tests": {"core", "articles"},
    "articles": {"core", "tags", "related"},
    # Stories are tried with real pictures.
    "articles.tests": {"core", "tags", "related", "images"},
    "images": {"core", "articles"},
    "search": {"core", "articles", "tags", "frontcache"},
    "reader": {"core", "articles", "images", "tags", "related", "frontcache"},
    # Translators name tags too.
    "translations": {"core", "articles", "images", "tags"},
    # A story's links are translated with it (through the story, not their
    # app): the tests make real ones.
    "translations.tests": {"core", "articles", "images", "tags", "related"},
    "demo": {"core", "articles", "images", "tags", "related"},
    # Archives brought in (Jekyll, WordPress, saved pages) as stories with
    # their pictures, sources and related stories.
    "imports": {"core", "articles", "images", "related"},
    # Imported stories are tried with real tags, searched for, and have their
    # translation state.
    "imports.tests": {
        "core",
        "articles",
        "images",
        "related",
        "tags",
        "search",
        "translations",
    },
    # Who is told what about a story; translators only where that app is.
    "notifications": {"core", "articles", "translations"},
    "newsroom": {
        "core",
        "frontcache",
        "articles",
        "images",
        "search",
        "reader",
        "tags",
        "related",
        "translations",
        "notifications",
        "demo",
        "imports",
    },
}
APPS = sorted({part.partition(".")[0] for part in MAY_IMPORT})


class Arrow(NamedTuple):
    part: str
    app: str
    path: str
    line: int
    module: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where} imports {self.module} ({self.part} → {self.app})"


def module_name(path: Path) -> str:
    parts = path.relative_to(BASE_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str:
    """Return the key of MAY_IMPORT that `module` belongs to."""
    return max(
        (key for key in MAY_IMPORT if module == key or module.startswith(key + ".")),
        key=len,
    )


def imported_modules(path: Path, module: str):
    """Yield (line, dotted name) for each import in `path`, at any depth."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module
            yield node.lineno, name


def arrows() -> list[Arrow]:
    """Return every import of one app by another, as the files hold them."""
    found = []
    for app in APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            module = module_name(path)
            for line, name in imported_modules(path, module):
                target = name.partition(".")[0]
                if target in APPS and target != app:
                    found.append(
                        Arrow(
                            part_of(module),
                            target,
                            str(path.relative_to(BASE_DIR)),
                            line,
                            name,
                        )
                    )
    return found


def graph() -> dict[str, set[str]]:
    """Return, for each app, the apps its modules import (tests included)."""
    imports: dict[str, set[str]] = {app: set() for app in APPS}
    for arrow in arrows():
        imports[arrow.part.partition(".")[0]].add(arrow.app)
    return imports


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """Return the nodes of one cycle in `edges`, first node repeated; [] if none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return []
        for following in sorted(edges.get(node, ())):
            if cycle := visit(following, [*path, node]):
                return cycle
        done.add(node)
        return []

    for node in sorted(edges):
        if cycle := visit(node, []):
            return cycle
    return []


def test_every_import_of_another_app_is_on_the_map():
    forbidden = [
        str(arrow) for arrow in arrows() if arrow.app not in MAY_IMPORT[arrow.part]
    ]
    assert not forbidden, "Arrows the map forbids:\n" + "\n".join(forbidden)


def test_the_apps_import_each_other_without_a_cycle():
    edges: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], Arrow] = {}
    for arrow in arrows():
        edges[arrow.part].add(arrow.app)
        where.setdefault((arrow.part, arrow.app), arrow)
    cycle = find_cycle(edges)
    assert not cycle, "A cycle between apps:\n" + "\n".join(
        str(where[pair]) for pair in pairwise(cycle)
    )


def test_the_map_itself_has_no_cycle():
    assert find_cycle(MAY_IMPORT) == []


def test_the_map_in_the_readme_is_this_one():
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The code's map", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w/]+)/` \| (.*) \|$", section, re.MULTILINE)
    in_readme = {
        part.replace("/", "."): set(re.findall(r"`(\w+)`", allowed))
        for part, allowed in rows
    }
    assert in_readme == MAY_IMPORT
