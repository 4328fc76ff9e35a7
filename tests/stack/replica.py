"""A PostgreSQL primary and its streaming replica, made for one test and removed after.

Both are clusters of their own in a temporary directory, on free ports, made
with Debian's binaries (found by glob, so a new PostgreSQL version still
works): the machine's own server and its configuration are never touched.
As root the binaries run as the postgres user (PostgreSQL refuses root);
as anyone else they run as that user. Without them the tests skip, saying
so; NEWSROOM_REQUIRE_REPLICA=1 turns the skip into a failure.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.stack.conftest import free_port

BINARIES = "/usr/lib/postgresql/*/bin"
SUPERUSER = "postgres"


def postgresql_bin() -> Path | None:
    """Return the newest installed PostgreSQL's bin directory, or None."""
    found = [path.parent for path in Path("/").glob(BINARIES[1:] + "/initdb")]
    if not found:
        return None
    return max(found, key=lambda path: int(path.parent.name.split(".")[0]))


def run_as() -> list[str] | None:
    """Return the prefix that runs a PostgreSQL binary as a user it accepts.

    None when that cannot be done: root without runuser or a postgres user.
    """
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        return None
    return [runuser, "-u", SUPERUSER, "--"] if runuser else None


def need_replica() -> tuple[Path, list[str]]:
    """Return PostgreSQL's bin directory and the run-as prefix, or skip."""
    binaries, prefix = postgresql_bin(), run_as()
    if binaries is not None and prefix is not None:
        return binaries, prefix
    if binaries is None:
        message = (
            f"the replica tests need PostgreSQL's server binaries ({BINARIES}/initdb;"
            " apt-get install postgresql)"
        )
    else:
        message = "the replica tests run as root only with runuser and a postgres user"
    if os.environ.get("NEWSROOM_REQUIRE_REPLICA") == "1":
        pytest.fail(f"NEWSROOM_REQUIRE_REPLICA=1 but {message}")
    pytest.skip(f"skipped: {message}")


def server_url(port: int, database: str = "postgres") -> str:
    return f"postgres://{SUPERUSER}@127.0.0.1:{port}/{database}"


def database_url(url: str, database: str) -> str:
    """Return `url` (a server's) naming another database."""
    return url.rsplit("/", 1)[0] + "/" + database


class Cluster:
    """One PostgreSQL cluster in a directory of the temporary one."""

    def __init__(self, binaries: Path, prefix: list[str], root: Path, name: str):
        self.binaries = binaries
        self.prefix = prefix
        self.data = root / name
        self.log = root / f"{name}.log"
        self.port = free_port()
        self.started = False

    @property
    def url(self) -> str:
        return server_url(self.port)

    def run(self, program: str, *arguments: str) -> None:
        command = [*self.prefix, str(self.binaries / program), *arguments]
        done = subprocess.run(  # noqa: S603 - Debian's PostgreSQL, our arguments
            command, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{program} failed ({done.returncode}): {done.stdout}{done.stderr}{log}"
            )

    def configure(self, **settings: str | int) -> None:
        """Append settings to postgresql.conf; a later line wins."""
        lines = [f"{name} = '{value}'" for name, value in settings.items()]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(lines) + "\n")

    def start(self) -> None:
        self.run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
        )
        self.started = True

    def stop(self) -> None:
        if self.started:
            self.run("pg_ctl", "stop", "-m", "immediate", "-D", str(self.data))
            self.started = False


@contextmanager
def streaming_replica() -> Iterator[tuple[str, str]]:
    """Start a primary and a streaming replica of it; yield their URLs.

    Each URL names the cluster's `postgres` database (`database_url` names
    another). Both are stopped and their directory removed afterwards.
    """
    binaries, prefix = need_replica()
    root = Path(tempfile.mkdtemp(prefix="newsroom-replica-"))
    if prefix:
        shutil.chown(root, user=SUPERUSER, group=SUPERUSER)
    primary = Cluster(binaries, prefix, root, "primary")
    replica = Cluster(binaries, prefix, root, "replica")
    try:
        primary.run(
            "initdb",
            "-D", str(primary.data),
            "-U", SUPERUSER,
            "-A", "trust",
            "-E", "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )  # fmt: skip
        primary.configure(
            port=primary.port,
            listen_addresses="127.0.0.1",
            unix_socket_directories=str(root),
            wal_level="replica",
            max_wal_senders=4,
            fsync="off",
        )
        with (primary.data / "pg_hba.conf").open("w") as hba:
            hba.write(
                "local all all trust\n"
                "host all all 127.0.0.1/32 trust\n"
                "host replication all 127.0.0.1/32 trust\n"
            )
        primary.start()
        # -R: standby.signal and primary_conninfo, so it starts as a standby
        # that streams from the primary (hot_standby is on by default).
        replica.run(
            "pg_basebackup",
            "-h", "127.0.0.1",
            "-p", str(primary.port),
            "-U", SUPERUSER,
            "-D", str(replica.data),
            "-R",
            "-X", "stream",
            "--checkpoint=fast",
            "--no-sync",
        )  # fmt: skip
        replica.configure(port=replica.port)
        replica.start()
        yield primary.url, replica.url
    finally:
        try:
            replica.stop()
        finally:
            primary.stop()
            shutil.rmtree(root, ignore_errors=True)


def wait_for_replay(primary_url: str, replica_url: str, timeout: float = 30) -> None:
    """Return once the replica has replayed everything the primary has written."""
    with psycopg.connect(primary_url, autocommit=True) as primary:
        [(written,)] = primary.execute("SELECT pg_current_wal_lsn()").fetchall()
    with psycopg.connect(replica_url, autocommit=True) as replica:
        deadline = time.monotonic() + timeout
        while True:
            [(caught_up,)] = replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]
            ).fetchall()
            if caught_up:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the replica did not replay up to {written} in {timeout}s")
            time.sleep(0.1)


def pause_replay(replica_url: str, timeout: float = 30) -> None:
    """Stop the replica replaying the primary's changes: it lags from now on."""
    with psycopg.connect(replica_url, autocommit=True) as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + timeout
        while (
            replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
            != "paused"
        ):
            if time.monotonic() > deadline:
                pytest.fail(f"the replica's replay did not pause in {timeout}s")
            time.sleep(0.05)


def resume_replay(replica_url: str) -> None:
    with psycopg.connect(replica_url, autocommit=True) as replica:
        replica.execute("SELECT pg_wal_replay_resume()")
