"""Search for Korean, Japanese and English stories, on PostgreSQL and SQLite.

PostgreSQL here has no Korean or Japanese word splitter, so words are made in
Python: runs of Hangul, kana and kanji become overlapping two-character
tokens (a one-character run stays one token), other text becomes NFKC,
case-folded words. A query is cut the same way and matches when all its
tokens are there, each run's tokens next to each other (a phrase). On
PostgreSQL the tokens of each story and language are a `tsvector` (the
`simple` configuration never touches them) behind one GIN index per
language; on SQLite (the demo) they are a line of text searched with LIKE.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import strip_tags

CJK = (
    "\u1100-\u11ff"  # Hangul jamo
    "\u3005\u3007"  # 々 〇
    "\u3040-\u30ff"  # hiragana, katakana (ー included)
    "\u3130-\u318f"  # Hangul compatibility jamo
    "\u31f0-\u31ff"  # katakana extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7a3"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
RUNS = re.compile(rf"([{CJK}]+)|([^\W_{CJK}]+)")
# Longer words are left out of documents and queries alike.
MAX_WORD = 60
# A query longer than this is refused with a message, not searched.
MAX_QUERY_LENGTH = 200
# Positions in a tsvector stop at 16383; later tokens share the last one.
MAX_POSITION = 16383
# Space left between fields and runs, so a phrase never spans two of them.
FIELD_GAP = 8
RUN_GAP = 1
WEIGHTS = {"headline": "A", "dek": "B", "key_points": "B", "names": "B", "body": "C"}
# Ranked search scores a word in a headline above one in a body.
RANK_WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"  # D, C, B, A


def normalise(text: str) -> str:
    """Return `text` as searched: NFKC (full-width Latin, half-width kana), folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def pairs(run: str) -> list[str]:
    """Return a CJK run's overlapping two-character tokens (itself if one long)."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def chunks(text: str) -> list[list[tuple[str, bool]]]:
    """Cut `text` into chunks: what stands between spaces and punctuation.

    A chunk is a list of (piece, is_cjk): "7월에" is [("7", False),
    ("월에", True)]. A "word" longer than MAX_WORD characters (a pasted hash,
    a URL's tail) is no word anyone searches for: it is left out.
    """
    found: list[list[tuple[str, bool]]] = []
    last_end = None
    for match in RUNS.finditer(normalise(text)):
        cjk, word = match.groups()
        if word and len(word) > MAX_WORD:
            last_end = None
            continue
        if match.start() != last_end or not found:
            found.append([])
        found[-1].append((cjk or word, bool(cjk)))
        last_end = match.end()
    return found


def document_tokens(text: str):
    """Yield (token, offset) for a text's pairs and words.

    Each CJK run's last character comes too, at its last pair's offset, so a
    one-character query finds it. Offsets run on within a chunk and leave a
    gap between chunks: a phrase matches only text written together.
    """
    offset = 0
    for chunk in chunks(text):
        for piece, is_cjk in chunk:
            for token in pairs(piece) if is_cjk else [piece]:
                yield token, offset
                offset += 1
            if is_cjk and len(piece) > 1:
                yield piece[-1], offset - 1
        offset += RUN_GAP


@dataclass(frozen=True)
class ParsedQuery:
    """What a reader typed, cut into groups (phrases) that must all match.

    A group is a tuple of (token, is_prefix): a one-character CJK piece
    matches any token that starts with it.
    """

    text: str
    groups: tuple[tuple[tuple[str, bool], ...], ...]
    terms: tuple[str, ...]  # what to highlight

    def __bool__(self) -> bool:
        return bool(self.groups)

    def tsquery(self) -> str:
        """Return the query as a tsquery literal: groups ANDed, each a phrase."""
        return " & ".join(
            "("
            + " <-> ".join(
                _quote(token) + (":*" if prefix else "") for token, prefix in group
            )
            + ")"
            for group in self.groups
        )

    def like_patterns(self) -> list[str]:
        """Return one LIKE pattern per group, for SQLite's token lines."""
        return [
            "% "
            + " ".join(token + ("%" if prefix else "") for token, prefix in group)
            + ("" if group[-1][1] else " ")
            + "%"
            for group in self.groups
        ]


# Korean particles a query word may end with ("서울에서", "북한의"): the
# stories say "서울" in many forms, so the query looks for the stem.
# Stacked ones first: "서울에서는" looks for "서울", not "서울에서".
PARTICLE_LIST = (
    "에서는 에서도 에서의 에게는 으로는 으로도 까지는 부터는 과의 와의 "
    "에서 에게 까지 부터 으로 에는 에도 보다 처럼 "
    "의 에 은 는 을 를 이 가 와 과 도 로 만"
)
PARTICLES = sorted(PARTICLE_LIST.split(), key=len, reverse=True)
HANGUL = re.compile("^[\uac00-\ud7a3]+$")


def _stem(run: str) -> str:
    if HANGUL.match(run):
        for particle in PARTICLES:
            if run.endswith(particle) and len(run) - len(particle) >= 2:
                return run[: -len(particle)]
    return run


def parse_query(text: str) -> ParsedQuery:
    """Cut a query like a document. Operators, quotes and symbols are just text."""
    text = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text
    ).strip()
    groups, terms = [], []
    for chunk in chunks(text):
        last, is_cjk = chunk[-1]
        if is_cjk:
            chunk = [*chunk[:-1], (_stem(last), True)]
        group: list[tuple[str, bool]] = []
        for piece, piece_is_cjk in chunk:
            if not piece_is_cjk:
                group.append((piece, False))
            elif len(piece) == 1:
                group.append((piece, True))
            else:
                group.extend((token, False) for token in pairs(piece))
        groups.append(tuple(group))
        terms.append("".join(piece for piece, _cjk in chunk))
    return ParsedQuery(
        text=text,
        groups=tuple(dict.fromkeys(groups)),
        terms=tuple(dict.fromkeys(terms)),
    )


