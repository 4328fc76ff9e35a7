"""Writes to the per-language state: kept in step with every text change."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from articles import permissions
from articles.models import Article, LanguageEdition, withheld_fields
from articles.services import (
    article_edition_save,
    article_editions_save,
    article_withhold,
)
from core.languages import LANGUAGE_CODES, language_name
from core.users import AnyUser, DeskUser, display_name
from translations.memory import memory_learn, memory_learn_stories
from translations.models import (
    FieldTranslation,
    LanguagePolicy,
    Priority,
    TranslationState,
)
from translations.signals import (
    translation_assigned,
    translation_outdated,
    translation_returned,
)
from translations.units import UNITS, Unit, fingerprint, units_for

Status = TranslationState.Status
# States in which a translation was once complete: losing a field then means
# the source moved on (outdated), not that the work is still under way.
COMPLETED = (Status.UP_TO_DATE, Status.NEEDS_REVIEW, Status.OUTDATED)


def state_save(state: TranslationState) -> None:
    """Save `state` and withhold its language from readers while it is not fit.

    The one way a state is written: readers' queries read the story's
    withholding, never this app's table.
    """
    state.save()
    article_withhold(
        article=state.article, language=state.language, withheld=state.is_withheld
    )


@transaction.atomic
def translation_refresh(
    *,
    article: Article,
    stored: Article | None,
    user: DeskUser | None = None,
    minor_edit: bool = False,
    machine: str = "",
) -> dict[str, TranslationState]:
    """Recompute the state of `article` in each language and return them.

    `stored` is the story as it was before this write (None: new, every text
    in it is new). `machine` names the machine translator that wrote the
    target texts that changed.
    """
    now = timezone.now()
    units = units_for(article)
    editions = {
        edition.language: edition
        for edition in LanguageEdition.objects.filter(article=article)
    }
    reviewed_languages = reviewed_by_policy()
    states = {
        state.language: state
        for state in TranslationState.objects.filter(article=article)
        .select_for_update()
        .prefetch_related("fields")
    }
    outdated_now = []
    for code in LANGUAGE_CODES:
        state = states.get(code) or TranslationState(article=article, language=code)
        change = _state_change(
            state,
            {record.unit: record for record in state.fields.all()} if state.pk else {},
            article,
            stored,
            units,
            code,
            now,
            user=user,
            minor_edit=minor_edit,
            machine=machine,
            review_required=code in reviewed_languages,
        )
        if code == article.source_language:
            state_save(state)
            if change.gone:
                state.fields.all().delete()
        else:
            for record in change.gone:
                record.delete()
            if change.became_outdated:
                outdated_now.append(code)
            state_save(state)
            for record in change.to_save:
                record.state = state
                record.save()
        states[code] = state
        if change.written and not machine:
            memory_learn(
                article=article,
                language=code,
                units=[unit for unit in units if unit.key in change.written],
                user=user,
            )
        edition = _edition_change(
            article, stored, code, editions.get(code), now, behind=change.behind
        )
        if edition is not None:
            article_edition_save(
                article=article,
                language=code,
                text_changed_at=edition[0],
                behind_since=edition[1],
            )
    if outdated_now:
        translation_outdated.send(
            sender=TranslationState,
            article=article,
            languages=sorted(outdated_now),
            user=user,
        )
    return states


@transaction.atomic
def translation_refresh_stories(
    *,
    stories: list[tuple[Article, Article | None]],
    user: DeskUser | None = None,
    minor_edit: bool = False,
    machine: str = "",
) -> dict[int, dict[str, TranslationState]]:
    """Recompute the states of many stories in each language, as translation_refresh.

    `stories` pairs each story with its stored form before this write. For a
    write of many stories at once (an import): the states, their fields, the
    language editions and the withheld flags are read once for all of them and
    written in a few statements each, not a dozen a story. Flags that
    change go through `article_withhold`, one by one, so search still hears of
    them. Returns each story's states by language, by story id.
    """
    now = timezone.now()
    articles = [article for article, _stored in stories]
    editions = {
        (edition.article_id, edition.language): edition
        for edition in LanguageEdition.objects.filter(article__in=articles)
    }
    # As stored now: a story in hand may have been loaded before a change.
    withheld = {
        (row[0], code)
        for row in Article.objects.filter(pk__in=[a.pk for a in articles])
        .values_list("pk", *withheld_fields())
        .order_by()
        for code, flag in zip(LANGUAGE_CODES, row[1:], strict=True)
        if flag
    }
    reviewed_languages = reviewed_by_policy()
    loaded: dict[int, dict[str, TranslationState]] = defaultdict(dict)
    for state in TranslationState.objects.filter(
        article__in=articles
    ).select_for_update():
        loaded[state.article_id][state.language] = state
    # Each state's records, read in one query (a prefetch would make a
    # queryset for every state).
    records: dict[int, dict[str, FieldTranslation]] = defaultdict(dict)
    for record in FieldTranslation.objects.filter(
        state__article__in=articles
    ).order_by():
        records[record.state_id][record.unit] = record
    changes: list[_StateChange] = []
    outdated: list[tuple[Article, list[str]]] = []
    learnt: list[tuple[Article, str, list[Unit]]] = []
    edition_rows: list[tuple[Article, str, datetime | None, datetime | None]] = []
    result: dict[int, dict[str, TranslationState]] = {}
    for article, stored in stories:
        units = units_for(article)
        states = result[article.pk] = loaded[article.pk]
        outdated_now = []
        for code in LANGUAGE_CODES:
            state = states.get(code) or TranslationState(article=article, language=code)
            states[code] = state
            change = _state_change(
                state,
                records[state.pk] if state.pk else {},
                article,
                stored,
                units,
                code,
                now,
                user=user,
                minor_edit=minor_edit,
                machine=machine,
                review_required=code in reviewed_languages,
            )
            changes.append(change)
            if change.became_outdated:
                outdated_now.append(code)
            if change.written and not machine:
                learnt.append(
                    (article, code, [u for u in units if u.key in change.written])
                )
            edition = _edition_change(
                article,
                stored,
                code,
                editions.get((article.pk, code)),
                now,
                behind=change.behind,
            )
            if edition is not None:
                edition_rows.append((article, code, *edition))
        if outdated_now:
            outdated.append((article, sorted(outdated_now)))
    _write_states(changes, now)
    articles_by_id = {article.pk: article for article in articles}
    for change in changes:
        state = change.state
        if state.is_withheld != ((state.article_id, state.language) in withheld):
            article_withhold(
                article=articles_by_id[state.article_id],
                language=state.language,
                withheld=state.is_withheld,
            )
    if learnt:
        memory_learn_stories(stories=learnt, user=user)
    article_editions_save(editions=edition_rows)
    for article, languages in outdated:
        translation_outdated.send(
            sender=TranslationState, article=article, languages=languages, user=user
        )
    return result


@dataclass
class _StateChange:
    """What a refresh does to one state: its new values and its fields' records."""

    state: TranslationState
    # The values of REFRESHED_FIELDS the state had before.
    was: tuple
    # Records to write (new ones, or ones whose source changed) and to delete.
    to_save: list[FieldTranslation]
    gone: list[FieldTranslation]
    # The units whose target text was written now.
    written: set[str]
    became_outdated: bool
    # Whether the language is behind its source (see _edition_change).
    behind: bool


