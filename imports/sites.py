"""Read a site's files, from a folder or a zip, without reading outside it.

An archive to import is a folder (a Jekyll site checked out) or a zip of
one, uploaded by an editor: its names, links and sizes are not to be
trusted. `SiteFiles` lists the files inside it and reads them, refusing a
name that leads outside (`../`, an absolute path, a link pointing out), a
file larger than MAX_FILE_BYTES, and a zip whose files add up to more than
MAX_TOTAL_BYTES or expand more than MAX_RATIO times (a zip bomb): whatever a
zip's headers say, no more than the limit is ever read. `resolve()` turns an
address a post gives (`/assets/img/a.jpg`, `../assets/a.jpg`,
`{{ site.baseurl }}/assets/a.jpg`) into a file of the site, or None.
"""

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
MAX_FILES = 200_000
# A zip's file that expands more than this many times its stored size: a
# bomb, not a newsroom's text or pictures (text rarely passes 20).
MAX_RATIO = 200
# Liquid a Jekyll site writes before its own addresses.
SITE_PREFIX = re.compile(r"^\{\{\s*(site\.baseurl|site\.url)\s*\}\}")
READ_CHUNK = 1024 * 1024


class ArchiveProblem(Exception):
    """What is wrong with the archive or one of its files."""

    def __init__(self, message: str, name: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.name = name


def _safe_name(name: str) -> str | None:
    """Return `name` as a relative path inside the site, or None if it leads out."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = PurePosixPath(name).parts
    if any(part == ".." for part in parts) or not parts:
        return None
    return str(PurePosixPath(*(part for part in parts if part != ".")))


class SiteFiles:
    """The files of a site to import, from a folder or a zip."""

    def __init__(self) -> None:
        # What could not be listed, by name: told in the import's report.
        self.refused: dict[str, str] = {}
        self._listed: list[str] | None = None
        self._known_names: set[str] | None = None

    @classmethod
    def open(cls, path: Path, *, single: tuple[str, ...] = ()) -> "SiteFiles":
        """Return the files of the folder or zip at `path`.

        `single`: suffixes of a file that is an archive on its own (a
        WordPress export, a saved page), read alone.
        """
        if path.is_dir():
            return FolderFiles(path)
        if zipfile.is_zipfile(path):
            return ZipFiles(path)
        if path.is_file() and path.suffix.lower() in single:
            return OneFile(path)
        raise ArchiveProblem(_("Not a folder nor a zip file."), path.name)

    def names(self) -> list[str]:
        """Return the site's files, listed once (refusing what leads outside)."""
        if self._listed is None:
            self._listed = self._list()
        return self._listed

    def _list(self) -> list[str]:
        raise NotImplementedError

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        """Return the file's bytes; refuse one larger than `limit` (MAX_FILE_BYTES)."""
        raise NotImplementedError

    def resolve(self, address: str, *, relative_to: str = "") -> str | None:
        """Return the site's file an address in `relative_to`'s page names, or None.

        Addresses of other sites (with a host), data: URLs and names leading
        outside the site give None.
        """
        address = SITE_PREFIX.sub("", address.strip())
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):
            joined = path.lstrip("/")
        else:
            joined = posixpath.join(posixpath.dirname(relative_to), path)
        normal = posixpath.normpath(joined)
        if normal.startswith("../") or normal == ".." or normal.startswith("/"):
            return None
        found = _safe_name(normal)
        return found if found is not None and found in self._known() else None

    def _known(self) -> set[str]:
        if self._known_names is None:
            self._known_names = set(self.names())
        return self._known_names

    def posts(self) -> Iterator[str]:
        """Yield the names of the site's posts (`_posts/`, at any depth), in order."""
        for name in sorted(self.names()):
            parts = PurePosixPath(name).parts
            if "_posts" in parts[:-1] and not parts[-1].startswith("."):
                yield name


