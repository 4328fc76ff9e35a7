"""The glossary at work: names for machine translators, and names spelled wrong.

A glossary term spells one name (a person, a place, an organisation) in each
language. Machine translators get the forms for a language pair; a story's
translation is checked for a listed name the source uses but the translation
spells another way.
"""

import html
import re
import unicodedata

from django.utils.html import strip_tags

from articles.models import Article
from translations.models import GlossaryTerm
from translations.units import units_for


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _terms() -> list[GlossaryTerm]:
    return list(GlossaryTerm.objects.all())


def glossary_for(source: str, target: str) -> dict[str, str]:
    """Return the glossary from `source` to `target`: each source form → target form.

    Only terms spelled in both languages; when two terms share a source form,
    the newer one wins.
    """
    pairs = (
        (_nfc(term.form_in(source)), _nfc(term.form_in(target))) for term in _terms()
    )
    return {form: target_form for form, target_form in pairs if form and target_form}


def _plain(text: str, is_html: bool) -> str:
    """Return the words of a unit as a reader sees them, NFC-normalised."""
    if is_html:
        # Names in tags (a link's address) are not what readers read.
        text = html.unescape(strip_tags(text))
    return unicodedata.normalize("NFC", text)


def _contains(text: str, form: str, language: str) -> bool:
    """Return whether `text` uses the name `form`, as spelling counts in `language`.

    Korean glues particles to names (서울시는, 서울시의) and neither Japanese nor
    Korean separates words, so a substring is a use; an English name must be
    a whole word, in any case ("Park" is not in "parking").
    """
    if language == "en":
        pattern = rf"(?<!\w){re.escape(form)}(?!\w)"
        return re.search(pattern, text, flags=re.IGNORECASE) is not None
    return form in text


def glossary_problems(article: Article, language: str) -> list[dict]:
    """Return the listed names `article` in `language` spells another way.

    One entry per field and term: the source uses the term's source form but
    the translation of that field lacks its `language` form. Fields not yet
    translated are left out: nothing is misspelled there.
    """
    source = article.source_language
    if language == source:
        return []
    terms = [
        (term, _nfc(term.form_in(source)), _nfc(term.form_in(language)))
        for term in _terms()
    ]
    terms = [(term, form, target) for term, form, target in terms if form and target]
    if not terms:
        return []
    problems = []
    for unit in units_for(article):
        target_text = _plain(unit.text(article, language), unit.is_html)
        if not target_text.strip():
            continue
        source_text = _plain(unit.text(article, source), unit.is_html)
        problems.extend(
            {
                "unit": unit,
                "label": unit.label,
                "term": term,
                "source_form": form,
                "target_form": target_form,
            }
            for term, form, target_form in terms
            if _contains(source_text, form, source)
            and not _contains(target_text, target_form, language)
        )
    return problems
