"""The front cache measured beside nginx serving the same pages as files.

    .venv/bin/python -m bench.front_cache [--stories 1000] [--seconds 60] [--rounds 6]
        [--edits 20] [--mixed 120] [--rush 30]

Makes a PostgreSQL database of its own (127.0.0.1:5432, user postgres; dropped
after), starts the production stack on it (deploy/stack.py: gunicorn, worker,
scheduler, Redis, nginx for media, Varnish) on ports of its own, fills it with
--stories stories, saves the HTML of 1 000 of their pages and the three home
pages, and serves those files from nginx (gzip_static: the same gzipped bytes
Varnish keeps). Then wrk (Debian's wrk), each URL picked at random among the
set, with `Accept-Encoding: gzip` as browsers send it, drives nginx static
and Varnish (after one warm-up pass) by turns, --rounds short runs each
(this machine's pace drifts within a minute: one long run of each would
compare two different machines), then gunicorn (uncached). It prints
requests per second, p50 and p99 for each, Varnish's share of nginx's rate
(the median of the rounds' shares, and each), and Varnish's hit ratio over
its runs (varnishstat).

Then publish-to-visible: --edits edits of live stories saved through the
service, each polled through Varnish until the new headline shows (the purge
goes after commit, through the worker); prints p50 and max. Then a rush of
misses (`rush()`): readers' errors while the app is slower than ever.
"""

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from deploy.stack import nginx_conf