class FolderFiles(SiteFiles):
    """A site checked out in a folder."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()

    def _list(self) -> list[str]:
        found = []
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root).as_posix()
            if any(part.startswith(".") for part in PurePosixPath(relative).parts):
                continue
            if path.is_symlink() and not self._inside(path):
                self.refused[relative] = _("A link to a file outside the site.")
                continue
            if path.is_file():
                found.append(relative)
            if len(found) > MAX_FILES:
                raise ArchiveProblem(
                    _("The site has more than %(count)s files.") % {"count": MAX_FILES}
                )
        return found

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
        except ValueError:
            return False
        return True

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        limit = limit or MAX_FILE_BYTES
        safe = _safe_name(name)
        path = self.root / safe if safe is not None else None
        if path is None or not self._inside(path):
            raise ArchiveProblem(_("A name that leads outside the site."), name)
        if not path.is_file():
            raise ArchiveProblem(_("No such file in the site."), name)
        size = path.stat().st_size
        if size > limit:
            raise ArchiveProblem(_too_large(limit), name)
        with path.open("rb") as file:
            # What the file holds and a byte: a read of the limit would make a
            # buffer of 50 MB for every post.
            content = file.read(size + 1)
        if len(content) > limit:
            raise ArchiveProblem(_too_large(limit), name)
        return content


class OneFile(FolderFiles):
    """A file that is an archive on its own: nothing beside it is read."""

    def __init__(self, path: Path) -> None:
        super().__init__(path.parent)
        self.name = path.name

    def _list(self) -> list[str]:
        return [self.name]

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        if name != self.name:
            raise ArchiveProblem(_("No such file in the site."), name)
        return super().read(name, limit=limit)


class ZipFiles(SiteFiles):
    """A site uploaded as a zip (one top folder or none)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.archive = zipfile.ZipFile(path)
        entries = [info for info in self.archive.infolist() if not info.is_dir()]
        if len(entries) > MAX_FILES:
            raise ArchiveProblem(
                _("The site has more than %(count)s files.") % {"count": MAX_FILES}
            )
        if sum(info.file_size for info in entries) > MAX_TOTAL_BYTES:
            raise ArchiveProblem(
                _("The zip's files add up to more than %(size)s GB.")
                % {"size": MAX_TOTAL_BYTES // 1024**3}
            )
        named: dict[str, zipfile.ZipInfo] = {}
        for info in entries:
            safe = _safe_name(info.filename)
            if safe is None:
                self.refused[info.filename] = _("A name that leads outside the site.")
                continue
            if any(part.startswith(".") for part in PurePosixPath(safe).parts):
                continue
            named[safe] = info
        # A zip of the site's folder: names inside that folder.
        root = _site_root(named)
        if root:
            named = {
                name[len(root) + 1 :]: info
                for name, info in named.items()
                if name.startswith(root + "/")
            }
        self.entries = named

    def _list(self) -> list[str]:
        return sorted(self.entries)

    def read(self, name: str, *, limit: int | None = None) -> bytes:
        limit = limit or MAX_FILE_BYTES
        info = self.entries.get(name)
        if info is None:
            raise ArchiveProblem(_("No such file in the site."), name)
        if info.file_size > limit:
            raise ArchiveProblem(_too_large(limit), name)
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and (
            info.file_size > 1024 * 1024
        ):
            raise ArchiveProblem(
                _("The file expands too much for its size in the zip (a zip bomb?)."),
                name,
            )
        limit = min(info.file_size, limit)
        chunks, read = [], 0
        try:
            # Whatever the header says, no more than it says is read.
            with self.archive.open(info) as file:
                while chunk := file.read(min(READ_CHUNK, limit + 1 - read)):
                    chunks.append(chunk)
                    read += len(chunk)
                    if read > limit:
                        raise ArchiveProblem(
                            _("The file is larger than its zip entry says."), name
                        )
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
            raise ArchiveProblem(
                _("The file is damaged in the zip and cannot be read."), name
            ) from error
        except (NotImplementedError, RuntimeError) as error:
            # An unknown compression method, or a password.
            raise ArchiveProblem(
                _("The file is compressed or locked in a way that cannot be read."),
                name,
            ) from error
        return b"".join(chunks)


def _site_root(names: Iterable[str]) -> str:
    """Return the folder of the site in a zip: where _config.yml or _posts/ is.

    Else where a WordPress export (.xml) is, else the shallowest saved page.
    """
    paths = [PurePosixPath(name) for name in names]
    configs = [path.parent for path in paths if path.name == "_config.yml"]
    roots = configs or [
        PurePosixPath(*path.parts[: path.parts.index("_posts")])
        for path in paths
        if "_posts" in path.parts[:-1]
    ]
    # A WordPress export's folder; else the saved pages'.
    for suffixes in ((".xml",), (".html", ".htm")):
        roots = roots or [p.parent for p in paths if p.suffix.lower() in suffixes]
    if not roots:
        return ""
    root = min(roots, key=lambda path: len(path.parts))
    return "" if not root.parts else str(root)


def _too_large(limit: int) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}
