"""Machine translation: the backends, and the service that runs one on a story.

`NEWSROOM_MACHINE_TRANSLATOR` chooses the backend ("" turns it off). Whatever
the backend writes is recorded as machine output: the language waits in "needs
review", withheld from readers, until a person approves it.
"""

import hashlib
import html
import importlib.util
import json
import logging
import re
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.utils.translation import gettext

from articles import revisions
from articles.models import Article
from articles.services import article_save_version, article_texts_changed
from translations import services
from translations.glossary import glossary_for
from translations.models import TranslationState
from translations.units import Unit, parts_save, units_for

logger = logging.getLogger(__name__)

BACKENDS = ("offline", "deepl")


class MachineTranslationError(ValidationError):
    """A backend could not translate; the message says why, for whoever asked."""


class MachineTranslator(Protocol):
    name: str

    def translate(
        self,
        texts: list[str],
        source: str,
        target: str,
        is_html: bool,
        glossary: dict[str, str] | None = None,
    ) -> list[str]:
        """Return `texts` translated from `source` into `target`, in order.

        `glossary` maps names in the source language to the spelling the
        translation must use. Raises `MachineTranslationError` on failure.
        """
        ...


# Text between tags: odd items of `_TAG.split(html)` are the tags.
_TAG = re.compile(r"(<[^>]*>)")


def _replacer(glossary: dict[str, str] | None) -> Callable[[str], str]:
    """Return a function that puts each glossary target form for its source form."""
    if not glossary:
        return lambda text: text
    # Longest first, so "서울시청" is not read as "서울시" + "청".
    pattern = re.compile(
        "|".join(re.escape(form) for form in sorted(glossary, key=len, reverse=True))
    )
    return lambda text: pattern.sub(lambda match: glossary[match.group(0)], text)


class OfflineTranslator:
    """A stand-in for tests and demos: deterministic, no network, no translation.

    Each text comes back with every glossary source form replaced by its target
    form (longest first) and "[<target>] " (say "[ja] ") put before each line
    that has text (plain text) or each run of text between two tags (HTML).
    Tags, attributes, entities, blank runs and line breaks stay exactly as they
    were, so the result has the source's markup and its number of lines.
    """

    name = "offline"

    def translate(
        self,
        texts: list[str],
        source: str,
        target: str,
        is_html: bool,
        glossary: dict[str, str] | None = None,
    ) -> list[str]:
        replace = _replacer(glossary)
        prefix = f"[{target}] "

        def mark(piece: str) -> str:
            words = piece.lstrip()
            if not words.strip():
                return piece
            return piece[: len(piece) - len(words)] + prefix + replace(words)

        if is_html:
            return [
                "".join(
                    piece if index % 2 else mark(piece)
                    for index, piece in enumerate(_TAG.split(text))
                )
                for text in texts
            ]
        return ["\n".join(mark(line) for line in text.split("\n")) for text in texts]


# DeepL's codes for our languages. DeepL wants a variant for English output:
# British, the spelling of the newsroom's own English (its interface, its style).
DEEPL_SOURCE = {"ko": "KO", "ja": "JA", "en": "EN"}
DEEPL_TARGET = {"ko": "KO", "ja": "JA", "en": "EN-GB"}
# Our glossaries in the DeepL account are named "newsroom <ko>-<ja> <digest>".
DEEPL_GLOSSARY_PREFIX = "newsroom"


class DeepLTranslator:
    """DeepL through its official client, the optional `deepl` package.

    The glossary goes to DeepL as a stored glossary per language pair, named
    by a digest of its entries: made once, found again by name while the
    entries stay the same, replaced when they change.
    """

    name = "deepl"

    def __init__(self, *, auth_key: str) -> None:
        self.auth_key = auth_key
        self._client = None
        self._glossary_ids: dict[str, str] = {}

    def translate(
        self,
        texts: list[str],
        source: str,
        target: str,
        is_html: bool,
        glossary: dict[str, str] | None = None,
    ) -> list[str]:
        # Imported here: only installations that choose DeepL install it.
        import deepl

        if self._client is None:
            self._client = deepl.Translator(self.auth_key)
        client = self._client
        try:
            glossary_id = (
                self._glossary_id(client, deepl, source, target, glossary)
                if glossary
                else None
            )
            results = client.translate_text(
                texts,
                source_lang=DEEPL_SOURCE[source],
                target_lang=DEEPL_TARGET[target],
                tag_handling="html" if is_html else None,
                glossary=glossary_id,
            )
        except deepl.DeepLException as error:
            logger.warning("DeepL failed: %s", error)
            raise MachineTranslationError(_deepl_problem(deepl, error)) from error
        return [result.text for result in results]

    def _glossary_id(self, client, deepl, source, target, glossary) -> str | None:
        """Return the id of the DeepL glossary holding `glossary`, made if need be."""
        # DeepL refuses empty terms and control characters (tabs, line breaks).
        entries = {
            form: target_form
            for form, target_form in glossary.items()
            if form.isprintable() and target_form.isprintable()
        }
        if not entries:
            return None
        digest = hashlib.sha256(
            json.dumps(sorted(entries.items()), ensure_ascii=False).encode()
        ).hexdigest()[:16]
        pair = f"{DEEPL_GLOSSARY_PREFIX} {source}-{target} "
        name = pair + digest
        if name in self._glossary_ids:
            return self._glossary_ids[name]
        stored = client.list_glossaries()
        found = next((info for info in stored if info.name == name), None)
        if found is None:
            found = client.create_glossary(
                name,
                source_lang=DEEPL_SOURCE[source],
                target_lang=DEEPL_SOURCE[target],
                entries=entries,
            )
            # The glossary changed: drop the pair's older versions, or they
            # fill the account's allowance.
            for info in stored:
                if info.name.startswith(pair) and info.name != name:
                    try:
                        client.delete_glossary(info.glossary_id)
                    except deepl.DeepLException as error:
                        logger.warning("Old DeepL glossary %s kept: %s", info, error)
        self._glossary_ids[name] = found.glossary_id
        return found.glossary_id


