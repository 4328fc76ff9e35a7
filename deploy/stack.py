"""The production shape on one machine: `make up` starts it, `make down` stops it.

    python deploy/stack.py up | down | status

`up` prepares the database (migrate), the catalogues and the static files,
then starts a supervisor in the background that runs, and restarts if one
exits: Redis (unless REDIS_URL names one), gunicorn with the production
settings, the background workers (one for purges), the scheduler, nginx for
uploaded media and Varnish in front of them all. It returns once the site
answers through Varnish. `down` stops the supervisor, which stops everything it started.
Nothing here needs Docker: the engines are Debian's packages (postgresql,
redis-server, varnish, varnish-modules, nginx-light).

Settings come from the environment, as in production (README, "Production"):
DATABASE_URL must name a PostgreSQL database. The stack's own:

    NEWSROOM_STACK_DIR   where pid files, logs, the secret key and Varnish's
                         files go (default var/stack)
    NEWSROOM_HTTP_PORT   Varnish, the address readers use (default 8080)
    NEWSROOM_APP_PORT    gunicorn (default 8001); NEWSROOM_MEDIA_PORT nginx (8002)
    NEWSROOM_REDIS_PORT  the stack's own Redis when REDIS_URL is unset (6380)
    NEWSROOM_APP_WORKERS gunicorn's worker processes (default: 2 per core + 1)
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STACK_DIR = Path(os.environ.get("NEWSROOM_STACK_DIR") or BASE_DIR / "var" / "stack")
HTTP_PORT = int(os.environ.get("NEWSROOM_HTTP_PORT") or 8080)
APP_PORT = int(os.environ.get("NEWSROOM_APP_PORT") or 8001)
MEDIA_PORT = int(os.environ.get("NEWSROOM_MEDIA_PORT") or 8002)
REDIS_PORT = int(os.environ.get("NEWSROOM_REDIS_PORT") or 6380)
WORKERS = int(os.environ.get("NEWSROOM_APP_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
SUPERVISOR_PID = STACK_DIR / "supervisor.pid"
# A process that exits within this many seconds of its start, five times in
# a row, is left stopped (and the log says so) rather than restarted forever.
QUICK_EXIT_SECONDS, QUICK_EXITS = 10, 5


def say(message: str) -> None:
    print(f"stack: {message}", flush=True)


def fail(message: str) -> None:
    print(f"stack: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def need(program: str, package: str) -> str:
    found = shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")
    if not found:
        fail(f"{program} is missing: apt-get install {package}")
    return found


def secret_key() -> str:
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    path = STACK_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def app_environment() -> dict[str, str]:
    """The production settings as this one machine needs them."""
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        fail(
            "DATABASE_URL must name a PostgreSQL database, e.g. "
            "postgres://postgres@127.0.0.1:5432/newsroom"
        )
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "DJANGO_SECRET_KEY": secret_key(),
            "DJANGO_ALLOWED_HOSTS": os.environ.get(
                "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1"
            ),
            # No TLS terminator on this machine: plain HTTP to Varnish.
            "DJANGO_SECURE_SSL_REDIRECT": os.environ.get(
                "DJANGO_SECURE_SSL_REDIRECT", "0"
            ),
            "DJANGO_SECURE_HSTS_SECONDS": os.environ.get(
                "DJANGO_SECURE_HSTS_SECONDS", "0"
            ),
            "DJANGO_STATIC_ROOT": os.environ.get(
                "DJANGO_STATIC_ROOT", str(STACK_DIR / "static")
            ),
            "DJANGO_MEDIA_ROOT": os.environ.get(
                "DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")
            ),
            "NEWSROOM_DESK_URL": os.environ.get(
                "NEWSROOM_DESK_URL", f"http://localhost:{HTTP_PORT}"
            ),
            "REDIS_URL": os.environ.get("REDIS_URL")
            or f"redis://127.0.0.1:{REDIS_PORT}/0",
            "NEWSROOM_VARNISH_URLS": f"http://127.0.0.1:{HTTP_PORT}",
            # Varnish appends the reader's address to X-Forwarded-For.
            "NEWSROOM_TRUSTED_PROXIES": os.environ.get("NEWSROOM_TRUSTED_PROXIES", "1"),
            "PYTHONUNBUFFERED": "1",
            # Logs as JSON lines (in STACK_DIR/log), metrics at each app
            # server's /metrics, added up across its processes.
            "NEWSROOM_LOG_FORMAT": os.environ.get("NEWSROOM_LOG_FORMAT", "json"),
            "NEWSROOM_METRICS": os.environ.get("NEWSROOM_METRICS", "1"),
            "PROMETHEUS_MULTIPROC_DIR": str(STACK_DIR / "metrics"),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our manage.py
        [PYTHON, str(BASE_DIR / "manage.py"), *args], env=env, check=True
    )


def app_backend(port: int) -> str:
    """Return the VCL of the app's backend on `port`, with its health probe."""
    return f"""backend default {{
    .host = "127.0.0.1";
    .port = "{port}";
    .first_byte_timeout = 60s;
    # Generous: /healthz waits in gunicorn's queue behind the pages, and an
    # origin slow under a rush is still the only one there is (sick, every
    # miss would be an error at once). A stopped one refuses the probe at
    # once and is sick within two probes.
    .probe = {{
        .url = "/healthz";
        .interval = 2s;
        .timeout = 5s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }}
}}
"""


