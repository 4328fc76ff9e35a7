"""Send the desk forged requests as each role and count the escalations.

    .venv/bin/python -m bench.forged_requests [--verbose]

Builds a throwaway newsroom in a temporary SQLite file (test settings: fast
hashing, files in memory), logs in as a reporter, a Japanese translator and
an editor, and sends requests that their screens never offer them: fields
posted that their form does not show, other people's stories and pictures,
actions and views of other roles, stale forms. Each attempt is checked in the
database afterwards. It prints one line per attempt and the totals: attempts,
refused, escalations (a change that went through) and server errors, then
times the login throttle (wrong passwords until the lock, and whether the
right password works during the lock).
"""

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Attempt:
    who: str
    what: str
    send: Callable
    escalated: Callable[[], bool]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="newsroom-forged-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.test"
    import logging

    import django

    django.setup()
    # Refusals log a warning with a traceback each: keep the report readable.
    logging.disable(logging.CRITICAL)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    world = build_world()
    attempts = forged_attempts(world, options.verbose)
    totals = {"attempts": 0, "refused": 0, "escalations": 0, "errors": 0}
    for attempt in attempts:
        if hasattr(attempt.escalated, "arm"):
            attempt.escalated.arm()
        response = attempt.send()
        escalated = attempt.escalated()
        totals["attempts"] += 1
        totals["escalations"] += escalated
        totals["errors"] += response.status_code >= 500
        totals["refused"] += not escalated
        if options.verbose or escalated or response.status_code >= 500:
            verdict = "ESCALATION" if escalated else "refused"
            print(
                f"{verdict:<10} {response.status_code} {attempt.who:<10} {attempt.what}"
            )
    print(
        "forged requests: {attempts}, refused: {refused}, "
        "escalations: {escalations}, server errors: {errors}".format(**totals)
    )
    login_throttle()


def build_world() -> dict:
    from django.test import Client
    from django.urls import reverse

    from articles.models import Article
    from articles.tests.factories import (
        ArticleFactory,
        AuthorFactory,
        CategoryFactory,
        UserFactory,
    )
    from images.tests.factories import ImageFactory
    from related.models import Source
    from tags.models import Tag

    people = {
        "reporter": UserFactory(username="reporter", role="reporter"),
        "other": UserFactory(username="other", role="reporter"),
        "translator": UserFactory(
            username="translator", role="translator", languages=("ja",)
        ),
        "editor": UserFactory(username="editor", role="editor"),
        "editor2": UserFactory(username="editor2", role="editor"),
    }
    clients = {}
    for name, user in people.items():
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(user)
    clients["anonymous"] = Client(raise_request_exception=False)

    others_picture = ImageFactory(caption_ko="원래 설명", credit="사진부")
    own_picture = ImageFactory()
    uploader = next(
        (
            field.name
            for field in others_picture._meta.fields
            if field.name in ("uploaded_by", "created_by")
        ),
        None,
    )
    if uploader:
        type(others_picture).objects.filter(pk=others_picture.pk).update(
            **{uploader: people["other"]}
        )
        type(own_picture).objects.filter(pk=own_picture.pk).update(
            **{uploader: people["reporter"]}
        )
    stories = {
        "own_draft": ArticleFactory(
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=people["reporter"],
        ),
        "own_live": ArticleFactory(created_by=people["reporter"]),
        "others_draft": ArticleFactory(
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=people["other"],
        ),
        "others_live": ArticleFactory(
            created_by=people["other"], feature_image=others_picture
        ),
        "ja_source": ArticleFactory(created_by=people["other"], source_language="ja"),
    }
    Source.objects.create(
        article=stories["others_live"],
        publisher="통계청",
        title="항만 통계",
        url="https://example.org/",
    )
    # A revision to restore: the story as the desk saved it once.
    from core.tests.formdata import form_data

    url = reverse("admin:articles_article_change", args=[stories["others_live"].pk])
    data = form_data(clients["editor"].get(url).content.decode(), "article_form")
    data["_save"] = ["Save"]
    if clients["editor"].post(url, data).status_code != 302:
        raise RuntimeError("the editor could not save a story")
    return {
        "people": people,
        "clients": clients,
        "stories": stories,
        "pictures": {"others": others_picture, "own": own_picture},
        "category": CategoryFactory(),
        "author": AuthorFactory(),
        "tag": Tag.objects.create(name_ko="항만", name_ja="港湾", name_en="ports"),
    }