def _deepl_problem(deepl, error: Exception) -> str:
    """Return what went wrong at DeepL, in words for the person who asked."""
    known = (
        (
            "QuotaExceededException",
            gettext("The DeepL quota for this period is used up."),
        ),
        (
            "AuthorizationException",
            gettext("DeepL refused the key (DEEPL_AUTH_KEY); ask an administrator."),
        ),
        (
            "TooManyRequestsException",
            gettext("DeepL is busy; try again in a minute."),
        ),
        (
            "ConnectionException",
            gettext("DeepL could not be reached; try again later."),
        ),
    )
    for name, message in known:
        kind = getattr(deepl, name, None)
        if kind is not None and isinstance(error, kind):
            return message
    return gettext("DeepL could not translate the text: %(error)s") % {"error": error}


def backend_name() -> str:
    """Return the chosen machine translator's name; "" means off."""
    return settings.NEWSROOM_MACHINE_TRANSLATOR.strip().lower()


def is_enabled() -> bool:
    """Return whether a machine translator is chosen (its set-up may still be wrong)."""
    return bool(backend_name())


def configuration_problems() -> list[tuple[str, str, str]]:
    """Return what keeps the chosen machine translator from working.

    As (check id, message, hint) for the system checks; empty when machine
    translation is off or ready.
    """
    name = backend_name()
    if not name:
        return []
    if name not in BACKENDS:
        return [
            (
                "translations.E001",
                f"NEWSROOM_MACHINE_TRANSLATOR is {name!r}, not a machine translator.",
                "Set it to 'deepl', 'offline' or nothing (off).",
            )
        ]
    problems = []
    if name == "deepl":
        if not settings.DEEPL_AUTH_KEY:
            problems.append(
                (
                    "translations.E002",
                    "NEWSROOM_MACHINE_TRANSLATOR is 'deepl' but DEEPL_AUTH_KEY "
                    "is not set.",
                    "Set DEEPL_AUTH_KEY in the environment to the DeepL API key.",
                )
            )
        if importlib.util.find_spec("deepl") is None:
            problems.append(
                (
                    "translations.E003",
                    "NEWSROOM_MACHINE_TRANSLATOR is 'deepl' but the deepl "
                    "package is not installed.",
                    "Run: pip install deepl",
                )
            )
    return problems


def get_translator() -> MachineTranslator:
    """Return the machine translator the settings choose.

    Raises ImproperlyConfigured when machine translation is off or cannot work.
    """
    name = backend_name()
    if not name:
        raise ImproperlyConfigured("NEWSROOM_MACHINE_TRANSLATOR is not set.")
    if problems := configuration_problems():
        raise ImproperlyConfigured(" ".join(message for _id, message, _h in problems))
    if name == "deepl":
        return DeepLTranslator(auth_key=settings.DEEPL_AUTH_KEY)
    return OfflineTranslator()


def machine_units(article: Article, language: str) -> list[Unit]:
    """Return the units a machine translates into `language`: those with source text.

    The picture's words too: they are written to the story, and other stories
    showing the picture keep theirs.
    """
    return [
        unit
        for unit in units_for(article)
        if unit.text(article, article.source_language)
    ]