def _state_change(
    state: TranslationState,
    records: dict[str, FieldTranslation],
    article: Article,
    stored: Article | None,
    units: list[Unit],
    code: str,
    now: datetime,
    *,
    user: DeskUser | None,
    minor_edit: bool,
    machine: str,
    review_required: bool,
) -> _StateChange:
    """Set the new values of `state` (in memory) and say what else changes.

    `records` are the state's stored field records by unit (none for a new
    state); they are changed in place.
    """
    was = state.status if state.pk else None
    before = tuple(getattr(state, name) for name in REFRESHED_FIELDS)
    if code == article.source_language:
        state.status = Status.UP_TO_DATE
        state.is_awaiting_review = False
        return _StateChange(
            state, before, [], list(records.values()), set(), False, behind=False
        )
    gone: list[FieldTranslation] = []
    written, changed = _stamp_fields(
        state, records, article, stored, units, code, now, minor_edit, machine, gone
    )
    if written:
        state.translated_by = user
        state.translated_at = now
        state.machine_translator = machine
    state.status = _status(state, records, article, units, code, review_required)
    state.has_machine_text = any(record.is_machine for record in records.values())
    # A person's text nobody has reviewed since: withheld whatever the state
    # (a source edit that makes it outdated does not release it).
    state.is_awaiting_review = (
        review_required
        and state.status != Status.MISSING
        and not _reviewed_since_written(state)
    )
    return _StateChange(
        state,
        before,
        [
            record
            for record in records.values()
            if record.pk is None or record.unit in changed
        ],
        gone,
        written,
        became_outdated=state.status == Status.OUTDATED and was != Status.OUTDATED,
        behind=state.status == Status.OUTDATED,
    )


# The fields of a state a refresh sets (`_state_change`), with its save time.
REFRESHED_FIELDS = (
    "status",
    "translated_by_id",
    "translated_at",
    "machine_translator",
    "has_machine_text",
    "is_awaiting_review",
)


