"""The translator's workspace: a story's source beside its translation, by segment.

One page per story and target language. Each unit's source is cut into
segments (translations/segments.py) shown as text, its markup as numbered
placeholders; the translation of each segment is typed beside it. Headings,
lists, figures and links come from the source's structure, so a translation
cannot drop them. Each segment says whether it is new, changed since it was
translated (with the difference in the source) or done, and which glossary
names it holds. Saving checks every segment first and saves nothing while a
check fails; a saved translation goes through the story's one write path.
"""

import html
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from articles import permissions
from articles.diffs import inline_diff
from articles.models import Article
from articles.services import EditConflict, article_save
from core.languages import language_name
from translations import services
from translations.glossary import _contains, glossary_for
from translations.memory import close_matches, exact_matches
from translations.models import TranslationState
from translations.segments import PLACEHOLDER, Cut, Segment, cut, placeholder_problems
from translations.units import Unit, fingerprint, units_for

NEW, CHANGED, DONE = "new", "changed", "done"


@dataclass
class Row:
    """One segment as the workspace shows it."""

    segment: Segment
    target: str
    status: str
    place: str = ""  # where it is, for people: "body, segment 3"
    diff: SafeString | None = None
    names: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    from_memory: bool = False  # pre-filled by an exact match, to confirm

    @property
    def field_name(self) -> str:
        return f"seg-{self.segment.key}"

    @property
    def kind_label(self) -> str:
        """Name what the segment is in the body: paragraph, heading, caption…"""
        labels = {
            "p": pgettext("segment", "paragraph"),
            "h2": pgettext("segment", "heading"),
            "h3": pgettext("segment", "subheading"),
            "li": pgettext("segment", "list item"),
            "figcaption": pgettext("segment", "picture caption"),
            "small": pgettext("segment", "picture credit"),
            "alt": pgettext("segment", "picture alt text"),
            "line": pgettext("segment", "key point"),
        }
        return labels.get(self.segment.kind, "")

    @property
    def source_html(self) -> SafeString:
        return show_placeholders(self.segment.text)


@dataclass
class Part:
    """One unit of the story: its segments, and the joining of their translations."""

    unit: Unit
    pieces: Cut
    rows: list[Row]
    note: str = ""
    existing: str = ""  # the translation as it reads, when its structure differs
    problems: list[str] = field(default_factory=list)


def show_placeholders(text: str) -> SafeString:
    """Return `text` escaped, its placeholders drawn as marks a translator keeps."""
    out, position = [], 0
    for match in PLACEHOLDER.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(
            format_html(
                '<kbd class="ph" title="{}">{}</kbd>', gettext("tag"), match.group(0)
            )
        )
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def _same_shape(one: Cut, other: Cut) -> bool:
    return [s.kind for s in one.segments] == [s.kind for s in other.segments]


def build_parts(
    article: Article, language: str, state: TranslationState | None
) -> list[Part]:
    """Return the story's units cut into segments, paired with the translation."""
    source = article.source_language
    records = {record.unit: record for record in state.fields.all()} if state else {}
    names = glossary_for(source, language)
    parts = []
    for unit in units_for(article):
        source_text = unit.text(article, source)
        if not source_text.strip():
            continue
        pieces = cut(unit, source_text)
        target_text = unit.text(article, language)
        target = cut(unit, target_text)
        note = ""
        if not target_text:
            targets = [""] * len(pieces.segments)
        elif _same_shape(pieces, target):
            targets = [segment.text for segment in target.segments]
        else:
            targets = [""] * len(pieces.segments)
            note = gettext(
                "The translation's structure differs from the source's: it is "
                "shown below and will be replaced by what you type here."
            )
        record = records.get(unit.key)
        before = cut(unit, record.source_text) if record else None
        fresh = record is not None and record.source_fingerprint == fingerprint(
            source_text
        )
        rows = []
        for index, segment in enumerate(pieces.segments):
            place = str(unit.label).capitalize()
            if len(pieces.segments) > 1:
                place = gettext("%(part)s, segment %(number)s") % {
                    "part": place,
                    "number": index + 1,
                }
            row = Row(segment=segment, target=targets[index], status=NEW, place=place)
            if row.target.strip():
                row.status = DONE
                if not fresh:
                    old = (
                        before.segments[index].text
                        if before is not None and _same_shape(before, pieces)
                        else None
                    )
                    if old is None or old != segment.text:
                        row.status = CHANGED
                        row.diff = inline_diff(old or "", segment.text)
            row.names = [
                (form, names[form])
                for form in sorted(names)
                if _contains(segment.text, form, source)
            ]
            rows.append(row)
        parts.append(
            Part(
                unit=unit,
                pieces=pieces,
                rows=rows,
                note=note,
                existing=html.unescape(strip_tags(target_text)) if note else "",
            )
        )
    return parts


def offer_memory(parts: list[Part], source: str, language: str) -> None:
    """Fill new segments seen before word for word, in one query.

    Close matches are asked for one segment at a time, when the translator
    reaches it (`?matches=<segment>`): a long story would otherwise wait for
    a lookup per segment.
    """
    waiting = [row for part in parts for row in part.rows if row.status == NEW]
    exact = exact_matches(source, language, [row.segment.text for row in waiting])
    for row in waiting:
        remembered = exact.get(row.segment.text)
        if remembered is not None:
            row.target, row.from_memory = remembered, True


