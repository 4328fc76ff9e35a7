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
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from articles import permissions
from articles.diffs import inline_diff
from articles.models import Article
from articles.preview import preview_url
from articles.services import EditConflict, article_save
from core.languages import language_name
from core.users import display_name
from translations import machine, services
from translations.drafts import DraftConflict, draft_check, draft_save
from translations.glossary import _contains, glossary_for
from translations.memory import close_matches, exact_matches, memory_learn
from translations.models import FieldTranslation, TranslationState, WorkspaceDraft
from translations.segments import PLACEHOLDER, Cut, Segment, cut, placeholder_problems
from translations.units import Unit, fingerprint, parts_save, units_for

NEW, CHANGED, DRAFT, DONE = "new", "changed", "draft", "done"


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
    # Which link or correction it is, for people: the address, the date.
    detail: str = ""


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
                detail=_part_detail(article, unit),
            )
        )
    return parts


def _part_detail(article: Article, unit: Unit) -> str:
    """Name the link (its address) or the correction (its date) a part unit is."""
    if not unit.part:
        return ""
    row = article.text_parts()[unit.part]
    if hasattr(row, "url"):
        return row.url
    return date_format(timezone.localtime(row.corrected_at), "DATETIME_FORMAT")


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


def restore_draft(parts: list[Part], draft: WorkspaceDraft | None) -> None:
    """Put the draft's texts in their segments' boxes.

    A segment whose source changed since the draft was saved is marked
    changed, with the difference from the source the draft was typed against.
    """
    if draft is None:
        return
    for part in parts:
        for row in part.rows:
            kept = draft.segments.get(row.segment.key)
            if not isinstance(kept, dict) or not str(kept.get("target", "")).strip():
                continue
            row.target = str(kept["target"])
            row.from_memory = False
            before = str(kept.get("source", ""))
            if before == row.segment.text:
                row.status, row.diff = DRAFT, None
            else:
                row.status = CHANGED
                row.diff = inline_diff(before, row.segment.text)


def draft_segments(parts: list[Part]) -> dict[str, dict[str, str]]:
    """Return what a draft keeps: each typed segment with the source it translates."""
    return {
        row.segment.key: {"source": row.segment.text, "target": row.target}
        for part in parts
        for row in part.rows
        if row.target.strip()
    }


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


