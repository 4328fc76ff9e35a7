"""Breaking a headline into lines, as each language allows."""

import re
import unicodedata

ELLIPSIS = "…"
# Japanese line breaking (JIS X 4051 "kinsoku", the basics): no line starts
# with closing brackets, stops, small kana or the long-vowel mark, and none
# ends with an opening bracket.
NO_LINE_START = frozenset(
    "、。，．,.:;!?！？：；・…‥ー－-–—〜～%％)）]］}｝〕〉》」』】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "々〻ゝゞヽヾ゛゜"
)
NO_LINE_END = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“｟«")


def _is_latin(char: str) -> bool:
    return not char.isspace() and unicodedata.normalize("NFKC", char).isascii()


def _japanese_breakable(before: str, after: str) -> bool:
    return not (
        after in NO_LINE_START
        or before in NO_LINE_END
        # Latin words and numbers inside Japanese keep together: "G7", "2.25%".
        or (_is_latin(before) and _is_latin(after))
    )


def _pieces(text: str, language: str) -> list[tuple[str, str]]:
    """Cut `text` where a line may break: (joint before, piece) pairs.

    Korean breaks at spaces only (CSS `word-break: keep-all`), English at
    spaces (words), Japanese between any two characters kinsoku allows.
    Runs of spaces count as one; Japanese keeps an ideographic space.
    """
    pieces: list[tuple[str, str]] = []
    tokens = re.split(r"(\s+)", text.strip())
    for space, word in zip(["", *tokens[1::2]], tokens[0::2], strict=True):
        if not word:
            continue
        joint = ""
        if space:
            joint = "\u3000" if language == "ja" and "\u3000" in space else " "
        if language != "ja":
            pieces.append((joint, word))
            continue
        clusters = [word[0]]
        for char in word[1:]:
            if _japanese_breakable(clusters[-1][-1], char):
                clusters.append(char)
            else:
                clusters[-1] += char
        pieces.append((joint, clusters[0]))
        pieces += [("", cluster) for cluster in clusters[1:]]
    return pieces


def _longest_prefix(text: str, font, max_width: float) -> str:
    end = 1
    while end < len(text) and font.getlength(text[: end + 1]) <= max_width:
        end += 1
    return text[:end]


def wrap_headline(text: str, language: str, font, max_width: float) -> list[str]:
    """Break `text` into lines no wider than `max_width` in `font`.

    Fills each line greedily at the breaks `language` allows; a piece wider
    than a whole line (a very long word) is broken between characters.
    `font` needs only `getlength()`.
    """
    lines: list[str] = []
    line = ""
    for joint, piece in _pieces(text, language):
        candidate = line + joint + piece if line else piece
        if font.getlength(candidate) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = piece
        while font.getlength(line) > max_width:
            head = _longest_prefix(line, font, max_width)
            lines.append(head)
            line = line[len(head) :]
    if line:
        lines.append(line)
    return lines


def balanced_wrap(text: str, language: str, font, max_width: float) -> list[str]:
    """Wrap like `wrap_headline`, in the narrowest width that keeps the line count.

    Lines come out of even length instead of a full line over a lone word
    (CSS `text-wrap: balance`).
    """
    lines = wrap_headline(text, language, font, max_width)
    if len(lines) < 2:
        return lines
    low, high = max_width / 2, max_width
    while high - low > 4:
        middle = (low + high) / 2
        if len(wrap_headline(text, language, font, middle)) == len(lines):
            high = middle
        else:
            low = middle
    return wrap_headline(text, language, font, high)


def ellipsize(line: str, font, max_width: float) -> str:
    while line and font.getlength(line + ELLIPSIS) > max_width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