def _write_states(changes: list[_StateChange], now: datetime) -> None:
    """Write the refreshed states and their records in a few statements.

    Every state is saved, as `state_save` would (its time of update moves);
    those whose values stayed as they were in one statement.
    """
    new = [change.state for change in changes if change.state.pk is None]
    same: list[int] = []
    moved: list[TranslationState] = []
    for change in changes:
        state = change.state
        if state.pk is not None:
            now_values = tuple(getattr(state, name) for name in REFRESHED_FIELDS)
            if now_values == change.was:
                same.append(state.pk)
            else:
                moved.append(state)
    if connection.features.can_return_rows_from_bulk_insert:
        TranslationState.objects.bulk_create(new, batch_size=BATCH)
    else:
        for state in new:
            state.save()
    for chunk in _chunks(same):
        TranslationState.objects.filter(pk__in=chunk).update(updated_at=now)
    _update_alike(moved, REFRESHED_FIELDS, updated_at=now)
    gone = [record.pk for change in changes for record in change.gone]
    for chunk in _chunks(gone):
        FieldTranslation.objects.filter(pk__in=chunk).delete()
    created: list[FieldTranslation] = []
    updated: list[FieldTranslation] = []
    for change in changes:
        for record in change.to_save:
            record.state = change.state
            (updated if record.pk else created).append(record)
    FieldTranslation.objects.bulk_create(created, batch_size=BATCH)
    field_translations_save(updated)