def suggestion_response(parts: list[Part], source: str, language: str, key: str):
    """Answer the machine's suggestion for segment `key`, as JSON; nothing is saved."""
    if not machine.is_enabled():
        raise Http404
    for part in parts:
        for row in part.rows:
            if row.segment.key == key:
                try:
                    text = machine.segment_suggestion(
                        text=row.segment.text, source=source, language=language
                    )
                except machine.MachineTranslationError as error:
                    return JsonResponse({"error": " ".join(error.messages)}, status=502)
                return JsonResponse(
                    {"suggestion": text, "translator": machine.backend_name()}
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
    if request.method == "POST" and "suggest" in request.POST:
        return suggestion_response(
            parts, article.source_language, language, request.POST["suggest"]
        )
    draft = (
        WorkspaceDraft.objects.filter(article=article, language=language)
        .select_related("saved_by")
        .first()
    )
    url = reverse(
        f"{model_admin.admin_site.name}:articles_article_translate",
        args=[article.pk, language],
    )
    errors = 0
    problems_intro = ""
    if request.method == "POST":
        outcome = _post(request, article, language, parts, draft)
        if isinstance(outcome, HttpResponseRedirect) or outcome is None:
            return outcome or HttpResponseRedirect(url)
        draft, errors, problems_intro = outcome
    else:
        restore_draft(parts, draft)
        offer_memory(parts, article.source_language, language)
        if draft is not None:
            errors = check_parts(parts, language)
            problems_intro = ngettext(
                "%(count)s problem to fix before the translation can be marked done:",
                "%(count)s problems to fix before the translation can be marked done:",
                errors,
            ) % {"count": errors}
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
        "problems_intro": problems_intro,
        "draft": draft,
        "machine": machine.backend_name() if machine.is_enabled() else "",
        "draft_by": display_name(draft.saved_by) if draft else "",
        "preview_url": preview_url(article, language)
        if getattr(article, f"headline_{language}")
        else None,
        "problem_rows": [row for row in rows if row.problems]
        + [part for part in parts if part.problems],
        "counts": {
            status: sum(1 for row in rows if row.status == status)
            for status in (NEW, CHANGED, DRAFT, DONE)
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


def _post(request, article: Article, language: str, parts: list[Part], draft):
    """Save a draft, or mark the translation done; return None when it went through.

    Otherwise return (draft, problem count, summary) for the page to show
    again. What was typed is never lost: a "done" that fails its checks is
    kept as a draft.
    """
    for part in parts:
        for row in part.rows:
            row.target = (
                request.POST.get(row.field_name, "")
                .replace("\r\n", "\n")
                .replace("\r", "\n")
            )
            row.from_memory = False
    try:
        revision = int(request.POST.get("draft_revision") or 0)
    except ValueError:
        revision = 0
    errors = check_parts(parts, language)
    name = language_name(language)
    if "_done" in request.POST and not errors:
        try:
            _mark_done(
                article,
                language,
                parts,
                request.user,
                request.POST.get("version"),
                revision,
            )
        except EditConflict as conflict:
            messages.error(request, str(conflict))
            return draft, 0, ""
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return draft, 0, ""
        messages.success(
            request,
            gettext("The %(language)s translation is marked done.")
            % {"language": name},
        )
        return None
    try:
        draft = draft_save(
            article=article,
            language=language,
            user=request.user,
            segments=draft_segments(parts),
            revision=revision,
        )
    except DraftConflict as conflict:
        messages.error(request, " ".join(conflict.messages))
        return draft, errors, _problems_intro(errors, kept=False)
    if "_done" in request.POST:
        return draft, errors, _problems_intro(errors, kept=True)
    messages.success(
        request,
        gettext(
            "Draft saved. Readers see the %(language)s text only once the "
            "translation is marked done."
        )
        % {"language": name},
    )
    return None


def _problems_intro(errors: int, *, kept: bool) -> str:
    if kept:
        return ngettext(
            "Not marked done: %(count)s problem to fix. What you typed is kept "
            "as a draft.",
            "Not marked done: %(count)s problems to fix. What you typed is kept "
            "as a draft.",
            errors,
        ) % {"count": errors}
    return ngettext(
        "%(count)s problem to fix before the translation can be marked done:",
        "%(count)s problems to fix before the translation can be marked done:",
        errors,
    ) % {"count": errors}


@transaction.atomic
def _mark_done(
    article: Article, language: str, parts: list[Part], user, version, revision: int
) -> None:
    """Apply the typed translation to the story and drop the draft.

    Segments left as they were count as confirmed: marking done says every
    text is a translation of the source as it reads now.
    """
    draft_check(article=article, language=language, revision=revision)
    _save(article, language, parts, user, version)
    _confirm(article, language, parts, user)
    WorkspaceDraft.objects.filter(article=article, language=language).delete()


def _confirm(article: Article, language: str, parts: list[Part], user) -> None:
    """Record the unchanged texts of a finished translation as made from this source."""
    texts = joined_texts(parts)
    source = article.source_language
    stale = []
    records = {
        record.unit: record
        for record in FieldTranslation.objects.filter(
            state__article=article, state__language=language
        )
    }
    for unit, text in texts.items():
        record = records.get(unit.key)
        current = unit.text(article, source)
        if (
            text
            and record is not None
            and (record.source_fingerprint != fingerprint(current) or record.is_machine)
        ):
            stale.append((unit, record, current))
    if not stale:
        return
    now = timezone.now()
    for _unit, record, current in stale:
        record.source_fingerprint = fingerprint(current)
        record.source_text = current
        record.is_machine = False
        record.translated_at = now
        record.save(
            update_fields=[
                "source_fingerprint",
                "source_text",
                "is_machine",
                "translated_at",
            ]
        )
    changes = {"translated_by": user, "translated_at": now}
    if not FieldTranslation.objects.filter(
        state__article=article, state__language=language, is_machine=True
    ).exists():
        changes["machine_translator"] = ""
    TranslationState.objects.filter(article=article, language=language).update(
        **changes
    )
    fresh = Article.objects.select_related("feature_image").get(pk=article.pk)
    services.translation_refresh(article=fresh, stored=fresh, user=user)
    memory_learn(
        article=fresh, language=language, units=[unit for unit, *_ in stale], user=user
    )


def _save(article: Article, language: str, parts: list[Part], user, version) -> None:
    try:
        loaded = int(version)
    except (TypeError, ValueError):
        loaded = None
    changed, part_written = [], False
    for unit, text in joined_texts(parts).items():
        # The library's words for a picture, left as they are, stay the library's.
        if unit.text(article, language) == text:
            continue
        if unit.part:
            unit.set_text(article, language, text)
            part_written = True
        else:
            name = f"{unit.field}_{language}"
            setattr(article, name, text)
            changed.append(name)
    if changed or part_written:
        # A link's label or a correction is part of the story: its save is
        # the story's (one version, the states told), its rows saved with it.
        article_save(
            article=article, user=user, changed_fields=changed, loaded_version=loaded
        )
        parts_save(article)