def forged_attempts(world: dict, verbose: bool = False) -> list[Attempt]:
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from reversion.models import Version

    from articles.models import Author, Category, Correction
    from core.tests.formdata import form_data
    from related.models import Source
    from tags.models import Tag
    from translations.models import GlossaryTerm, TranslationState

    clients, stories = world["clients"], world["stories"]
    pictures, people = world["pictures"], world["people"]

    def fresh(obj):
        return type(obj).objects.get(pk=obj.pk)

    def story_form(story, opener="editor") -> dict:
        """The story's form as the opener's browser would post it."""
        url = reverse("admin:articles_article_change", args=[story.pk])
        page = clients[opener].get(url)
        data = form_data(page.content.decode(), "article_form")
        data["_save"] = ["Save"]
        return data

    def post_story(who, story, opener="editor", **changes):
        data = story_form(story, opener)
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = [value]
        url = reverse("admin:articles_article_change", args=[story.pk])
        return lambda: clients[who].post(url, data)

    def post_image(who, image, opener="editor", **changes):
        url = reverse("admin:images_image_change", args=[image.pk])
        page = clients[opener].get(url)
        data = form_data(page.content.decode(), "image_form")
        data["_save"] = ["Save"]
        files = {}
        for name, value in changes.items():
            if hasattr(value, "read"):
                files[name] = value
            else:
                data[name] = [value]
        return lambda: clients[who].post(url, {**data, **files})

    class Changed:
        """Whether `names` of `obj` differ from what they were just before."""

        def __init__(self, obj, names) -> None:
            self.obj, self.names = obj, names
            self.before: dict = {}

        def read(self) -> dict:
            now = fresh(self.obj)
            # An empty translation reads None or "" depending on the path.
            values = {name: getattr(now, name) or "" for name in self.names}
            if "file" in values:
                values["file"] = now.file.name
            return values

        def arm(self) -> None:
            self.before = self.read()

        def __call__(self) -> bool:
            after = self.read()
            differ = [name for name in self.names if after[name] != self.before[name]]
            if differ and verbose:
                print("   changed:", ", ".join(differ))
            return bool(differ)

    def story_changed(story):
        return Changed(
            story,
            (
                "headline_ko",
                "headline_ja",
                "headline_en",
                "status",
                "published_at",
                "placement",
                "is_breaking",
                "category_id",
            ),
        )

    def image_changed(image):
        return Changed(
            image,
            (
                "caption_ko",
                "caption_ja",
                "caption_en",
                "alt_text_ko",
                "credit_ko",
                "is_ai_generated",
                "file",
            ),
        )

    def exists(model, **lookup):
        return lambda: model.objects.filter(**lookup).exists()

    def gone(obj):
        return lambda: not type(obj).objects.filter(pk=obj.pk).exists()

    def action(who, name, *objects):
        url = reverse("admin:articles_article_changelist")
        data = {"action": name, "_selected_action": [o.pk for o in objects]}
        data["post"] = "yes"
        return lambda: clients[who].post(url, data)

    def delete(who, obj, model="article"):
        url = reverse(f"admin:articles_{model}_delete", args=[obj.pk])
        return lambda: clients[who].post(url, {"post": "yes"})

    def upload():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from images.tests.factories import png_bytes

        return SimpleUploadedFile("swap.png", png_bytes(12, 9), "image/png")

    def state(story, language):
        return TranslationState.objects.get(article=story, language=language)

    def state_changed(story, language):
        before = state(story, language)
        snapshot = (before.status, before.is_published, before.reviewed_by_id)

        def check() -> bool:
            now = state(story, language)
            return (now.status, now.is_published, now.reviewed_by_id) != snapshot

        return check

    def po_import(who, story, language, field, text):
        url = reverse("admin:translations_import")
        body = (
            'msgid ""\nmsgstr ""\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n'
            f'"Language: {language}\\n"\n'
            f'"X-Source-Language: {story.source_language}\\n"\n\n'
            f'msgctxt "article:{story.pk}:{field}"\n'
            f'msgid "{getattr(story, field + "_" + story.source_language)}"\n'
            f'msgstr "{text}"\n'
        ).encode()
        from django.core.files.uploadedfile import SimpleUploadedFile

        def send():
            return clients[who].post(
                url,
                {
                    "file": SimpleUploadedFile("forged.po", body, "text/x-gettext"),
                    "apply": "on",
                },
            )

        return send

    own_draft, own_live = stories["own_draft"], stories["own_live"]
    others_draft, others_live = stories["others_draft"], stories["others_live"]
    ja_source = stories["ja_source"]
    others_picture, own_picture = pictures["others"], pictures["own"]
    version = Version.objects.get_for_object(others_live).first()
    restore_url = reverse(
        "admin:articles_article_revisions_restore",
        args=[others_live.pk, version.pk if version else 0],
    )
    user_model = get_user_model()
    seen: dict = {}

    def read_draft():
        seen["draft"] = clients["anonymous"].get(
            f"/ko/stories/{fresh(others_draft).slug_ko}/"
        )
        return seen["draft"]

    attempts = [
        # A reporter's own draft: fields their form does not offer.
        Attempt(
            "reporter",
            "publish own draft through the status field",
            post_story("reporter", own_draft, status="published"),
            story_changed(own_draft),
        ),
        Attempt(
            "reporter",
            "schedule own draft (published_at posted)",
            post_story(
                "reporter",
                own_draft,
                published_at_0="2030-01-01",
                published_at_1="09:00:00",
            ),
            story_changed(own_draft),
        ),
        Attempt(
            "reporter",
            "make own draft the top story",
            post_story("reporter", own_draft, placement="top"),
            story_changed(own_draft),
        ),
        Attempt(
            "reporter",
            "mark own draft breaking news",
            post_story("reporter", own_draft, is_breaking="on"),
            story_changed(own_draft),
        ),
        Attempt(
            "reporter",
            "add a correction to own draft",
            post_story(
                "reporter",
                own_draft,
                **{
                    "corrections-TOTAL_FORMS": "1",
                    "corrections-0-text_ko": "정정합니다.",
                },
            ),
            exists(Correction, article=own_draft),
        ),
        # Other people's stories and stories past the reporter's stage.
        Attempt(
            "reporter",
            "edit another reporter's draft",
            post_story("reporter", others_draft, headline_ko="가로챈 제목"),
            story_changed(others_draft),
        ),
        Attempt(
            "reporter",
            "edit another reporter's live story",
            post_story("reporter", others_live, headline_ko="가로챈 제목"),
            story_changed(others_live),
        ),
        Attempt(
            "reporter",
            "edit own story after it was published",
            post_story("reporter", own_live, headline_ko="몰래 고친 제목"),
            story_changed(own_live),
        ),
        Attempt(
            "reporter",
            "delete another reporter's draft",
            delete("reporter", others_draft),
            gone(others_draft),
        ),
        Attempt(
            "reporter",
            "delete own draft",
            delete("reporter", own_draft),
            gone(own_draft),
        ),
        Attempt(
            "reporter",
            "list action: publish own draft",
            action("reporter", "publish_selected", own_draft),
            story_changed(own_draft),
        ),
        Attempt(
            "reporter",
            "list action: unpublish another's live story",
            action("reporter", "unpublish_selected", others_live),
            story_changed(others_live),
        ),
        Attempt(
            "reporter",
            "list action: delete another reporter's draft",
            action("reporter", "delete_selected", others_draft),
            gone(others_draft),
        ),
        Attempt(
            "reporter",
            "restore a revision of another's live story",
            lambda: clients["reporter"].post(restore_url),
            story_changed(others_live),
        ),
        Attempt(
            "reporter",
            "unpublish another's story in Japanese",
            lambda: clients["reporter"].post(
                reverse(
                    "admin:articles_article_translation_publish",
                    args=[others_live.pk, "ja"],
                ),
                {"is_published": "0"},
            ),
            state_changed(others_live, "ja"),
        ),
        # A Japanese translator: only the Japanese text of stories.
        Attempt(
            "translator",
            "rewrite the Korean source headline",
            post_story("translator", others_live, headline_ko="번역가가 바꾼 원문"),
            story_changed(others_live),
        ),
        Attempt(
            "translator",
            "rewrite the English headline (not their language)",
            post_story("translator", others_live, headline_en="Changed"),
            story_changed(others_live),
        ),
        Attempt(
            "translator",
            "rewrite the Japanese source of a Japanese story",
            post_story("translator", ja_source, headline_ja="翻訳者が変えた原文"),
            story_changed(ja_source),
        ),
        Attempt(
            "translator",
            "unpublish a story through the status field",
            post_story("translator", others_live, status="unpublished"),
            story_changed(others_live),
        ),
        Attempt(
            "translator",
            "move a story to another section",
            post_story("translator", others_live, category=str(world["category"].pk)),
            story_changed(others_live),
        ),
        Attempt(
            "translator",
            "delete a story's source citation",
            post_story(
                "translator",
                others_live,
                **{"related_sources-0-DELETE": "on", "sources-0-DELETE": "on"},
            ),
            lambda: not Source.objects.filter(article=others_live).exists(),
        ),
        Attempt(
            "translator",
            "add a source citation",
            post_story(
                "translator",
                others_live,
                **{
                    "sources-TOTAL_FORMS": "2",
                    "sources-1-publisher": "forged",
                    "sources-1-title": "forged",
                    "sources-1-url": "https://forged.example/",
                },
            ),
            lambda: Source.objects.filter(title="forged").exists(),
        ),
        Attempt(
            "translator",
            "delete a story",
            delete("translator", others_live),
            gone(others_live),
        ),
        Attempt(
            "translator",
            "list action: publish a draft",
            action("translator", "publish_selected", others_draft),
            story_changed(others_draft),
        ),
        Attempt(
            "translator",
            "restore a revision",
            lambda: clients["translator"].post(restore_url),
            story_changed(others_live),
        ),
        Attempt(
            "translator",
            "unpublish the Japanese translation (editors only)",
            lambda: clients["translator"].post(
                reverse(
                    "admin:articles_article_translation_publish",
                    args=[others_live.pk, "ja"],
                ),
                {"is_published": "0"},
            ),
            state_changed(others_live, "ja"),
        ),
        Attempt(
            "translator",
            "approve the English translation",
            lambda: clients["translator"].post(
                reverse(
                    "admin:articles_article_translation_review",
                    args=[others_live.pk, "en"],
                )
            ),
            state_changed(others_live, "en"),
        ),
        Attempt(
            "translator",
            "import a PO file into English",
            po_import("translator", others_live, "en", "headline", "Forged"),
            story_changed(others_live),
        ),
        Attempt(
            "translator",
            "import a PO file over a Japanese source",
            po_import("translator", ja_source, "ja", "headline", "偽の見出し"),
            story_changed(ja_source),
        ),
        # Pictures.
        Attempt(
            "reporter",
            "recaption a picture on another's live story",
            post_image("reporter", others_picture, caption_ko="바꾼 설명"),
            image_changed(others_picture),
        ),
        Attempt(
            "reporter",
            "change the credit of another's picture",
            post_image("reporter", others_picture, credit_ko="Forged"),
            image_changed(others_picture),
        ),
        Attempt(
            "reporter",
            "replace the file of another's picture",
            post_image("reporter", others_picture, file=upload()),
            image_changed(others_picture),
        ),
        Attempt(
            "reporter",
            "unlabel an AI picture (is_ai_generated)",
            post_image("reporter", others_picture, is_ai_generated=""),
            image_changed(others_picture),
        ),
        Attempt(
            "reporter",
            "delete another's picture",
            delete("reporter", others_picture, "image"),
            gone(others_picture),
        ),
        Attempt(
            "translator",
            "change a picture's credit",
            post_image("translator", own_picture, credit_ko="Forged"),
            image_changed(own_picture),
        ),
        Attempt(
            "translator",
            "recaption a picture in English (not their language)",
            post_image("translator", own_picture, caption_en="Forged"),
            image_changed(own_picture),
        ),
        Attempt(
            "translator",
            "recaption a picture in Korean",
            post_image("translator", own_picture, caption_ko="바꾼 설명"),
            image_changed(own_picture),
        ),
        # The desk's reference data and people.
        Attempt(
            "reporter",
            "create a section",
            lambda: clients["reporter"].post(
                reverse("admin:articles_category_add"),
                {"name_ko": "위조", "name_ja": "偽", "name_en": "Forged"},
            ),
            exists(Category, name_en="Forged"),
        ),
        Attempt(
            "reporter",
            "rename an author",
            lambda: clients["reporter"].post(
                reverse("admin:articles_author_change", args=[world["author"].pk]),
                {"name_ko": "위조", "name_ja": "偽", "name_en": "Forged"},
            ),
            exists(Author, name_en="Forged"),
        ),
        Attempt(
            "reporter",
            "rename a tag",
            lambda: clients["reporter"].post(
                reverse("admin:tags_tag_change", args=[world["tag"].pk]),
                {"name_ko": "위조", "name_ja": "偽", "name_en": "forged"},
            ),
            exists(Tag, name_en="forged"),
        ),
        Attempt(
            "translator",
            "delete a glossary term",
            lambda: clients["translator"].post(
                reverse(
                    "admin:translations_glossaryterm_delete",
                    args=[
                        GlossaryTerm.objects.get_or_create(
                            name_ko="부산항", name_ja="釜山港", name_en="Busan port"
                        )[0].pk
                    ],
                ),
                {"post": "yes"},
            ),
            lambda: not GlossaryTerm.objects.filter(name_en="Busan port").exists(),
        ),
        Attempt(
            "reporter",
            "make themselves an editor",
            lambda: clients["reporter"].post(
                reverse("admin:auth_user_change", args=[people["reporter"].pk]),
                {"username": "reporter", "groups": ["2"], "is_superuser": "on"},
            ),
            lambda: (
                user_model.objects.get(pk=people["reporter"].pk).is_superuser
                or people["reporter"].groups.count() != 1
            ),
        ),
        Attempt(
            "translator",
            "add English to their own languages",
            lambda: clients["translator"].post(
                reverse("admin:auth_user_change", args=[people["translator"].pk]),
                {
                    "username": "translator",
                    "translator_languages-TOTAL_FORMS": "2",
                    "translator_languages-INITIAL_FORMS": "1",
                    "translator_languages-1-language": "en",
                },
            ),
            lambda: people["translator"].translator_languages.count() != 1,
        ),
        # Stale forms: the last save must not be lost.
        Attempt(
            "editor",
            "save a stale form without its version field",
            stale_save(clients, others_live, post_story, omit_version=True),
            lambda: fresh(others_live).headline_en != "Saved second by editor2",
        ),
        Attempt(
            "editor",
            "save a stale picture form over another editor's caption",
            stale_image_save(clients, own_picture, post_image),
            lambda: fresh(own_picture).caption_en != "Saved second by editor2",
        ),
        # Readers.
        Attempt(
            "anonymous",
            "post to a story's change form",
            lambda: clients["anonymous"].post(
                reverse("admin:articles_article_change", args=[own_draft.pk]),
                {"headline_ko": "익명"},
            ),
            story_changed(own_draft),
        ),
        Attempt(
            "anonymous",
            "read a draft on the public site",
            read_draft,
            lambda: seen["draft"].status_code == 200,
        ),
    ]
    return attempts


