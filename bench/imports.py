"""Time a generated Jekyll site's import: first, again unchanged, then 1% touched.

    .venv/bin/python -m bench.imports [--posts 10000] [--pictures-every 5]
        [--keep DIR] [--seed 2026] [--tracemalloc] [--profile]

Writes a Jekyll site (deterministic from --seed): _config.yml (Asia/Seoul,
permalink pretty) and --posts posts in Korean, Japanese and English, one
story in ten a Korean post with its Japanese translation (`ref:`, under
ja/_posts/). Bodies are news-length (1.5 to 3 KB) Tistory HTML (`data-ke-*`,
`<b><span style="color:…">` highlights, h2/h3, rules, spacer paragraphs), a
quarter in Markdown; the front matter comes in every shape the importer reads
(categories as a list or a string, tags, excerpt, feature_text, image as a
path or a mapping, lang or none, author by e-mail or name, a permalink on a
few, dates with and without a UTC offset or none). Every --pictures-every-th
story has a feature picture of its own (a distinct JPEG, 640x427 or so) and a
quarter of those one more in the body (PNG); a few bodies repeat their feature
picture or name a picture the site lacks.

Never the configured database: with DATABASE_URL naming PostgreSQL, a database
of its own on that server and as that user (newsroom_bench_imports_<pid>,
UTF-8, C.UTF-8; the database the URL names is never opened), dropped at the
end; else a SQLite file in the scratch folder. Each is migrated first.
manage.py's settings with debug off, media in the scratch folder (removed at
the end, as the site, unless --keep DIR). Jobs go to the database backend as
configured and no worker runs them: the renditions, share cards and
front-cache purges (a RecordingBackend stands for the front cache, so purges
are enqueued as in production) are counted, never run.

Sections and authors are made by the bench; an editor imports with
`jekyll_site_import(publish=True)`, three times: the new site, the same site
again (all unchanged), and after one post in a hundred changed (those
updated). Each import runs in a fresh child process (this module, hidden
--child flag): its peak memory is the child's VmHWM from the import's start
(reset just before it) and ru_maxrss for its whole life (Django, the
reference and the import). The reference, in the same child just before the
import (the machine is shared and its speed drifts): reading and parsing every
post with `imports.jekyll.read_post` (no database), and one Pillow decode and
encode of a feature picture as an upload does. Prints, per import: the
outcomes, wall time, posts/s, SQL queries a post, per-post times (the first
apart: it holds what comes before any post), the pace of the first and last
tenth, jobs enqueued, peak memory and the ratios to the reference.
--tracemalloc adds the peak of Python's allocations (slow); --profile prints
the first import's top functions by cumulative time (its figures are then the
profiler's, not the importer's; with --keep, the stats are kept as
DIR/first.prof).
"""

import argparse
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
LANGUAGES = ("ko", "ja", "en")
EDITOR = "bench-imports-editor"
AUTHOR_DOMAIN = "newsroom.example"
# Its own database on a PostgreSQL server, as bench.upgrade makes them.
CREATE = (
    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
)
DROP = "DROP DATABASE IF EXISTS {} WITH (FORCE)"