def matches_response(parts: list[Part], source: str, language: str, key: str):
    """Answer the close matches of segment `key`, as JSON."""
    for part in parts:
        for row in part.rows:
            if row.segment.key == key:
                return JsonResponse(
                    {
                        "matches": [
                            {
                                "percent": match.percent,
                                "source": match.source_text,
                                "target": match.target_text,
                            }
                            for match in close_matches(
                                source, language, row.segment.text
                            )
                        ]
                    }
                )
    raise Http404


def check_parts(parts: list[Part], language: str) -> int:
    """Check every typed segment, noting problems on rows and parts; return the count.

    The same rules as a PO import: placeholders kept, lengths, the glossary's
    spellings, key points one per line.
    """
    count = 0
    for part in parts:
        for row in part.rows:
            text = row.target
            if part.unit.key == "key_points" and "\n" in text:
                row.problems.append(gettext("One key point per line: no line breaks."))
            if not text.strip():
                continue
            missing = placeholder_problems(row.segment, text)
            if missing:
                row.problems.append(
                    gettext("Keep each tag mark once, in order: %(marks)s")
                    % {"marks": " ".join(missing)}
                )
            for form, target_form in row.names:
                if not _contains(text, target_form, language):
                    row.problems.append(
                        gettext("Write “%(source)s” as “%(target)s” (glossary).")
                        % {"source": form, "target": target_form}
                    )
            count += len(row.problems)
        if part.unit.max_length and any(row.target.strip() for row in part.rows):
            joined = part.pieces.join([row.target for row in part.rows])
            if len(joined) > part.unit.max_length:
                part.problems.append(
                    ngettext(
                        "At most %(limit)s character; this is %(count)s.",
                        "At most %(limit)s characters; this is %(count)s.",
                        part.unit.max_length,
                    )
                    % {"limit": part.unit.max_length, "count": len(joined)}
                )
                count += 1
    return count


def joined_texts(parts: list[Part]) -> dict[Unit, str]:
    """Return each unit's translation, joined in the source's structure.

    A unit none of whose segments has text stays empty (not yet translated).
    """
    return {
        part.unit: part.pieces.join([row.target.strip() for row in part.rows])
        if any(row.target.strip() for row in part.rows)
        else ""
        for part in parts
    }


def workspace_view(model_admin, request, object_id, language):
    """Show and save the translation of one story into one language."""
    article = (
        Article.objects.select_related("feature_image").filter(pk=object_id).first()
    )
    if article is None:
        raise Http404
    try:
        services.check_target_language(article, language)
    except ValidationError:
        raise Http404 from None
    user = request.user
    if not (
        permissions.is_editor(user)
        or language in permissions.translation_languages_for(user, article)
    ):
        raise PermissionDenied
    state = (
        TranslationState.objects.filter(article=article, language=language)
        .prefetch_related("fields")
        .first()
    )
    parts = build_parts(article, language, state)
    if request.method == "GET" and "matches" in request.GET:
        return matches_response(
            parts, article.source_language, language, request.GET["matches"]
        )
    if request.method != "POST":
        offer_memory(parts, article.source_language, language)
    url = reverse(
        f"{model_admin.admin_site.name}:articles_article_translate",
        args=[article.pk, language],
    )
    errors = 0
    if request.method == "POST":
        for part in parts:
            for row in part.rows:
                row.target = (
                    request.POST.get(row.field_name, "")
                    .replace("\r\n", "\n")
                    .replace("\r", "\n")
                )
        errors = check_parts(parts, language)
        if not errors:
            try:
                _save(article, language, parts, user, request.POST.get("version"))
            except EditConflict as conflict:
                messages.error(request, str(conflict))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    gettext("The %(language)s translation is saved.")
                    % {"language": language_name(language)},
                )
                return HttpResponseRedirect(url)
    rows = [row for part in parts for row in part.rows]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("Translate into %(language)s")
        % {"language": language_name(language)},
        "article": article,
        "state": state,
        "language": language,
        "source_language": article.source_language,
        "parts": parts,
        "error_count": errors,
        "problem_rows": [row for row in rows if row.problems]
        + [part for part in parts if part.problems],
        "counts": {
            status: sum(1 for row in rows if row.status == status)
            for status in (NEW, CHANGED, DONE)
        },
        "version": article.version,
        "is_waiting": state is not None
        and state.status == TranslationState.Status.NEEDS_REVIEW,
        # A second person reviews a person's translation (machine output
        # its own translator may approve).
        "can_review": state is not None
        and state.status == TranslationState.Status.NEEDS_REVIEW
        and services.can_review(user, article, language)
        and (state.has_machine_text or state.translated_by_id != user.pk),
        "review_url": reverse(
            f"{model_admin.admin_site.name}:articles_article_translation_review",
            args=[article.pk, language],
        ),
        "return_url": reverse(
            f"{model_admin.admin_site.name}:articles_article_translation_return",
            args=[article.pk, language],
        ),
        "change_url": reverse(
            f"{model_admin.admin_site.name}:articles_article_change", args=[article.pk]
        ),
    }
    return TemplateResponse(request, "admin/translations/workspace.html", context)


def _save(article: Article, language: str, parts: list[Part], user, version) -> None:
    try:
        loaded = int(version)
    except (TypeError, ValueError):
        loaded = None
    changed = []
    for unit, text in joined_texts(parts).items():
        name = f"{unit.field}_{language}"
        # The library's words for a picture, left as they are, stay the library's.
        if unit.text(article, language) != text:
            setattr(article, name, text)
            changed.append(name)
    if changed:
        article_save(
            article=article, user=user, changed_fields=changed, loaded_version=loaded
        )