def _quote(token: str) -> str:
    # Tokens are letters and digits only; quoting keeps tsquery syntax out.
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


# --- documents ---------------------------------------------------------------


BLOCK_TAGS = re.compile(
    r"<(?:/?(?:p|h[1-6]|li|ul|ol|blockquote|div|table|tr|td|th|figure|figcaption)"
    r"|br|hr)\b",
    re.IGNORECASE,
)


def plain_text(html: str) -> str:
    """Return the text of `html`; blocks stay apart ("</h2><p>" is a space)."""
    return strip_tags(BLOCK_TAGS.sub(lambda match: " " + match.group(0), html))


def tsvector_literal(fields: dict[str, str]) -> str:
    """Return the fields' tokens as a tsvector literal with positions and weights."""
    positions: dict[str, list[str]] = {}
    position = 1
    for name, text in fields.items():
        weight = WEIGHTS[name]
        last = 0
        for token, offset in document_tokens(text):
            place = min(position + offset, MAX_POSITION)
            positions.setdefault(token, []).append(f"{place}{weight}")
            last = offset
        position += last + FIELD_GAP
    return " ".join(
        f"{_quote(token)}:{','.join(places[:256])}"
        for token, places in positions.items()
    )


def token_line(fields: dict[str, str]) -> str:
    """Return the fields' tokens as one line of text (SQLite).

    Phrases stand as ' a b ', chunks apart by ' / ', fields by ' | '. Each
    field's run-ending characters follow it, after its phrases, so they never
    come between the tokens of one.
    """
    parts = []
    for text in fields.values():
        ends, previous = [], None
        for token, offset in document_tokens(text):
            if offset == previous:
                ends.append(token)
                continue
            if previous is not None and offset > previous + 1:
                parts.append("/")
            parts.append(token)
            previous = offset
        parts.extend(["/", *ends, "|"])
    return " " + " ".join(parts) + " "