def write_varnish_files() -> Path:
    folder = STACK_DIR / "varnish"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(BASE_DIR / "deploy" / "varnish" / "newsroom.vcl", folder)
    (folder / "site.vcl").write_text(
        f"""# Written by deploy/stack.py.
{app_backend(APP_PORT)}
backend media {{
    .host = "127.0.0.1";
    .port = "{MEDIA_PORT}";
}}

acl purgers {{
    "127.0.0.1";
    "::1";
}}

sub vcl_recv {{
    if (req.url ~ "^/media/") {{
        set req.backend_hint = media;
    }}
}}
"""
    )
    return folder


# The records of Varnish's shared-memory log it does not write (vsl(7)).
VSL_MASK = ",".join(
    f"-{record}"
    for record in (
        "ReqHeader",
        "RespHeader",
        "ReqUnset",
        "RespUnset",
        "BereqHeader",
        "BerespHeader",
        "BereqUnset",
        "BerespUnset",
        "ObjHeader",
        "VCL_call",
        "VCL_return",
        "Hash",
    )
)


def nginx_conf(folder: Path, *, error_log: Path, server: str, **settings: str) -> Path:
    """Write an nginx.conf in `folder` that runs in the foreground as ours.

    Its pid file and scratch files stay in `folder`; `server` is the body of
    its one server block; `settings` go into its http block (name: value).
    """
    (folder / "scratch").mkdir(parents=True, exist_ok=True)
    scratch = "".join(
        f"    {kind}_temp_path {folder}/scratch;\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    extra = "".join(f"    {name} {value};\n" for name, value in settings.items())
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""# Written by deploy/stack.py.
daemon off;
pid {folder}/nginx.pid;
error_log {error_log} warn;
worker_processes auto;
events {{ worker_connections 4096; }}
http {{
    access_log off;
{scratch}{extra}    server {{
{server}
    }}
}}
"""
    )
    return conf


def write_nginx_conf(media_root: str) -> Path:
    return nginx_conf(
        STACK_DIR / "nginx",
        error_log=STACK_DIR / "log" / "nginx-error.log",
        include="/etc/nginx/mime.types",
        server=f"""        listen 127.0.0.1:{MEDIA_PORT};
        location /media/ {{
            alias {media_root.rstrip("/")}/;
            # Uploads are shown as pictures, never run as pages or scripts.
            add_header X-Content-Type-Options nosniff always;
            add_header Content-Security-Policy
                "default-src 'none'; img-src 'self'; sandbox" always;
            add_header Cache-Control "public, max-age=86400" always;
        }}""",
    )


def programs(env: dict[str, str]) -> dict[str, list[str]]:
    manage_py = [PYTHON, str(BASE_DIR / "manage.py")]
    varnish_folder = write_varnish_files()
    found = {}
    if not os.environ.get("REDIS_URL"):
        found["redis"] = [
            need("redis-server", "redis-server"),
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
        ]
    found["gunicorn"] = [
        str(Path(PYTHON).parent / "gunicorn"),
        "newsroom.wsgi",
        "--bind",
        f"127.0.0.1:{APP_PORT}",
        "--workers",
        str(WORKERS),
        "--access-logfile",
        str(STACK_DIR / "log" / "gunicorn-access.log"),
    ]
    found["worker"] = [*manage_py, "db_worker", "--queue-name", "default"]
    # Purges on a worker of their own, polling often: a change reaches
    # readers within a second, whatever the other worker is drawing.
    found["purger"] = [
        *manage_py,
        "db_worker",
        "--queue-name",
        "purge",
        "--interval",
        "0.1",
    ]
    found["scheduler"] = [*manage_py, "publish_scheduled", "--every", "30"]
    found["nginx"] = [
        need("nginx", "nginx-light"),
        "-c",
        str(write_nginx_conf(env["DJANGO_MEDIA_ROOT"])),
    ]
    found["varnish"] = [
        need("varnishd", "varnish varnish-modules"),
        "-F",
        "-n",
        str(varnish_folder / "work"),
        "-a",
        f"127.0.0.1:{HTTP_PORT}",
        "-f",
        str(varnish_folder / "newsroom.vcl"),
        "-p",
        f"vcl_path={varnish_folder}",
        "-s",
        "malloc,256m",
        "-T",
        "none",
        "-j",
        "none",
        # Every request's headers, and each step of the VCL, written to the
        # shared-memory log cost a tenth of Varnish's rate in bench.front_cache.
        # varnishlog still shows each request's URL, status, timing and
        # bytes; drop this to see the headers again (varnishncsa needs them).
        "-p",
        f"vsl_mask={VSL_MASK}",
    ]
    return found


def supervise(commands: dict[str, list[str]], env: dict[str, str]) -> None:
    """Run `commands`, restarting any that exits, until SIGTERM; then stop them."""
    running: dict[str, subprocess.Popen] = {}
    started: dict[str, float] = {}
    quick: dict[str, int] = dict.fromkeys(commands, 0)
    stopping = False

    def stop(_signal, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def start(name: str) -> None:
        log = (STACK_DIR / "log" / f"{name}.log").open("ab")
        running[name] = subprocess.Popen(  # noqa: S603 - the stack's own programs
            commands[name],
            env=env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started[name] = time.monotonic()

    for name in commands:
        start(name)
    while not stopping:
        time.sleep(0.5)
        for name, process in list(running.items()):
            if process.poll() is None:
                continue
            quick[name] = (
                quick[name] + 1
                if time.monotonic() - started[name] < QUICK_EXIT_SECONDS
                else 0
            )
            with (STACK_DIR / "log" / "supervisor.log").open("a") as log:
                log.write(f"{time.ctime()} {name} exited with {process.returncode}\n")
            if quick[name] >= QUICK_EXITS:
                del running[name]
                with (STACK_DIR / "log" / "supervisor.log").open("a") as log:
                    log.write(f"{time.ctime()} {name} keeps failing: left stopped\n")
                continue
            start(name)
    # Varnish first, so no reader reaches an app server that is going.
    for name in reversed(list(running)):
        if running[name].poll() is None:
            running[name].terminate()
    deadline = time.monotonic() + 20
    for process in running.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    SUPERVISOR_PID.unlink(missing_ok=True)


def supervisor_pid() -> int | None:
    try:
        pid = int(SUPERVISOR_PID.read_text())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    return pid


def wait_until_ready(timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{HTTP_PORT}/readyz"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    fail(f"the site did not answer at {url}; see {STACK_DIR / 'log'}")


def up() -> None:
    if supervisor_pid():
        say(f"already running (make down stops it); http://localhost:{HTTP_PORT}/")
        return
    (STACK_DIR / "log").mkdir(parents=True, exist_ok=True)
    # Each start counts from zero: the processes' files of the last run go.
    shutil.rmtree(STACK_DIR / "metrics", ignore_errors=True)
    (STACK_DIR / "metrics").mkdir()
    env = app_environment()
    commands = programs(env)
    say("migrating the database, compiling catalogues, collecting static files")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "compile_catalogues")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if os.fork() == 0:
        # The supervisor: its own session, no terminal, logs in STACK_DIR/log.
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        SUPERVISOR_PID.write_text(str(os.getpid()))
        supervise(commands, env)
        os._exit(0)
    say(f"starting {', '.join(commands)}")
    wait_until_ready()
    say(
        f"up: readers http://localhost:{HTTP_PORT}/  desk http://localhost:{HTTP_PORT}/admin/"
    )
    say(f"metrics http://127.0.0.1:{APP_PORT}/metrics (from this machine)")
    say(f"logs in {STACK_DIR / 'log'}; make down stops it")


def down() -> None:
    pid = supervisor_pid()
    if pid is None:
        say("not running")
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            say("stopped")
            return
        time.sleep(0.2)
    fail(f"the supervisor (pid {pid}) did not stop in 30 s")


def status() -> None:
    pid = supervisor_pid()
    say(f"running (supervisor pid {pid})" if pid else "not running")


if __name__ == "__main__":
    actions = {"up": up, "down": down, "status": status}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        fail("usage: deploy/stack.py up|down|status")
    actions[sys.argv[1]]()