def translation_machine_translate(
    *, article: Article, language: str, user
) -> TranslationState:
    """Machine translate `article` into `language` and hold it for review.

    Every field with source text gets a new `language` text, replacing the one
    it had. The backend is asked before the transaction starts, so a slow
    service locks nothing; the write then checks the source did not change
    meanwhile. On any failure nothing is written.
    """
    article = Article.objects.select_related("feature_image").get(pk=article.pk)
    services.check_target_language(article, language)
    if not services.can_review(user, article, language):
        raise PermissionDenied
    try:
        translator = get_translator()
    except ImproperlyConfigured as error:
        logger.error("Machine translation is not available: %s", error)
        raise MachineTranslationError(
            gettext("Machine translation is not available; ask an administrator.")
        ) from error
    units = machine_units(article, language)
    if not units:
        raise ValidationError(gettext("The story has no text to translate yet."))
    source = article.source_language
    sources = {unit.key: unit.text(article, source) for unit in units}
    glossary = glossary_for(source, language) or None
    translated = {}
    for is_html in (False, True):
        batch = [unit.key for unit in units if unit.is_html == is_html]
        if not batch:
            continue
        texts = translator.translate(
            [sources[key] for key in batch], source, language, is_html, glossary
        )
        if len(texts) != len(batch):
            raise MachineTranslationError(
                gettext("The machine translator returned a different number of texts.")
            )
        translated.update(zip(batch, texts, strict=True))
    return _machine_translation_save(
        article_id=article.pk,
        language=language,
        user=user,
        machine=translator.name,
        source=source,
        sources=sources,
        translated=translated,
    )


@transaction.atomic
def _machine_translation_save(
    *,
    article_id: int,
    language: str,
    user,
    machine: str,
    source: str,
    sources: dict[str, str],
    translated: dict[str, str],
) -> TranslationState:
    """Write the machine's texts as a new version of the story; refresh its states."""
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("feature_image")
        .get(pk=article_id)
    )
    # The story as stored, a separate copy to compare with.
    stored = Article.objects.select_related("feature_image").get(pk=article_id)
    units = [unit for unit in units_for(article) if unit.key in translated]
    source_changed = article.source_language != source or any(
        unit.text(article, source) != sources[unit.key] for unit in units
    )
    if source_changed:
        raise ValidationError(
            gettext(
                "The story changed while it was being translated. Nothing was "
                "written; try again."
            )
        )
    too_long = []
    for unit in units:
        text = translated[unit.key]
        if unit.max_length and len(text) > unit.max_length:
            too_long.append(
                gettext("The machine's %(field)s is longer than %(limit)s characters.")
                % {"field": unit.label, "limit": unit.max_length}
            )
        unit.set_text(article, language, text)
    if too_long:
        raise ValidationError(too_long)
    article.full_clean()
    article_save_version(
        article,
        user,
        revisions.note("machine", language=language, translator=machine),
    )
    # As every other write of the story's text: the states follow the signal.
    article_texts_changed(article=article, stored=stored, user=user, machine=machine)
    # The words of its links and corrections, after the states compared them
    # with the stored story's.
    parts_save(article)
    return TranslationState.objects.get(article=article, language=language)


# A segment's placeholders, as tags a machine translator carries over:
# "{1}" <-> '<span id="ph1">', "{/1}" <-> "</span>", "{2/}" <-> '<br id="ph2">'.
_SEGMENT_MARK = re.compile(r"\{(/?)(\d+)(/?)\}")
_SEGMENT_TAG = re.compile(r'<(/?)(span|br)(?:\s+id="ph(\d+)")?\s*/?>', re.I)


def _marks_to_tags(text: str) -> str:
    out, position = [], 0
    for match in _SEGMENT_MARK.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        closing, number, empty = match.groups()
        if empty:
            out.append(f'<br id="ph{number}">')
        elif closing:
            out.append("</span>")
        else:
            out.append(f'<span id="ph{number}">')
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def _tags_to_marks(text: str) -> str:
    out, position, open_marks = [], 0, []
    for match in _SEGMENT_TAG.finditer(text):
        out.append(html.unescape(text[position : match.start()]))
        closing, name, number = match.groups()
        if name.lower() == "br":
            out.append(f"{{{number}/}}" if number else "")
        elif closing:
            out.append(f"{{/{open_marks.pop()}}}" if open_marks else "")
        elif number:
            open_marks.append(number)
            out.append(f"{{{number}}}")
        position = match.end()
    out.append(html.unescape(text[position:]))
    return "".join(out)


def segment_suggestion(*, text: str, source: str, language: str) -> str:
    """Return the machine's translation of one workspace segment: a suggestion only.

    Nothing is written: the translator puts it in the box, edits it and saves
    it as their own work. Placeholders travel as tags, so they come back in
    place. Raises MachineTranslationError when the machine cannot answer.
    """
    try:
        translator = get_translator()
    except ImproperlyConfigured as error:
        logger.error("Machine translation is not available: %s", error)
        raise MachineTranslationError(
            gettext("Machine translation is not available; ask an administrator.")
        ) from error
    glossary = glossary_for(source, language) or None
    answer = translator.translate(
        [_marks_to_tags(text)], source, language, True, glossary
    )
    if len(answer) != 1:
        raise MachineTranslationError(
            gettext("The machine translator returned a different number of texts.")
        )
    return _tags_to_marks(answer[0]).strip()