# The vocabulary the posts are written with: each word in ko, ja and en, so a
# translation says what its source says.
PLACES = [
    ("부산", "釜山", "Busan"),
    ("인천", "仁川", "Incheon"),
    ("대구", "大邱", "Daegu"),
    ("광주", "光州", "Gwangju"),
    ("제주", "済州", "Jeju"),
    ("세종", "世宗", "Sejong"),
    ("울산", "蔚山", "Ulsan"),
    ("강릉", "江陵", "Gangneung"),
]
SUBJECTS = [
    ("항만공사", "港湾公社", "the port authority"),
    ("시청", "市役所", "city hall"),
    ("기상청", "気象庁", "the weather agency"),
    ("교육청", "教育庁", "the education office"),
    ("상인회", "商人会", "the traders' association"),
    ("노동조합", "労働組合", "the union"),
    ("연구진", "研究チーム", "researchers"),
    ("소방본부", "消防本部", "the fire service"),
]
OBJECTS = [
    ("물동량 통계", "物流統計", "cargo figures"),
    ("새 예산안", "新しい予算案", "a new budget"),
    ("태풍 대비책", "台風対策", "typhoon measures"),
    ("야간 운행 계획", "夜間運行計画", "a night-service plan"),
    ("임대료 지원", "家賃支援", "rent support"),
    ("조사 결과", "調査結果", "survey results"),
    ("안전 점검 일정", "安全点検の日程", "a safety inspection schedule"),
    ("채용 계획", "採用計画", "a hiring plan"),
]
# In a sentence, then in a headline.
VERBS = [
    ("발표했다", "発表した", "announced", "발표", "発表", "announces"),
    ("내놓았다", "示した", "presented", "제시", "提示", "presents"),
    ("공개했다", "公開した", "published", "공개", "公開", "publishes"),
    (
        "다시 검토하기로 했다",
        "見直すことにした",
        "will review",
        "재검토",
        "見直し",
        "to review",
    ),
    ("확정했다", "確定した", "confirmed", "확정", "確定", "confirms"),
    ("연기했다", "延期した", "postponed", "연기", "延期", "postpones"),
]
TIMES = [
    ("27일", "27日", "on Tuesday"),
    ("지난주", "先週", "last week"),
    ("올해 상반기", "今年上半期", "for the first half"),
    ("이날 오전", "同日午前", "that morning"),
    ("이달 말", "今月末", "at the end of the month"),
]
# Categories: a section each (the bench maps them), and one no section takes.
TOPICS = [
    ("economy", "경제", "経済", "Economy"),
    ("society", "사회", "社会", "Society"),
    ("politics", "정치", "政治", "Politics"),
    ("world", "국제", "国際", "World"),
    ("culture", "문화", "文化", "Culture"),
    ("sports", "스포츠", "スポーツ", "Sports"),
]
UNMAPPED = {"ko": "일상", "ja": "日記", "en": "diary"}
TAGS = {
    "ko": "부산항 물류 예산 태풍 지하철 청년 임대료 안전점검 채용 연구 소방 교육 "
    "날씨 노동 상권 관광 축제 항만 수출 금리 선거 의회 병원 대학".split(),
    "ja": "釜山港 物流 予算 台風 地下鉄 若者 家賃 安全点検 採用 研究 消防 教育 "
    "天気 労働 商店街 観光 祭り 港湾 輸出 金利 選挙 議会 病院 大学".split(),
    "en": "busan-port logistics budget typhoon subway youth rent inspections "
    "hiring research firefighters schools weather labour shops tourism "
    "festivals ports exports rates elections council hospitals universities".split(),
}
FAMILIES = [("김", "キム", "Kim"), ("이", "イ", "Lee"), ("박", "パク", "Park")]
GIVEN = [
    ("지우", "ジウ", "Jiwoo"),
    ("서연", "ソヨン", "Seoyeon"),
    ("민준", "ミンジュン", "Minjun"),
    ("하은", "ハウン", "Haeun"),
    ("도윤", "ドユン", "Doyun"),
]
HIGHLIGHTS = (
    '<b><span style="color:#e11">{}</span></b>',
    '<b><span style="color: #ee2323;">{}</span></b>',
    '<span style="background-color: #f6e199;">{}</span>',
    "<b>{}</b>",
)
CAPTIONS = {"ko": "그래픽", "ja": "グラフィック", "en": "Chart"}
HR = (
    '<hr contenteditable="false" data-ke-type="horizontalRule" '
    'data-ke-style="style1" />'
)
TOUCH = " [2025-01-02]"


def batchim(word: str) -> bool:
    """Whether a Korean word ends in a consonant (은/을 after it, else 는/를)."""
    last = ord(word[-1]) - 0xAC00
    return 0 <= last < 11172 and last % 28 != 0


def sentence(spec: tuple, language: str) -> str:
    kind, p, s, t, o, v, figure = spec
    index = LANGUAGES.index(language)
    place, subject, when = PLACES[p][index], SUBJECTS[s][index], TIMES[t][index]
    thing, verb = OBJECTS[o][index], VERBS[v][index]
    if language == "ko":
        topic, case = (
            ("은" if batchim(subject) else "는"),
            ("을" if batchim(thing) else "를"),
        )
        return (
            f"{place} {subject}{topic} {when} {thing}{case} {verb}.",
            f'관계자는 "{thing}{case} {figure}% 늘리겠다"고 말했다.',
            f"{place}의 {thing} 규모는 지난해보다 {figure}% 늘었다.",
        )[kind]
    if language == "ja":
        return (
            f"{place}の{subject}は{when}、{thing}を{verb}。",
            f"関係者は「{thing}を{figure}%増やす」と述べた。",
            f"{place}の{thing}の規模は前年より{figure}%増えた。",
        )[kind]
    return (
        f"{subject[0].upper()}{subject[1:]} in {place} {verb} {thing} {when}.",
        f'"We will raise {thing} by {figure}%," an official said.',
        f"In {place}, {thing} grew {figure}% on last year.",
    )[kind]


def headline(spec: tuple, language: str) -> str:
    _kind, p, s, _t, o, v, figure = spec
    index = LANGUAGES.index(language)
    place, subject, thing = PLACES[p][index], SUBJECTS[s][index], OBJECTS[o][index]
    verb = VERBS[v][3 + index]
    if language == "ko":
        return f"{place} {subject}, {thing} {verb}… 전년 대비 {figure}%"
    if language == "ja":
        return f"{place}の{subject}、{thing}を{verb}…前年比{figure}%"
    return f"{place}: {subject} {verb} {thing}, {figure}% on last year"