BASE_DIR = Path(__file__).resolve().parent.parent
PORTS = {"http": 8180, "app": 8181, "media": 8182, "redis": 6381, "static": 8190}
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def database(action: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        if action == "create":
            conn.execute(
                sql.SQL(
                    "CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                    "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
                ).format(sql.Identifier(name))
            )
        else:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


def fetch(url: str) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def text_of(body: bytes, headers: dict) -> str:
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def wrk(
    url: str,
    paths_file: Path,
    seconds: int,
    *,
    connections: int = 32,
    misses: bool = False,
) -> dict:
    """Drive `url` with wrk, a path of `paths_file` at random each request.

    `misses`: each request's address is new (an unknown query string), so
    that the front cache passes every one to the app.
    """
    script = paths_file.with_suffix(".misses.lua" if misses else ".lua")
    suffix = ' .. "?rush=" .. math.random(1000000000)' if misses else ""
    script.write_text(
        f"""
local paths = {{}}
for line in io.lines("{paths_file}") do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)]{suffix})
end
"""
    )
    finished = subprocess.run(  # noqa: S603 - Debian's wrk
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = finished.stdout

    def millis(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50": millis("50%"),
        "p99": millis("99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def pooled(runs: list[dict]) -> dict:
    """Return several wrk runs of one target as one: rates added up over
    time, the median of their p50s and the worst p99."""
    return {
        "rps": statistics.mean(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": max(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "socket_errors": "; ".join(
            r["socket_errors"] for r in runs if r["socket_errors"]
        ),
    }


def settle(app: str, varnish: str) -> None:
    """Wait until the last run's load is gone, so that it does not weigh on the next.

    wrk leaves gunicorn a queue of requests it gave up on, and an app server
    that slow fails Varnish's health probe: until the probe sees it well
    again, Varnish sends no miss to it (a page just purged would answer 503).
    """
    began = time.monotonic()
    while time.monotonic() - began < 60:
        asked = time.perf_counter()
        fetch(app + "/healthz")
        # A page Varnish has never kept: a miss, fetched from the app.
        status, _body, _headers = fetch(f"{varnish}/robots.txt?settle={time.time_ns()}")
        if status == 200 and time.perf_counter() - asked < 0.1:
            return
        time.sleep(0.5)
    sys.exit("the stack did not settle within a minute")


def varnish_counters(workdir: Path, *names: str) -> dict[str, int]:
    """Return Varnish's counters `names` (MAIN.cache_hit…) now, 0 for one not kept."""
    out = subprocess.run(  # noqa: S603 - Debian's varnishstat
        [
            shutil.which("varnishstat") or "/usr/bin/varnishstat",
            "-n",
            str(workdir),
            "-1",
            *(argument for name in names for argument in ("-f", name)),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = dict(re.findall(r"^(\S+)\s+(\d+)", out, re.M))
    return {name: int(found.get(name, 0)) for name in names}


def rush(options, work: Path, varnish: str, app: str, paths_file: Path) -> None:
    """A rush of readers on pages nobody has asked yet: every request a miss.

    --rush-connections at once through Varnish for --rush seconds. The app is
    slow to answer anything then, its health check included: prints how
    many readers got an error and how many fetches Varnish refused because
    it had decided the app was sick.
    """
    settle(app, varnish)
    workdir = work / "stack" / "varnish" / "work"
    unhealthy = "MAIN.backend_unhealthy"
    before = varnish_counters(workdir, unhealthy)[unhealthy]
    result = wrk(
        varnish,
        paths_file,
        options.rush,
        connections=options.rush_connections,
        misses=True,
    )
    refused = varnish_counters(workdir, unhealthy)[unhealthy] - before
    print(
        f"rush of misses, wrk -c{options.rush_connections} -d{options.rush}s: "
        f"{result['rps']:.0f} req/s, p50 {result['p50']:.0f} ms, "
        f"p99 {result['p99']:.0f} ms, errors {result['errors']}, "
        f"fetches refused as the app seemed sick {refused}"
    )


def varnish_counts(workdir: Path) -> tuple[int, int]:
    counts = varnish_counters(workdir, "MAIN.cache_hit", "MAIN.cache_miss")
    return counts["MAIN.cache_hit"], counts["MAIN.cache_miss"]


# The app's headers on every reader page that nginx repeats (the ETag and
# lengths it makes itself).
SAME_HEADERS = (
    "Cache-Control",
    "Content-Language",
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
)


def start_static_server(folder: Path, headers: dict[str, str]) -> subprocess.Popen:
    quoted = {name: value.replace('"', '\\"') for name, value in headers.items()}
    repeated = "".join(
        f'            add_header {name} "{value}" always;\n'
        for name, value in quoted.items()
    )
    conf = nginx_conf(
        folder,
        error_log=folder / "error.log",
        default_type="text/html",
        server=f"""        listen 127.0.0.1:{PORTS["static"]};
        root {folder}/site;
        location / {{
            gzip_static on;
            gzip_vary on;
            index index.html;
{repeated}        }}""",
    )
    return subprocess.Popen(  # noqa: S603 - Debian's nginx
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def worker_memory_mb() -> dict[str, float]:
    """Resident memory of the stack's task workers (by their command line)."""
    found = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            command = (status.parent / "cmdline").read_bytes().split(b"\0")
            if b"db_worker" not in command:
                continue
            queue = command[command.index(b"--queue-name") + 1].decode()
            rss = next(
                line.split()[1]
                for line in status.read_text().splitlines()
                if line.startswith("VmRSS:")
            )
            found[queue] = int(rss) / 1024
        except (OSError, ValueError, StopIteration, IndexError):
            continue
    return found


def mixed_load(options, work: Path, varnish: str, stories, story_paths, editor) -> None:
    """Readers on random pages in three languages, editors saving, a purge storm.

    wrk reads through Varnish for --mixed seconds while this process, as the
    desk, edits a story every half second (each checked until it shows, then
    checked again: never stale after its purge) and every 15 seconds renames
    a section (a purge of every page naming it). Prints wrk's errors, the
    edits' delays and staleness, and the workers' memory before and after.
    """
    import threading

    from articles.models import Article, Category
    from articles.services import article_save_version

    paths = []
    for language in ("ko", "ja", "en"):
        paths.append(f"/{language}/")
        for story in Article.objects.live(language)[:300]:
            paths.append(story.get_absolute_url(language))
    for section in Category.objects.all():
        paths.append(f"/ko/sections/{urllib.parse.quote(section.slug_ko)}/")
    paths = [path for path in paths if fetch(varnish + path)[0] == 200]
    mixed_paths = work / "mixed-paths.txt"
    mixed_paths.write_text("\n".join(paths) + "\n")
    memory_before = worker_memory_mb()
    result: dict = {}
    reader = threading.Thread(
        target=lambda: result.update(wrk(varnish, mixed_paths, options.mixed))
    )
    reader.start()
    started = time.monotonic()
    delays, stale, renames = [], 0, 0
    number = 0
    while time.monotonic() - started < options.mixed - 2:
        story = stories[number % len(stories)]
        url = varnish + story_paths[number % len(stories)]
        headline = f"부하 {number} {time.time_ns()}"
        story.headline_ko = headline
        edited = time.perf_counter()
        article_save_version(story, editor, "bench edit", update_fields=["headline_ko"])
        while headline not in text_of(*fetch(url)[1:]):
            if time.perf_counter() - edited > 30:
                sys.exit(f"mixed load: edit {number} not visible after 30 s")
            time.sleep(0.02)
        delays.append(time.perf_counter() - edited)
        for _again in range(3):
            if headline not in text_of(*fetch(url)[1:]):
                stale += 1
        if number % 30 == 29:
            section = Category.objects.order_by("?").first()
            section.name_en = f"Desk {time.time_ns()}"
            section.save()
            renames += 1
        number += 1
        time.sleep(0.5)
    reader.join()
    memory_after = worker_memory_mb()
    print(
        f"mixed load, {options.mixed} s: readers {result['rps']:.0f} req/s over "
        f"{len(paths)} pages in three languages, p99 {result['p99']:.1f} ms, "
        f"errors {result['errors']} {result['socket_errors']}".rstrip()
    )
    print(
        f"  {len(delays)} edits, {renames} section renames: visible p50 "
        f"{statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms; "
        f"stale reads after visible: {stale}"
    )
    grew = [
        f"{queue} {memory_before.get(queue, 0):.0f} -> {after:.0f}"
        for queue, after in sorted(memory_after.items())
    ]
    print(f"  task workers' memory (MB), before -> after: {', '.join(grew)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument(
        "--seconds",
        type=int,
        default=60,
        help="seconds of load on each of nginx, Varnish and gunicorn",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=6,
        help="short runs nginx's and Varnish's seconds are cut into, by turns",
    )
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument(
        "--mixed", type=int, default=120, help="seconds of mixed load (0: none)"
    )
    parser.add_argument(
        "--rush", type=int, default=30, help="seconds of misses only (0: none)"
    )
    parser.add_argument("--rush-connections", type=int, default=200)
    options = parser.parse_args()
    for program in ("wrk", "nginx", "varnishd", "redis-server"):
        if not (shutil.which(program) or shutil.which(program, path="/usr/sbin")):
            sys.exit(
                f"{program} is missing: apt-get install wrk nginx-light varnish "
                "varnish-modules redis-server"
            )

    name = f"newsroom_bench_front_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="newsroom-front-"))
    # nginx's workers (not root) read the saved pages and the media.
    work.chmod(0o755)
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
            "NEWSROOM_STACK_DIR": str(work / "stack"),
            "NEWSROOM_HTTP_PORT": str(PORTS["http"]),
            "NEWSROOM_APP_PORT": str(PORTS["app"]),
            "NEWSROOM_MEDIA_PORT": str(PORTS["media"]),
            "NEWSROOM_REDIS_PORT": str(PORTS["redis"]),
            "DJANGO_MEDIA_ROOT": str(work / "media"),
        }
    )
    env.pop("REDIS_URL", None)
    stack = [sys.executable, str(BASE_DIR / "deploy" / "stack.py")]
    database("create", name)
    static_server = None
    try:
        subprocess.run([*stack, "up"], env=env, check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.generate", "--stories", str(options.stories)],
            env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev"},
            cwd=BASE_DIR,
            check=True,
        )
        # This process edits stories as the desk would: its purges go to the
        # stack's Varnish through the stack's worker.
        os.environ.update(
            {
                "DATABASE_URL": env["DATABASE_URL"],
                "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
                "NEWSROOM_VARNISH_URLS": f"http://127.0.0.1:{PORTS['http']}",
            }
        )
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from articles.models import Article
        from articles.services import article_save_version

        stories = list(
            Article.objects.live("ko").order_by("-published_at")[: options.pages]
        )
        story_paths = [story.get_absolute_url("ko") for story in stories]
        home_paths = ["/ko/", "/ja/", "/en/"]
        app = f"http://127.0.0.1:{PORTS['app']}"
        varnish = f"http://127.0.0.1:{PORTS['http']}"
        site = work / "static" / "site"
        sizes = []
        for path in story_paths + home_paths:
            status, body, headers = fetch(app + path)
            if status != 200:
                sys.exit(f"{path} answered {status}")
            sizes.append(len(body))
            folder = site / urllib.parse.unquote(path).lstrip("/")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(text_of(body, headers))
            if headers.get("Content-Encoding") == "gzip":
                (folder / "index.html.gz").write_bytes(body)
        # nginx answers with the headers the app sends (its security policy,
        # caching): the same bytes, not just the same body.
        static_server = start_static_server(
            work / "static",
            {name: headers[name] for name in SAME_HEADERS if name in headers},
        )
        time.sleep(1)
        lists = {}
        for label, paths in (("story", story_paths), ("home", home_paths)):
            lists[label] = work / f"{label}-paths.txt"
            lists[label].write_text("\n".join(paths) + "\n")
        print(
            f"{len(story_paths)} story pages, {len(home_paths)} home pages; "
            f"gzipped {statistics.median(sizes[:-3]) / 1024:.1f} KB (story median); "
            f"wrk -t2 -c32, random URL each request; nginx and Varnish by turns,"
            f" {options.rounds} runs of {options.seconds // options.rounds} s each;"
            f" gunicorn {options.seconds} s"
        )
        print(f"{'':28}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}  errors")
        varnish_workdir = work / "stack" / "varnish" / "work"
        for label in ("story", "home"):
            for path in story_paths if label == "story" else home_paths:
                fetch(varnish + path)
            # nginx and Varnish by turns, in --rounds short runs each: this
            # machine's pace drifts over a minute, and a static run then a
            # Varnish run would compare two machines.
            runs: dict[str, list[dict]] = {"nginx static": [], "Varnish": []}
            hits = misses = 0
            for _round in range(options.rounds):
                for target, address in (
                    ("nginx static", f"http://127.0.0.1:{PORTS['static']}"),
                    ("Varnish", varnish),
                ):
                    settle(app, varnish)
                    if target == "Varnish":
                        before = varnish_counts(varnish_workdir)
                    runs[target].append(
                        wrk(address, lists[label], options.seconds // options.rounds)
                    )
                    if target == "Varnish":
                        after = varnish_counts(varnish_workdir)
                        hits += after[0] - before[0]
                        misses += after[1] - before[1]
            settle(app, varnish)
            runs["gunicorn (uncached)"] = [wrk(app, lists[label], options.seconds)]
            results = {target: pooled(found) for target, found in runs.items()}
            for target, result in results.items():
                extra = (
                    f"  {result['socket_errors']}" if result["socket_errors"] else ""
                )
                print(
                    f"{label + ': ' + target:28}{result['rps']:>10.0f}"
                    f"{result['p50']:>9.2f}{result['p99']:>9.2f}"
                    f"  {result['errors']}{extra}"
                )
            ratios = [
                cached["rps"] / max(1.0, static["rps"])
                for static, cached in zip(
                    runs["nginx static"], runs["Varnish"], strict=True
                )
            ]
            over_app = results["Varnish"]["rps"] / max(
                1.0, results["gunicorn (uncached)"]["rps"]
            )
            print(
                f"{label}: Varnish/static {statistics.median(ratios):.2f} (median of"
                f" {len(ratios)} rounds: {', '.join(f'{r:.2f}' for r in ratios)});"
                f" Varnish hit ratio {hits / max(1, hits + misses) * 100:.1f} %;"
                f" Varnish/gunicorn {over_app:.0f}x"
            )

        settle(app, varnish)
        editor, _created = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"is_staff": True}
        )
        editor.groups.add(Group.objects.get(name="editor"))
        # One edit first, untimed: this process's first save loads what a
        # running app server has long loaded (its first took 1.3 s).
        warm = stories[options.edits]
        warm.headline_ko = f"{warm.headline_ko} 수정"
        article_save_version(
            warm, editor, "bench warm-up", update_fields=["headline_ko"]
        )
        delays, saves = [], []
        for number, story in enumerate(stories[: options.edits]):
            url = varnish + story_paths[number]
            fetch(url)
            fetch(url)
            headline = f"{story.headline_ko} 수정 {number} {time.time_ns()}"
            story.headline_ko = headline
            started = time.perf_counter()
            article_save_version(
                story, editor, "bench edit", update_fields=["headline_ko"]
            )
            saves.append(time.perf_counter() - started)
            while True:
                status, body, headers = fetch(url)
                if headline in text_of(body, headers):
                    break
                if time.perf_counter() - started > 30:
                    sys.exit(f"edit {number} not visible after 30 s")
                time.sleep(0.01)
            delays.append(time.perf_counter() - started)
        print(
            f"publish to visible through Varnish, {len(delays)} edits: "
            f"p50 {statistics.median(delays) * 1000:.0f} ms, "
            f"max {max(delays) * 1000:.0f} ms "
            f"(all: {', '.join(f'{d * 1000:.0f}' for d in delays)}); "
            f"of which the save itself: p50 {statistics.median(saves) * 1000:.0f} ms, "
            f"max {max(saves) * 1000:.0f} ms"
        )
        if options.rush:
            rush(options, work, varnish, app, lists["story"])
        if options.mixed:
            mixed_load(options, work, varnish, stories, story_paths, editor)
    finally:
        if static_server is not None:
            static_server.terminate()
            static_server.wait()
        subprocess.run([*stack, "down"], env=env, check=False)  # noqa: S603
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        database("drop", name)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