def field_translations_save(records: list[FieldTranslation]) -> None:
    """Write the source, machine mark and time of stored `records`, in one statement.

    For writes of many states at once: Django's bulk_update would write a
    CASE of every row for every field; this inserts them over the stored
    rows (one per state and unit).
    """
    FieldTranslation.objects.bulk_create(
        [
            FieldTranslation(
                state_id=record.state_id,
                unit=record.unit,
                source_fingerprint=record.source_fingerprint,
                source_text=record.source_text,
                is_machine=record.is_machine,
                translated_at=record.translated_at,
            )
            for record in records
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["state", "unit"],
        update_fields=RECORD_FIELDS,
    )


# The fields of a record a refresh or a confirmation writes.
RECORD_FIELDS = ["source_fingerprint", "source_text", "is_machine", "translated_at"]


def _update_alike(
    states: list[TranslationState], names: tuple[str, ...], **also: Any
) -> None:
    """Write the fields `names` of `states`, one UPDATE for each set of values.

    The states a write of many stories changes mostly change alike (an
    import: up to date, by the importer, now); Django's bulk_update would
    build a CASE of every row for every field. States whose values no other
    shares are written by bulk_update, in one statement.
    """
    groups: dict[tuple, list[TranslationState]] = defaultdict(list)
    for state in states:
        groups[tuple(getattr(state, name) for name in names)].append(state)
    alone = []
    for values, group in groups.items():
        if len(group) == 1:
            alone += group
            continue
        for chunk in _chunks([state.pk for state in group]):
            TranslationState.objects.filter(pk__in=chunk).update(
                **dict(zip(names, values, strict=True)), **also
            )
    for state in alone:
        for name, value in also.items():
            setattr(state, name, value)
    TranslationState.objects.bulk_update(alone, [*names, *also], batch_size=BATCH)


# Rows a statement names at most: within every database's limit of parameters.
BATCH = 500


def _chunks(items: list) -> list[list]:
    return [items[start : start + BATCH] for start in range(0, len(items), BATCH)]


def _edition_change(
    article: Article,
    stored: Article | None,
    code: str,
    edition: LanguageEdition | None,
    now: datetime,
    *,
    behind: bool,
) -> tuple[datetime | None, datetime | None] | None:
    """Return what readers of `code` are told now, if it changes, else None.

    When its text changed, and since when it is behind. A translation falls
    behind when its state turns outdated and stays behind since then until it
    is brought up to date.
    """
    changed = any(
        unit.text(article, code) != (unit.text(stored, code) if stored else "")
        for unit in UNITS
    )
    text_changed_at = edition.text_changed_at if edition else None
    if changed:
        text_changed_at = now
    behind_since = None
    if behind:
        behind_since = (edition.behind_since if edition else None) or now
    if edition is not None and (edition.text_changed_at, edition.behind_since) == (
        text_changed_at,
        behind_since,
    ):
        return None
    if edition is None and text_changed_at is None and behind_since is None:
        return None
    return text_changed_at, behind_since


def _stamp_fields(
    state: TranslationState,
    records: dict[str, FieldTranslation],
    article: Article,
    stored: Article | None,
    units: list[Unit],
    code: str,
    now: datetime,
    minor_edit: bool,
    machine: str,
    gone: list[FieldTranslation],
) -> tuple[set[str], set[str]]:
    """Record the source each target field was made from in `records`.

    Return the units whose target text was written now, and the units whose
    record changed (to be saved); stored records to delete go to `gone`.
    """
    source = article.source_language
    # The story as it read before, when its texts compare with today's.
    before = stored if stored is not None and stored.source_language == source else None
    written = set()
    changed = set()
    for unit in units:
        source_text = unit.text(article, source)
        target = unit.text(article, code)
        record = records.get(unit.key)
        if not target:
            # A cleared translation remembers nothing.
            if record is not None:
                if record.pk:
                    gone.append(record)
                del records[unit.key]
            continue
        if not source_text:
            continue
        before_target = before_source = None
        if before is not None:
            before_target = unit.text(before, code)
            before_source = unit.text(before, source)
        if stored is None or (before_target is not None and target != before_target):
            # Written now, from the source as it reads now.
            if unit.picture_word and not getattr(article, f"{unit.field}_{code}"):
                # The library's words for a picture just chosen: nobody here
                # translated them, so nobody becomes this language's translator.
                records[unit.key] = _fresh(record, state, unit, source_text, now, "")
                changed.add(unit.key)
                continue
            records[unit.key] = _fresh(record, state, unit, source_text, now, machine)
            changed.add(unit.key)
            written.add(unit.key)
        elif record is None:
            # Text we have no history for (older data, a unit new to the
            # story's states): take it as made from the current source.
            records[unit.key] = _fresh(record, state, unit, source_text, now, "")
            changed.add(unit.key)
        elif (
            minor_edit
            and before_source is not None
            and before_source != source_text
            and record.source_fingerprint == fingerprint(before_source)
        ):
            # A typo fixed in the source: the translation stays as fresh as
            # it was, now against the corrected text.
            record.source_fingerprint = fingerprint(source_text)
            record.source_text = source_text
            changed.add(unit.key)
    return written, changed


def _fresh(
    record: FieldTranslation | None,
    state: TranslationState,
    unit: Unit,
    source_text: str,
    now: datetime,
    machine: str,
) -> FieldTranslation:
    record = record or FieldTranslation(state=state, unit=unit.key)
    record.source_fingerprint = fingerprint(source_text)
    record.source_text = source_text
    record.is_machine = bool(machine)
    record.translated_at = now
    return record


def _status(
    state: TranslationState,
    records: dict[str, FieldTranslation],
    article: Article,
    units: list[Unit],
    code: str,
    review_required: bool = False,
) -> str:
    source = article.source_language
    wanted = [unit for unit in units if unit.text(article, source)]
    done = [unit for unit in wanted if unit.text(article, code)]
    # The library may word the picture in a language the story is not in:
    # only the story's other texts say its translation was begun.
    if not any(not unit.picture_word for unit in done):
        return Status.MISSING
    if any(
        records[unit.key].source_fingerprint != fingerprint(unit.text(article, source))
        for unit in done
    ):
        return Status.OUTDATED
    if len(done) < len(wanted):
        return Status.OUTDATED if state.status in COMPLETED else Status.IN_PROGRESS
    if any(records[unit.key].is_machine for unit in done):
        return Status.NEEDS_REVIEW
    if review_required and not _reviewed_since_written(state):
        return Status.NEEDS_REVIEW
    return Status.UP_TO_DATE


def _reviewed_since_written(state: TranslationState) -> bool:
    return bool(
        state.reviewed_at
        and state.translated_at
        and state.reviewed_at >= state.translated_at
    )


def reviewed_by_policy() -> set[str]:
    """Return the languages whose translations a person reviews before readers."""
    return set(
        LanguagePolicy.objects.filter(needs_review=True).values_list(
            "language", flat=True
        )
    )


def stale_fields(state: TranslationState) -> list[dict[str, Any]]:
    """Return the fields of `state` whose source changed since translation.

    Each with the unit, the source text translated from and the source now.
    """
    article = state.article
    by_unit = {record.unit: record for record in state.fields.all()}
    changes = []
    for unit in units_for(article):
        record = by_unit.get(unit.key)
        current = unit.text(article, article.source_language)
        if record is not None and record.source_fingerprint != fingerprint(current):
            changes.append({"unit": unit, "old": record.source_text, "new": current})
    return changes


def check_target_language(article: Article, language: str) -> None:
    """Refuse a language the story is not translated into (its own, or unknown)."""
    if language not in LANGUAGE_CODES or language == article.source_language:
        raise ValidationError(
            gettext("%(language)s is not a translation of this story.")
            % {"language": language_name(language)}
        )


def can_review(user: AnyUser, article: Article, language: str) -> bool:
    return permissions.is_editor(user) or language in (
        permissions.translation_languages_for(user, article)
    )


@transaction.atomic
def translation_review(
    *, article: Article, language: str, user: DeskUser
) -> TranslationState:
    """Approve the `language` translation of `article` as read by a person."""
    check_target_language(article, language)
    if not can_review(user, article, language):
        raise PermissionDenied
    Article.objects.select_for_update().get(pk=article.pk)
    state = TranslationState.objects.select_for_update().get(
        article=article, language=language
    )
    if state.status not in (Status.NEEDS_REVIEW, Status.UP_TO_DATE):
        raise ValidationError(
            gettext(
                "Only a complete translation of the current text can be approved; "
                "this one is %(state)s."
            )
            % {"state": state.get_status_display()}
        )
    if (
        language in reviewed_by_policy()
        and not state.has_machine_text
        and state.translated_by_id == user.pk
    ):
        raise ValidationError(
            gettext(
                "A second person reviews a translation: ask an editor or another "
                "translator of %(language)s."
            )
            % {"language": language_name(language)}
        )
    state.fields.update(is_machine=False)
    state.review_note = ""
    state.has_machine_text = False
    state.status = Status.UP_TO_DATE
    state.is_awaiting_review = False
    state.reviewed_by = user
    state.reviewed_at = timezone.now()
    state_save(state)
    return state


@transaction.atomic
def translation_return(
    *, article: Article, language: str, user: DeskUser, note: str
) -> TranslationState:
    """Send a translation waiting for review back to its translator, with a note.

    It stays withheld; the translator's next save asks for review again.
    """
    check_target_language(article, language)
    if not can_review(user, article, language):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError(gettext("Say what to change: the note is empty."))
    state = TranslationState.objects.select_for_update().get(
        article=article, language=language
    )
    if state.status != Status.NEEDS_REVIEW:
        raise ValidationError(
            gettext("Only a translation waiting for review can be returned.")
        )
    state.review_note = note
    state_save(state)
    translation_returned.send(
        sender=TranslationState,
        article=article,
        language=language,
        translator=state.translated_by,
        note=note,
        user=user,
    )
    return state


@transaction.atomic
def translation_set_published(
    *, article: Article, language: str, user: DeskUser, is_published: bool
) -> TranslationState:
    """Publish or unpublish `article` in one language; the others stay as they are."""
    if language not in LANGUAGE_CODES:
        raise ValidationError(gettext("Unknown language."))
    if not permissions.can_publish(user):
        raise PermissionDenied(gettext("You may not publish or unpublish stories."))
    Article.objects.select_for_update().get(pk=article.pk)
    state, _created = TranslationState.objects.select_for_update().get_or_create(
        article=article, language=language
    )
    state.is_published = is_published
    state_save(state)
    return state


def assignable_translators(language: str) -> QuerySet:
    """Return the active people who translate into `language`, by name."""
    return (
        get_user_model()
        .objects.with_perm(
            "translations.translate_story",
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(
            is_active=True,
            translator_languages__language=language,
        )
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


@transaction.atomic
def translation_assign(
    *,
    article: Article,
    language: str,
    assignee: DeskUser | None,
    due_on: date | None,
    priority: str,
    user: DeskUser,
) -> TranslationState:
    """Plan the `language` translation of `article`: who, by when, how urgently.

    Editors plan; the assignee must translate into `language`. A new
    assignee is told (`translation_assigned`, in this transaction).
    """
    if not permissions.is_editor(user):
        raise PermissionDenied(gettext("Only editors plan translations."))
    check_target_language(article, language)
    if priority not in Priority.values:
        raise ValidationError(gettext("Choose a priority from the list."))
    if (
        assignee is not None
        and not assignable_translators(language).filter(pk=assignee.pk).exists()
    ):
        raise ValidationError(
            gettext("%(person)s does not translate into %(language)s.")
            % {"person": display_name(assignee), "language": language_name(language)}
        )
    state, _created = TranslationState.objects.select_for_update().get_or_create(
        article=article, language=language
    )
    newly = assignee is not None and state.assignee_id != assignee.pk
    state.assignee, state.due_on, state.priority = assignee, due_on, priority
    state_save(state)
    if newly:
        translation_assigned.send(
            sender=TranslationState,
            article=article,
            language=language,
            assignee=assignee,
            due_on=due_on,
            priority=priority,
            user=user,
        )
    return state