def sentence_spec(rng: random.Random) -> tuple:
    return (
        rng.choices((0, 1, 2), (6, 2, 2))[0],
        rng.randrange(len(PLACES)),
        rng.randrange(len(SUBJECTS)),
        rng.randrange(len(TIMES)),
        rng.randrange(len(OBJECTS)),
        rng.randrange(len(VERBS)),
        f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
    )


def body_spec(rng: random.Random) -> list[tuple]:
    """Return a body's blocks, in no language yet: a translation shares them."""
    paragraphs = rng.randint(6, 9)
    blocks: list[tuple] = []
    for number in range(paragraphs):
        if number == paragraphs // 3:
            blocks += [("spacer",), ("h2", sentence_spec(rng))]
        if number == 2 * paragraphs // 3:
            blocks += [("hr",), ("h3", sentence_spec(rng))]
        sentences = [sentence_spec(rng) for _ in range(rng.randint(2, 3))]
        marked = rng.randrange(len(sentences)) if rng.random() < 0.5 else None
        style = rng.randrange(len(HIGHLIGHTS))
        blocks.append(("p", sentences, marked, style))
        if rng.random() < 0.2:
            blocks.append(("spacer",))
    return blocks


def render_body(blocks: list[tuple], language: str, markdown: bool) -> str:
    join = "" if language == "ja" else " "
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            _kind, sentences, marked, style = block
            texts = [sentence(spec, language) for spec in sentences]
            if marked is not None:
                wrap = "**{}**" if markdown and style == 3 else HIGHLIGHTS[style]
                texts[marked] = wrap.format(texts[marked])
            text = join.join(texts)
            out.append(text if markdown else f'<p data-ke-size="size16">{text}</p>')
        elif kind == "spacer":
            out.append("&nbsp;" if markdown else '<p data-ke-size="size16">&nbsp;</p>')
        elif kind in ("h2", "h3"):
            text = headline(block[1], language).split("…")[0].split(",")[0]
            if markdown:
                out.append(("## " if kind == "h2" else "### ") + text)
            else:
                size = "size26" if kind == "h2" else "size23"
                out.append(f'<{kind} data-ke-size="{size}">{text}</{kind}>')
        elif kind == "hr":
            out.append("---" if markdown else HR)
        elif kind == "img":
            _kind, src, alt, caption, width, height = block
            if markdown:
                out.append(f"![{alt}]({src})")
            elif caption:
                out.append(
                    '<figure class="imageblock alignCenter" '
                    f'data-ke-mobileStyle="widthOrigin" data-origin-width="{width}" '
                    f'data-origin-height="{height}"><span data-url="{src}" '
                    f'data-lightbox="lightbox"><img src="{src}" srcset="{src}" '
                    f'data-origin-width="{width}" data-origin-height="{height}" '
                    f'data-ke-mobilestyle="widthOrigin" /></span>'
                    f"<figcaption>{CAPTIONS[language]}</figcaption></figure>"
                )
            else:
                out.append(f'<p><img src="{src}" alt="{alt}" /></p>')
    return ("\n\n" if markdown else "\n").join(out) + "\n"


def yaml_text(text: str, rng: random.Random) -> str:
    """Return `text` as a YAML value: plain where it may be, else quoted (JSON)."""
    plain = not re.search(r"[:#\"'{}\[\],&*!|>%@`]", text)
    return (
        text if plain and rng.random() < 0.6 else json.dumps(text, ensure_ascii=False)
    )


def yaml_words(words: list[str], key: str, rng: random.Random) -> list[str]:
    """Return a front matter's list in one of the shapes Jekyll sites write."""
    shape = rng.randrange(3)
    if shape == 0:
        return [f"{key}: [{', '.join(words)}]"]
    if shape == 1:
        return [f"{key}:", *(f"  - {word}" for word in words)]
    return [f"{key}: {' '.join(words)}"]


