"""A real Varnish (Debian's varnish and varnish-modules) in front of the live server.

Without varnishd the tests skip, saying so; CI sets NEWSROOM_REQUIRE_VARNISH=1
and installs it, so there they must run.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VCL = BASE_DIR / "deploy" / "varnish" / "newsroom.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def need_varnish() -> None:
    if Path(VARNISHD).exists():
        return
    message = (
        "the front cache tests need varnishd (apt-get install varnish varnish-modules)"
    )
    if os.environ.get("NEWSROOM_REQUIRE_VARNISH") == "1":
        pytest.fail(f"NEWSROOM_REQUIRE_VARNISH=1 but {message}")
    pytest.skip(f"skipped: {message}")


@pytest.fixture
def varnish(live_server, tmp_path):
    """Start varnishd with our VCL before the live server; yield its address."""
    app = urlsplit(live_server.url)
    process, address = start_varnish(
        tmp_path,
        f'backend default {{ .host = "{app.hostname}"; .port = "{app.port}"; }}\n'
        'acl purgers { "127.0.0.1"; "::1"; }\n',
    )
    yield address
    process.terminate()
    process.wait(timeout=10)


def start_varnish(
    folder: Path, site_vcl: str, ready_path: str = "/healthz"
) -> tuple[subprocess.Popen, str]:
    """Start varnishd with our VCL and `site_vcl`; return it and its address.

    Returns once Varnish passes `ready_path` to its backend and back.
    """
    need_varnish()
    (folder / "newsroom.vcl").write_text(VCL.read_text())
    (folder / "site.vcl").write_text(site_vcl)
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - Debian's varnishd, our files
        [
            VARNISHD,
            "-F",
            "-n",
            str(folder / "work"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(folder / "newsroom.vcl"),
            "-p",
            f"vcl_path={folder}",
            "-s",
            "malloc,32m",
            "-T",
            "none",
            "-j",
            "none",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{address}{ready_path}", timeout=2).read()  # noqa: S310
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"varnishd did not start: {output}")
            time.sleep(0.2)
    return process, address


class Answer:
    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache", "")


def fetch(url: str, method: str = "GET", **headers: str) -> Answer:
    request = urllib.request.Request(  # noqa: S310 - the test's own Varnish
        url, method=method, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return Answer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def run_python(env: dict[str, str], *arguments: str, timeout: int = 300) -> str:
    """Run this interpreter with `arguments` in the project; return what it printed."""
    done = subprocess.run(  # noqa: S603 - this interpreter, our code
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
