"""A site to import is read from a folder or a zip, never outside it."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from imports import sites
from imports.sites import ArchiveProblem, SiteFiles


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


POST = b"---\ntitle: T\n---\nBody\n"


def make_site(root: Path) -> Path:
    (root / "_posts" / "2024").mkdir(parents=True)
    (root / "_posts" / "2024-05-30-port.md").write_bytes(POST)
    (root / "_posts" / "2024" / "2024-06-01-rates.html").write_bytes(POST)
    (root / "_posts" / ".2024-06-02-draft.md.swp").write_bytes(b"x")
    (root / "assets" / "img").mkdir(parents=True)
    (root / "assets" / "img" / "harbour.jpg").write_bytes(b"jpeg")
    (root / "about.md").write_bytes(POST)
    return root


def make_zip(entries: dict[str, bytes], path: Path, **kwargs) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_a_folder_lists_its_posts_and_reads_its_files(tmp_path):
    files = SiteFiles.open(make_site(tmp_path / "site"))
    assert list(files.posts()) == [
        "_posts/2024-05-30-port.md",
        "_posts/2024/2024-06-01-rates.html",
    ]
    assert files.read("assets/img/harbour.jpg") == b"jpeg"


def test_a_zip_of_the_sites_folder_reads_as_the_folder(tmp_path):
    path = make_zip(
        {
            "blog/_posts/2024-05-30-port.md": POST,
            "blog/assets/img/harbour.jpg": b"jpeg",
            "blog/_config.yml": b"timezone: Asia/Seoul\n",
        },
        tmp_path / "site.zip",
    )
    files = SiteFiles.open(path)
    assert list(files.posts()) == ["_posts/2024-05-30-port.md"]
    assert files.read("assets/img/harbour.jpg") == b"jpeg"
    assert files.read("_config.yml").startswith(b"timezone")


@pytest.mark.parametrize(
    ("address", "page", "expected"),
    [
        (
            "/assets/img/harbour.jpg",
            "_posts/2024-05-30-port.md",
            "assets/img/harbour.jpg",
        ),
        (
            "../assets/img/harbour.jpg",
            "_posts/2024-05-30-port.md",
            "assets/img/harbour.jpg",
        ),
        ("{{ site.baseurl }}/assets/img/harbour.jpg", "", "assets/img/harbour.jpg"),
        ("/assets/img/harbour.jpg?v=2#top", "", "assets/img/harbour.jpg"),
        ("/assets/img/%68arbour.jpg", "", "assets/img/harbour.jpg"),
        ("https://cdn.example.org/assets/img/harbour.jpg", "", None),
        ("//cdn.example.org/assets/img/harbour.jpg", "", None),
        ("data:image/png;base64,AAAA", "", None),
        ("../../../../etc/passwd", "_posts/2024-05-30-port.md", None),
        ("/assets/img/missing.jpg", "", None),
    ],
)
def test_addresses_a_post_gives_resolve_to_the_sites_files(
    tmp_path, address, page, expected
):
    files = SiteFiles.open(make_site(tmp_path / "site"))
    assert files.resolve(address, relative_to=page) == expected


def test_names_leading_out_of_a_zip_are_refused_and_reported(tmp_path):
    path = make_zip(
        {
            "_posts/2024-05-30-port.md": POST,
            "../outside.md": b"x",
            "/etc/cron.d/evil": b"x",
            "_posts/../../up.md": b"x",
            "C:/windows.md": b"x",
        },
        tmp_path / "site.zip",
    )
    files = SiteFiles.open(path)
    assert files.names() == ["_posts/2024-05-30-port.md"]
    assert set(files.refused) == {
        "../outside.md",
        "/etc/cron.d/evil",
        "_posts/../../up.md",
        "C:/windows.md",
    }
    for name in ("../outside.md", "/etc/cron.d/evil"):
        with pytest.raises(ArchiveProblem, match="No such file"):
            files.read(name)


def test_a_link_out_of_a_folder_is_neither_listed_nor_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"password")
    site = make_site(tmp_path / "site")
    os.symlink(secret, site / "assets" / "img" / "leak.jpg")
    files = SiteFiles.open(site)
    assert "assets/img/leak.jpg" not in files.names()
    assert "assets/img/leak.jpg" in files.refused
    with pytest.raises(ArchiveProblem, match="outside the site"):
        files.read("assets/img/leak.jpg")
    with pytest.raises(ArchiveProblem, match="outside the site"):
        files.read("../secret.txt")


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path):
    path = make_zip({"assets/zeros.jpg": bytes(20 * 1024 * 1024)}, tmp_path / "b.zip")
    files = SiteFiles.open(path)
    with pytest.raises(ArchiveProblem, match="zip bomb"):
        files.read("assets/zeros.jpg")


def test_a_zip_entry_larger_than_its_header_says_is_cut_off(tmp_path):
    data = os.urandom(4096)
    path = make_zip({"assets/a.jpg": data}, tmp_path / "lie.zip")
    raw = bytearray(path.read_bytes())
    # The central directory's uncompressed size, told as 100 bytes.
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    files = SiteFiles.open(path)
    with pytest.raises(ArchiveProblem):
        files.read("assets/a.jpg")


def test_a_file_over_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sites, "MAX_FILE_BYTES", 1024)
    site = make_site(tmp_path / "site")
    (site / "assets" / "big.jpg").write_bytes(os.urandom(2048))
    with pytest.raises(ArchiveProblem, match="larger than"):
        SiteFiles.open(site).read("assets/big.jpg")
    path = make_zip({"assets/big.jpg": os.urandom(2048)}, tmp_path / "big.zip")
    with pytest.raises(ArchiveProblem, match="larger than"):
        SiteFiles.open(path).read("assets/big.jpg")


def test_neither_a_folder_nor_a_zip_is_refused(tmp_path):
    path = tmp_path / "site.tar"
    path.write_bytes(io.BytesIO(b"not a zip").getvalue())
    with pytest.raises(ArchiveProblem, match="Not a folder nor a zip"):
        SiteFiles.open(path)
