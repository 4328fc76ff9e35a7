"""axe-core (from npm, node_modules/) on the demo newsroom in every language."""

import re
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Article
from search.tokens import parse_query

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING_IMPACTS = {"serious", "critical"}

# Runs in the page: axe's violations, reduced to what a failure message shows.
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def full_story(language: str) -> Article:
    """A live story with a feature image, key points, sources and tags."""
    with translation.override(language):
        for article in (
            Article.objects.live(language)
            .filter(feature_image__isnull=False)
            .exclude(**{f"key_points_{language}": ""})
            .filter(sources__isnull=False)
            .distinct()
            .order_by("pk")
        ):
            if any(tag.name_in(language) for tag in article.tags.all()):
                return article
    raise AssertionError(f"the demo has no full story in {language}")


def serious_violations(page, axe_source: str) -> list[dict]:
    # Through DevTools: the page's Content-Security-Policy refuses inline scripts.
    page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} serious or critical violation(s) on {url}"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {target}" for target in v["targets"][:3]]
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_home_story_and_search_pages_pass_axe_and_start_with_the_skip_link(
    axe_source, recorded_page, live_server, tmp_path, language
):
    call_command("load_demo", login_file=str(tmp_path / "login"), stdout=StringIO())
    story = full_story(language)
    page = recorded_page.page
    with translation.override(language):
        headline = story.headline
    word = quote(parse_query(headline).terms[0])
    live = Article.objects.live(language)
    # The demo's stories with a gallery and with an inset figure and an embed.
    gallery = live.get(**{f"body_{language}__contains": "data-gallery"})
    embed = live.get(**{f"body_{language}__contains": "data-embed"})
    for path in (
        f"/{language}/",
        story.get_absolute_url(language),
        gallery.get_absolute_url(language),
        embed.get_absolute_url(language),
        f"/{language}/search/?q={word}",
    ):
        url = f"{live_server.url}{path}"
        page.goto(url)

        violations = serious_violations(page, axe_source)
        if violations:
            print(describe(url, violations))  # noqa: T201
        assert violations == [], describe(url, violations)
        assert page.evaluate("document.documentElement.lang") == language, url

        # The first Tab from the top of the page lands on the skip link.
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        expect(focused).to_have_attribute("href", re.compile(r"#content$"))
        outline = focused.evaluate("element => getComputedStyle(element).outlineStyle")
        assert outline != "none", url
    # The search page (the last one visited) found the story by its headline.
    expect(
        page.locator(f'.search-results a[href="{story.get_absolute_url(language)}"]')
    ).to_have_count(1)
    assert recorded_page.external_requests == []


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_the_desks_story_and_picture_forms_name_every_control(
    axe_source, recorded_page, live_server, language, settings
):
    from articles.tests.factories import ArticleFactory, UserFactory
    from images.tests.factories import ImageFactory

    # The workspace offers machine suggestions only when a translator is set.
    settings.NEWSROOM_MACHINE_TRANSLATOR = "offline"

    page = recorded_page.page
    from articles import services

    picture = ImageFactory()
    story = ArticleFactory(feature_image=picture)
    desk = UserFactory(username="desk-a11y", superuser=True)
    # Two revisions to list and compare.
    for headline in ("첫 제목", "둘째 제목"):
        story.headline_ko = headline
        services.article_save(
            article=story,
            user=desk,
            changed_fields=["headline_ko"],
            loaded_version=story.version,
        )
    older, newer = sorted(
        Version.objects.get_for_object(story).values_list("pk", flat=True)
    )
    # Notifications, one with a return note, on the front page and their list.
    from notifications.models import Notification
    from notifications.services import notify

    notify(
        kind=Notification.Kind.RETURNED,
        article=story,
        recipients=[desk],
        actor=desk,
        note="두 번째 출처를 밝혀 주세요.",
    )
    notify(kind=Notification.Kind.SUBMITTED, article=story, recipients=[desk])
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "desk-a11y")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    for path in (
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/article/{story.pk}/change/",
        f"/admin/images/image/{picture.pk}/change/",
        f"/admin/articles/article/{story.pk}/revisions/",
        f"/admin/articles/article/{story.pk}/revisions/compare/"
        f"?from={older}&to={newer}",
        "/admin/articles/article/add/",
        "/admin/notifications/notification/",
        "/admin/images/image/",
        "/admin/images/image/upload/",
        "/admin/background-work/",
        "/admin/translations/translationstate/",
        "/admin/translations/translationstate/my-work/",
        f"/admin/articles/article/{story.pk}/translate/ja/",
        "/admin/translations/languagepolicy/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        # The editor and the autocompletes draw themselves after the page.
        # The language tabs lose their inner links (static/js/desk_tabs.js).
        page.wait_for_function(
            """() => (!document.querySelector(".ui-tabs")
              || document.getElementById("modeltranslation-main-switch")
                ?.hasAttribute("aria-label"))
              && !document.querySelector('[role="tab"] > a[href]')
              && [...document.querySelectorAll(
                '[contenteditable="true"], .select2-selection[role=combobox]'
              )].every((element) => element.hasAttribute("aria-label"))"""
        )
        # The toolbar's icons are ligatures of an icon font: until it loads,
        # axe reads "translate" as a button's visible text.
        page.evaluate("() => document.fonts.ready.then(() => true)")
        violations = serious_violations(page, axe_source)
        assert violations == [], describe(path, violations)
    # The workspace with a draft kept, its problems listed and a machine
    # suggestion shown.
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/translate/ja/")
    page.locator("#seg-headline").fill("見出し {9}")
    page.locator("button[name=_draft]").first.click()
    page.wait_for_selector(".workspace-draft")
    page.locator(".segment-suggest").first.click()
    page.wait_for_selector(".segment-suggestion .match-use")
    violations = serious_violations(page, axe_source)
    assert violations == [], describe("the workspace with a draft", violations)
    # The picture chooser, open over the story form.
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector("#id_feature_image[data-dressed]", state="attached")
    page.locator(".chooser-open").click()
    page.wait_for_selector("dialog.chooser .chooser-item")
    violations = serious_violations(page, axe_source)
    assert violations == [], describe("the chooser", violations)