def picture(rng: random.Random, number: int, size: tuple[int, int], kind: str):
    """Return a distinct picture's bytes: a gradient, shapes, and for JPEG noise.

    The corner stamp holds `number`: no two pictures are the same file.
    """
    from PIL import Image as PillowImage
    from PIL import ImageDraw, ImageOps

    width, height = size
    colours = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(5)]
    gradient = PillowImage.linear_gradient("L").resize((width, height))
    image = ImageOps.colorize(gradient, colours[0], colours[1])
    draw = ImageDraw.Draw(image)
    for colour in colours[2:]:
        x, y = rng.randrange(width), rng.randrange(height)
        box = (x, y, x + rng.randint(40, width // 2), y + rng.randint(30, height // 2))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    stamp = (number % 256, number // 256 % 256, number // 65536 % 256)
    draw.rectangle((0, 0, 23, 23), fill=stamp)
    if kind == "JPEG":
        noise = PillowImage.frombytes("L", size, rng.randbytes(width * height))
        image = PillowImage.blend(image, noise.convert("RGB"), 0.12)
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=85)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def author_line(rng: random.Random, language: str) -> str | None:
    """Return the front matter's author: an address, a name, a stranger, or none."""
    number = rng.randrange(len(FAMILIES) * len(GIVEN))
    roll = rng.random()
    if roll < 0.6:
        return f"reporter{number}@{AUTHOR_DOMAIN}"
    if roll < 0.8:
        return author_names(number)[LANGUAGES.index(language)]
    if roll < 0.85:
        return f"freelance{number}@blog.example"
    return None


def author_names(number: int) -> tuple[str, str, str]:
    family = FAMILIES[number % len(FAMILIES)]
    given = GIVEN[number // len(FAMILIES)]
    return (
        f"{family[0]}{given[0]}",
        f"{family[1]}・{given[1]}",
        f"{given[2]} {family[2]}",
    )


def write_site(root: Path, posts: int, every: int, seed: int) -> dict:
    """Write the site under `root`; return what it holds."""
    rng = random.Random(seed)
    (root / "_posts").mkdir(parents=True)
    (root / "ja" / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text(
        "title: 벤치 뉴스\ntimezone: Asia/Seoul\npermalink: pretty\n"
        "baseurl: /blog\nmarkdown: kramdown\n",
        encoding="utf-8",
    )
    stats: Counter[str] = Counter()
    start = datetime(2014, 1, 1, 7, tzinfo=SEOUL)
    span = (datetime(2024, 12, 31, tzinfo=SEOUL) - start).days
    pictures = 0
    source: dict = {}
    for number in range(posts):
        # One story in ten: a Korean post (number % 10 == 0) and its Japanese
        # translation (the next one), sharing a ref.
        translation = number % 10 == 1 and number > 0
        if number % 10 == 0 and number + 1 < posts:
            language = "ko"
        elif translation:
            language = "ja"
        else:
            language = rng.choices(LANGUAGES, (55, 25, 20))[0]
        stats[language] += 1
        markdown = rng.random() < 0.25
        stats["markdown"] += markdown
        index = LANGUAGES.index(language)
        if translation:
            story = source
            stats["pairs"] += 1
        else:
            spec = sentence_spec(rng)
            moment = start + timedelta(
                days=number * span // max(posts, 1),
                hours=rng.randint(0, 14),
                minutes=rng.randrange(60),
                seconds=rng.randrange(60),
            )
            topic = rng.randrange(len(TOPICS))
            story = {
                "spec": spec,
                "blocks": body_spec(rng),
                "moment": moment,
                "offset": rng.choices((9, -4, 0, None, "absent"), (55, 10, 10, 15, 10))[
                    0
                ],
                "topic": topic,
                "diary": rng.random() < 0.1,
                "tags": rng.sample(range(len(TAGS["ko"])), rng.randint(0, 5)),
                "image": None,
                "ref": f"story-{number}"
                if language == "ko" and number % 10 == 0
                else "",
                "slug": re.sub(
                    r"[^a-z0-9]+",
                    "-",
                    f"{PLACES[spec[1]][2]} {OBJECTS[spec[4]][2]} {number}".lower(),
                ).strip("-"),
            }
            source = story
            if number % every == 0:
                pictures += 1
                size = rng.choice(((640, 427), (640, 427), (600, 400), (427, 640)))
                year = f"{moment:%Y}"
                path = f"assets/images/{year}/{story['slug']}.jpg"
                target = root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(picture(rng, pictures, size, "JPEG"))
                stats["bytes"] += target.stat().st_size
                story["image"] = (path, size)
                stats["feature pictures"] += 1
                if (number // every) % 4 == 1:
                    pictures += 1
                    body_path = f"assets/images/{year}/{story['slug']}-chart.png"
                    data = picture(rng, pictures, (480, 320), "PNG")
                    (root / body_path).write_bytes(data)
                    stats["bytes"] += len(data)
                    stats["body pictures"] += 1
                    story["blocks"].insert(
                        len(story["blocks"]) // 2,
                        ("img", f"/{body_path}", "", True, 480, 320),
                    )
                if (number // every) % 3 == 0:
                    story["repeat"] = True
            if number % 499 == 7:
                story["blocks"].insert(
                    1, ("img", f"/assets/images/old/lost-{number}.jpg", "", False, 0, 0)
                )
                stats["missing pictures"] += 1
        spec = story["spec"]
        title = headline(spec, language)
        blocks = story["blocks"]
        front = ["---", f"title: {yaml_text(title, rng)}"]
        offset = story["offset"]
        moment = story["moment"]
        if offset == "absent":
            day = moment
        elif offset is None:
            front.append(f"date: {moment:%Y-%m-%d %H:%M:%S}")
            day = moment
        else:
            day = moment.astimezone(timezone(timedelta(hours=offset)))
            front.append(f"date: {day:%Y-%m-%d %H:%M:%S %z}")
        categories = [TOPICS[story["topic"]][1 + index]]
        if story["diary"]:
            categories.append(UNMAPPED[language])
        if rng.random() < 0.15 and len(categories) == 1:
            front.append(f"category: {categories[0]}")
        else:
            front += yaml_words(categories, "categories", rng)
        if story["tags"]:
            front += yaml_words(
                [TAGS[language][tag] for tag in story["tags"]], "tags", rng
            )
        if rng.random() < 0.7:
            excerpt = sentence(
                blocks[0][1][0] if blocks[0][0] == "p" else spec, language
            )
            front.append(f"excerpt: {yaml_text(excerpt, rng)}")
        if rng.random() < 0.3:
            front.append(f"feature_text: {yaml_text(sentence(spec, language), rng)}")
        if story["image"]:
            path, (width, height) = story["image"]
            alt = headline(spec, language).split("…")[0].split(",")[0]
            shape = rng.random()
            if shape < 0.5:
                front.append(f"image: /{path}")
            elif shape < 0.85:
                front += ["image:", f"  path: /{path}", f"  alt: {yaml_text(alt, rng)}"]
            else:
                front.append(f'image: "{{{{ site.baseurl }}}}/{path}"')
            if story.get("repeat"):
                blocks = [("img", f"/{path}", alt, False, width, height), *blocks]
        if language != "ko" or rng.random() < 0.85:
            front.append(f"lang: {language}")
        author = author_line(rng, language)
        if author:
            front.append(f"author: {author}")
        if story["ref"]:
            front.append(f"ref: {story['ref']}")
        if rng.random() < 0.04:
            front.append(
                "permalink: /news/:year/:month/:title.html"
                if rng.random() < 0.5
                else f"permalink: /archives/{number}-{language}/"
            )
        front.append("---")
        folder = root / ("ja/_posts" if translation else "_posts")
        name = f"{day:%Y-%m-%d}-{story['slug']}{'-' + language if translation else ''}"
        suffix = ".md" if markdown else ".html"
        text = "\n".join(front) + "\n" + render_body(blocks, language, markdown)
        (folder / (name + suffix)).write_text(text, encoding="utf-8")
        stats["bytes"] += len(text.encode())
        stats["post bytes"] += len(text.encode())
    return dict(stats)


def touch(root: Path) -> list[str]:
    """Change a sentence in one post of a hundred; return their names."""
    names = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "_posts" in path.parts
    )
    chosen = names[50::100] or names[:1]
    for name in chosen:
        path = root / name
        front, _rule, body = path.read_text(encoding="utf-8").partition("\n---\n")
        if "</p>" in body:
            body = body.replace("</p>", TOUCH + "</p>", 1)
        else:
            body = body.rstrip("\n") + TOUCH + "\n"
        path.write_text(front + "\n---\n" + body, encoding="utf-8")
    return chosen


# --- in the child process ---------------------------------------------------------


def memory_mb(key: str) -> float:
    """Return this process's VmHWM (peak) or VmRSS, in MB, from /proc."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child_setup() -> None:
    import django

    django.setup()
    from django.utils import translation

    # The report's notes, in English.
    translation.activate("en")


def child_prepare() -> None:
    """Migrate the scratch database; make the sections, authors and editor."""
    child_setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from articles.models import Author, Category

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    for key, ko, ja, en in TOPICS:
        Category.objects.create(
            name_ko=ko, name_ja=ja, name_en=en, slug_en=f"bench-imports-{key}"
        )
    for number in range(len(FAMILIES) * len(GIVEN)):
        ko, ja, en = author_names(number)
        Author.objects.create(
            name_ko=ko,
            name_ja=ja,
            name_en=en,
            email=f"reporter{number}@{AUTHOR_DOMAIN}",
            slug=f"bench-imports-{number}",
        )
    editor = get_user_model().objects.create_user(
        EDITOR, f"{EDITOR}@{AUTHOR_DOMAIN}", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="editor"))
    print(json.dumps({"migrate_seconds": migrated}))


def reference(site: Path) -> dict:
    """Time reading and parsing every post (no database), and one Pillow encode."""
    from PIL import Image as PillowImage

    from imports.jekyll import PostProblem, read_post
    from imports.sites import SiteFiles

    files = SiteFiles.open(site)
    with_picture = []
    started = time.perf_counter()
    for name in files.posts():
        try:
            post = read_post(
                name, files.read(name), site_timezone=SEOUL, default_language="ko"
            )
        except PostProblem:
            continue
        if post.image:
            with_picture.append(name)
    reading = time.perf_counter() - started
    first = next(iter(sorted(site.glob("assets/images/*/*.jpg"))), None)
    encodes = []
    if first is not None:
        data = first.read_bytes()
        for _run in range(21):
            started = time.perf_counter()
            with PillowImage.open(io.BytesIO(data)) as image:
                image.load()
                # As the upload stores a JPEG (images.uploads._encode).
                image.save(
                    io.BytesIO(), "JPEG", quality=90, progressive=True, optimize=True
                )
            encodes.append(time.perf_counter() - started)
    return {
        "read_seconds": reading,
        "with_picture": with_picture,
        "encode_seconds": statistics.median(encodes) if encodes else 0.0,
    }


def note_kind(message: str) -> str:
    """Return a note without what names its post (addresses, paths, numbers)."""
    return re.sub(r"[\w.+-]+@[\w.-]+|/[^\s)」]*|#?\d+", "…", message)


def child_import(options: argparse.Namespace) -> None:
    """Import the site once, as the editor; print the figures as one JSON line."""
    child_setup()
    import resource

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from articles.models import Article, Byline, Category
    from images.models import Image
    from imports.models import OldAddress
    from imports.services import jekyll_site_import
    from imports.sites import SiteFiles
    from tags.models import Tag

    site = Path(options.site)
    base = reference(site)
    user = get_user_model().objects.get(username=EDITOR)
    sections = {}
    for section in Category.objects.filter(slug_en__startswith="bench-imports-"):
        for code in LANGUAGES:
            sections[getattr(section, f"name_{code}")] = section

    def jobs() -> Counter[str]:
        rows = DBTaskResult.objects.values("task_path").annotate(n=Count("id"))
        return Counter({row["task_path"]: row["n"] for row in rows})

    jobs_before = jobs()
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    stamps: list[float] = []
    marks: list[int] = []

    told = [time.perf_counter()]

    def progress(number: int, total: int, post) -> None:
        stamps.append(time.perf_counter())
        marks.append(queries)
        # A line a minute at most, on stderr: the long imports show they move.
        if stamps[-1] - told[0] >= 60:
            told[0] = stamps[-1]
            print(
                f"  [{options.label}] {number}/{total} posts, "
                f"{stamps[-1] - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    profiler = None
    if options.profile:
        import cProfile

        profiler = cProfile.Profile()
    if options.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    rss_before = memory_mb("VmRSS")
    # Linux: 5 resets VmHWM to the current RSS, so the peak is the import's.
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = jekyll_site_import(
            files=SiteFiles.open(site),
            user=user,
            sections=sections,
            publish=True,
            progress=progress,
        )
        if profiler is not None:
            profiler.disable()
        wall = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    traced = None
    if options.tracemalloc:
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The first post's time holds what the importer does before any post
    # (listing the site, reading every file once...): told apart.
    durations = [b - a for a, b in zip([started, *stamps], stamps, strict=False)]
    first_post = durations[0] if durations else 0.0
    rest = durations[1:] or durations
    per_post_queries = [b - a for a, b in zip([0, *marks], marks, strict=False)]
    pictured = set(base["with_picture"])
    by_picture: dict[str, list[float]] = {"with": [], "without": []}
    queries_by_outcome: dict[str, list[int]] = {}
    for post, seconds, asked in zip(
        report.posts, durations, per_post_queries, strict=False
    ):
        by_picture["with" if post.name in pictured else "without"].append(seconds)
        queries_by_outcome.setdefault(post.outcome, []).append(asked)
    tenth = max(len(stamps) // 10, 1)
    first_pace = tenth / (stamps[tenth - 1] - started) if stamps else 0.0
    last_pace = (
        tenth / (stamps[-1] - stamps[-tenth - 1]) if len(stamps) > tenth else 0.0
    )
    slowest = max(range(len(rest)), key=rest.__getitem__, default=None)
    if slowest is not None and len(durations) > 1:
        slowest += 1
    notes = Counter(
        note_kind(message) for post in report.posts for _line, message in post.notes
    )
    jobs_after = jobs()
    profile_text = ""
    if profiler is not None:
        import pstats

        # Beside the site: kept with --keep, for pstats or snakeviz.
        profiler.dump_stats(site.parent / f"{options.label}.prof")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        profile_text = out.getvalue()
    counts = report.counts()
    print(
        json.dumps(
            {
                "posts": len(report.posts),
                "counts": {key: counts.get(key, 0) for key in counts},
                "wall": wall,
                "queries": queries,
                "queries_by_outcome": {
                    outcome: [statistics.median(values), max(values)]
                    for outcome, values in queries_by_outcome.items()
                },
                "first_post_seconds": first_post,
                "post_ms": [
                    statistics.median(rest) * 1000 if rest else 0,
                    sorted(rest)[int(len(rest) * 0.95)] * 1000 if rest else 0,
                    max(rest, default=0) * 1000,
                ],
                "slowest": report.posts[slowest].name if slowest is not None else "",
                "picture_ms": {
                    key: statistics.median(values) * 1000
                    for key, values in by_picture.items()
                    if values
                },
                "pace": [first_pace, last_pace],
                "jobs": dict(jobs_after - jobs_before),
                "notes": notes.most_common(6),
                "unmapped": dict(report.unmapped),
                "rss_before_mb": rss_before,
                "peak_mb": peak,
                "maxrss_mb": maxrss,
                "traced_mb": traced,
                "read_seconds": base["read_seconds"],
                "encode_seconds": base["encode_seconds"],
                "objects": {
                    "stories": Article.objects.count(),
                    "published": Article.objects.filter(status="published").count(),
                    "pictures": Image.objects.count(),
                    "tags": Tag.objects.count(),
                    "bylines": Byline.objects.count(),
                    "old addresses": OldAddress.objects.count(),
                },
                "profile": profile_text,
            },
            ensure_ascii=False,
        )
    )


# --- in the parent process --------------------------------------------------------


def scratch_database(folder: Path) -> tuple[str, str | None, str | None]:
    """Return the scratch database's URL, and the PostgreSQL server and name."""
    configured = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(configured)
    if parts.scheme not in ("postgres", "postgresql"):
        return f"sqlite:///{folder / 'bench.sqlite3'}", None, None
    name = f"newsroom_bench_imports_{os.getpid()}"
    server = urlunsplit(parts._replace(path="/postgres"))
    return urlunsplit(parts._replace(path=f"/{name}")), server, name


def admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(statement)


def environment(database_url: str, media: Path) -> dict:
    """Return the children's environment: ours, none of the operator's settings."""
    prefixes = ("DJANGO_", "NEWSROOM_", "DATABASE_", "REDIS_", "DEEPL_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return env | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-imports-only-" + "x" * 50,
        # Purges are enqueued as where a front cache is set up (never run).
        "NEWSROOM_PURGE_BACKEND": "frontcache.backends.RecordingBackend",
    }


def child(env: dict, *args: str) -> dict:
    """Run this module as a child with `args`; return its last line's JSON."""
    result = subprocess.run(  # noqa: S603 - this interpreter, this module
        [sys.executable, "-m", "bench.imports", *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode or not lines:
        print(result.stdout[-3000:])
        raise SystemExit(f"The child ({' '.join(args[:2])}) failed.")
    return json.loads(lines[-1])


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def report(label: str, figures: dict, expected: str) -> None:
    counts = figures["counts"]
    posts = figures["posts"]
    wall = figures["wall"]
    median, p95, most = figures["post_ms"]
    first, last = figures["pace"]
    print(f"\n{label}: {expected}")
    print(
        "  "
        + ", ".join(
            f"{counts.get(key, 0)} {key}"
            for key in ("created", "updated", "unchanged", "failed")
        )
        + f" of {posts} posts"
    )
    print(
        f"  wall {wall:.1f} s, {posts / wall:.1f} posts/s, "
        f"{figures['queries'] / max(posts, 1):.1f} queries a post "
        f"({figures['queries']} in all)"
    )
    print(
        "  queries a post by outcome (median / max): "
        + ", ".join(
            f"{outcome} {values[0]:.0f} / {values[1]}"
            for outcome, values in figures["queries_by_outcome"].items()
        )
    )
    pictures = figures["picture_ms"]
    print(
        f"  per post after the first: median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"max {most:.0f} ms "
        f"({figures['slowest']}); median with a feature picture "
        f"{pictures.get('with', 0):.1f} ms, without {pictures.get('without', 0):.1f} ms"
    )
    print(
        f"  first post done after {figures['first_post_seconds']:.2f} s (with what "
        f"comes before any post); pace: first tenth {first:.1f} posts/s, last "
        f"tenth {last:.1f} posts/s"
    )
    jobs = figures["jobs"]
    print(
        f"  jobs enqueued: {sum(jobs.values())}"
        + "".join(
            f", {path.rsplit('.', 1)[-1]} {n}" for path, n in sorted(jobs.items())
        )
    )
    traced = figures["traced_mb"]
    print(
        f"  memory: peak RSS during the import {figures['peak_mb']:.0f} MB "
        f"(RSS before it {figures['rss_before_mb']:.0f} MB; the child's "
        f"ru_maxrss {figures['maxrss_mb']:.0f} MB)"
        + (f"; tracemalloc peak {traced:.1f} MB" if traced is not None else "")
    )
    read, encode = figures["read_seconds"], figures["encode_seconds"]
    print(
        f"  reference: read_post of every post {read:.2f} s "
        f"(import / reference {wall / read:.1f}x); one Pillow decode+encode "
        f"{encode * 1000:.1f} ms (a post's median / encode "
        f"{median / max(encode * 1000, 1e-9):.1f}x)"
    )
    if figures["notes"]:
        print(
            "  notes: "
            + "; ".join(f"{n} x {message}" for message, n in figures["notes"])
        )
    print(
        "  in the database: "
        + ", ".join(f"{number(n)} {name}" for name, n in figures["objects"].items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--pictures-every", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="write the site, media and SQLite file here (new or empty) and keep "
        "them, and a PostgreSQL database",
    )
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--site", help=argparse.SUPPRESS)
    parser.add_argument("--label", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child == "prepare":
        child_prepare()
        return
    if options.child == "import":
        child_import(options)
        return

    if options.keep:
        if options.keep.exists() and any(options.keep.iterdir()):
            raise SystemExit(f"{options.keep} is not empty.")
        options.keep.mkdir(parents=True, exist_ok=True)
        folder = options.keep.resolve()
    else:
        folder = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    site, media = folder / "site", folder / "media"
    url, server, name = scratch_database(folder)
    try:
        started = time.perf_counter()
        stats = write_site(site, options.posts, options.pictures_every, options.seed)
        print(
            f"site: {options.posts} posts (ko {stats.get('ko', 0)}, "
            f"ja {stats.get('ja', 0)}, en {stats.get('en', 0)}; "
            f"{stats.get('markdown', 0)} Markdown; {stats.get('pairs', 0)} ko+ja "
            f"pairs), {stats.get('feature pictures', 0)} feature pictures and "
            f"{stats.get('body pictures', 0)} in bodies, "
            f"{stats.get('missing pictures', 0)} missing; posts "
            f"{stats.get('post bytes', 0) / 2**20:.1f} MB, all "
            f"{stats.get('bytes', 0) / 2**20:.1f} MB; written in "
            f"{time.perf_counter() - started:.1f} s to {site}",
            flush=True,
        )
        if server is not None:
            admin(server, CREATE.format(name))
        env = environment(url, media)
        prepared = child(env, "--child", "prepare")
        where = f"PostgreSQL database {name}" if server else f"SQLite {url[10:]}"
        print(
            f"database: {where}, migrated in {prepared['migrate_seconds']:.1f} s; "
            "jobs: django_tasks_db, counted, not run",
            flush=True,
        )
        extra = ["--tracemalloc"] if options.tracemalloc else []
        runs = []

        def run(label: str, expected: str, profile: bool = False) -> dict:
            args = ["--child", "import", "--site", str(site), "--label", label]
            figures = child(env, *args, *extra, *(["--profile"] if profile else []))
            runs.append((label, figures))
            report(label, figures, expected)
            if figures["profile"]:
                print(figures["profile"])
            sys.stdout.flush()
            return figures

        run("first", "every post created", options.profile)
        run("again", "the same site: every post unchanged")
        touched = touch(site)
        run("touched", f"{len(touched)} posts changed (1%): those updated")
        print(
            f"\n{'import':<8} {'posts':>6} {'created':>8} {'updated':>8} "
            f"{'unchanged':>9} {'failed':>6} {'wall s':>7} {'posts/s':>8} "
            f"{'q/post':>7} {'peak MB':>8} {'ref s':>6} {'ratio':>6}"
        )
        for label, figures in runs:
            counts = figures["counts"]
            print(
                f"{label:<8} {figures['posts']:>6} {counts.get('created', 0):>8} "
                f"{counts.get('updated', 0):>8} {counts.get('unchanged', 0):>9} "
                f"{counts.get('failed', 0):>6} {figures['wall']:>7.1f} "
                f"{figures['posts'] / figures['wall']:>8.1f} "
                f"{figures['queries'] / max(figures['posts'], 1):>7.1f} "
                f"{figures['peak_mb']:>8.0f} {figures['read_seconds']:>6.2f} "
                f"{figures['wall'] / figures['read_seconds']:>6.1f}"
            )
        checks = [
            runs[0][1]["counts"].get("created", 0) == options.posts,
            runs[1][1]["counts"].get("unchanged", 0) == options.posts,
            runs[2][1]["counts"].get("updated", 0) == len(touched)
            and runs[2][1]["counts"].get("unchanged", 0)
            == options.posts - len(touched),
        ]
        for (label, _figures), passed in zip(runs, checks, strict=True):
            if not passed:
                print(f"WARNING: the {label} import's outcomes are not as expected.")
    finally:
        if options.keep:
            kept = f"; database {name}" if server else ""
            print(f"\nKept {folder}{kept}")
        else:
            if server is not None:
                admin(server, DROP.format(name))
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