def stale_save(clients, story, post_story, *, omit_version: bool):
    """Editor opens the form; editor2 saves; editor posts the old form."""
    stale = post_story(
        "editor",
        story,
        headline_en="Saved first by editor, from a stale form",
        loaded_version=None if omit_version else "1",
    )

    def send():
        saved = post_story("editor2", story, headline_en="Saved second by editor2")()
        if saved.status_code != 302:
            raise RuntimeError("editor2 could not save the story")
        return stale()

    # The stale form is read before editor2 saves: post_story reads it now.
    return send


def stale_image_save(clients, image, post_image):
    stale = post_image("editor", image, caption_en="Saved first by editor")

    def send():
        saved = post_image("editor2", image, caption_en="Saved second by editor2")()
        if saved.status_code != 302:
            raise RuntimeError("editor2 could not save the picture")
        return stale()

    return send


def login_throttle() -> None:
    """Try wrong passwords on one account until refused, then the right one."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    right = "right-horse-battery"
    get_user_model().objects.create_user("target", password=right, is_staff=True)
    url = reverse("admin:login")

    def log_in(address: str, password: str) -> tuple[Client, int]:
        client = Client(raise_request_exception=False, REMOTE_ADDR=address)
        response = client.post(url, {"username": "target", "password": password})
        return client, response.status_code

    locked_at = None
    started = time.perf_counter()
    for attempt in range(1, 51):
        _client, status = log_in("203.0.113.7", f"wrong{attempt}")
        if status in (403, 429):
            locked_at = attempt
            break
    elapsed = time.perf_counter() - started
    tried = locked_at or 50
    lock = (
        f"wrong password {locked_at} answered as locked out"
        if locked_at
        else "never locked in 50 wrong passwords"
    )
    client, status = log_in("203.0.113.7", right)
    same = "logged in" if "_auth_user_id" in client.session else f"refused ({status})"
    client, status = log_in("198.51.100.9", right)
    other = "logged in" if "_auth_user_id" in client.session else f"refused ({status})"
    print(
        f"login throttle: {lock} ({elapsed * 1000 / tried:.1f} ms a try); "
        f"the right password then, same address: {same}; "
        f"another address: {other}"
    )


if __name__ == "__main__":
    main()
