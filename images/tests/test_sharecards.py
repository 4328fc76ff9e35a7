"""Share cards: fonts per language, line breaking, drawing, staleness, the view."""

import io
import logging
import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PillowImage
from PIL import ImageFont

from articles.models import Article
from articles.tests.factories import ArticleFactory
from images.checks import check_card_fonts
from images.models import ShareCard
from images.sharecards import drawing, fonts, linebreak, storage
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

HIEROGLYPH = "\U00013000"  # in no font a newsroom machine has
HEADLINES = {
    "ko": "서울 지하철 심야 운행 연장, 다음 달부터 새벽 1시 30분까지 시범 운영",
    "ja": "韓国銀行、政策金利を年2.25%に据え置き　「物価の動向を慎重に見極める」",
    "en": "Bank of Korea holds its policy rate at 2.25% as inflation cools",
}
SITE_NAMES = {"ko": "뉴스룸", "ja": "ニュースルーム", "en": "Newsroom"}
AI_LABELS = {"ko": "AI 생성 이미지", "ja": "AI生成画像", "en": "AI-generated image"}


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    # A new in-memory storage per test: card names repeat when ids do.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def cjk_fonts():
    missing = fonts.cjk_fonts_missing()
    if missing:
        message = (
            f"no Noto Sans CJK Bold font for {', '.join(missing)} "
            "(install Debian's fonts-noto-cjk)"
        )
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"NEWSROOM_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)


@pytest.fixture
def no_fonts(settings, monkeypatch, tmp_path):
    """A machine without any of the fonts cards look for."""
    monkeypatch.setattr(fonts, "SYSTEM_FONT_DIRS", ())
    settings.NEWSROOM_CARD_FONT_DIR = str(tmp_path)


@pytest.fixture
def drawn(monkeypatch):
    """Record the plan of every card drawn."""
    plans = []
    draw_card = drawing.draw_card

    def recording(plan, picture):
        plans.append(plan)
        return draw_card(plan, picture)

    monkeypatch.setattr(drawing, "draw_card", recording)
    return plans


def photo_bytes(width: int = 1600, height: int = 900) -> bytes:
    """Return a JPEG with something in it, light at the top."""
    across = PillowImage.linear_gradient("L").rotate(90).resize((width, height))
    down = PillowImage.linear_gradient("L").resize((width, height))
    flat = PillowImage.new("L", (width, height), 180)
    buffer = io.BytesIO()
    PillowImage.merge("RGB", (across, flat, down)).save(buffer, "JPEG")
    return buffer.getvalue()


def picture(**kwargs):
    return ImageFactory(file__data=photo_bytes(), file__filename="photo.jpg", **kwargs)


def story(**kwargs) -> Article:
    fields = {f"headline_{code}": text for code, text in HEADLINES.items()}
    return ArticleFactory(**{**fields, **kwargs})


def open_card(card: ShareCard) -> PillowImage.Image:
    with default_storage.open(card.file.name) as handle:
        image = PillowImage.open(io.BytesIO(handle.read()))
        image.load()
    return image


class Monospace:
    """Every character ten wide: line breaking without a real font."""

    def getlength(self, text: str) -> float:
        return 10 * len(text)


# Line breaking


def test_korean_breaks_only_at_spaces():
    text = "서울 지하철 심야 운행 연장 다음 달부터"
    lines = linebreak.wrap_headline(text, "ko", Monospace(), 70)
    assert lines == ["서울 지하철", "심야 운행", "연장 다음", "달부터"]
    assert [w for line in lines for w in line.split()] == text.split()


def test_japanese_breaks_between_characters_but_not_before_stops():
    text = "韓国銀行、政策金利を据え置き。物価を注視"
    lines = linebreak.wrap_headline(text, "ja", Monospace(), 60)
    assert "".join(lines) == text
    # Mid-word: 政策 is split across lines.
    assert lines[0].endswith("政") and lines[1].startswith("策")
    assert not any(line[0] in "、。」）ー" for line in lines)


def test_japanese_kinsoku_moves_a_character_with_its_stop_or_bracket():
    lines = linebreak.wrap_headline("あいうえお。かきくけこ", "ja", Monospace(), 50)
    assert lines == ["あいうえ", "お。かきく", "けこ"]
    lines = linebreak.wrap_headline("あいう「かきく」", "ja", Monospace(), 40)
    assert lines == ["あいう", "「かき", "く」"]
    assert not any(line.endswith("「") for line in lines)
    assert not any(line.startswith(("ー", "ッ")) for line in lines[1:])


def test_japanese_keeps_latin_words_and_numbers_whole():
    lines = linebreak.wrap_headline("日本のGDP成長率2.25%に", "ja", Monospace(), 50)
    assert lines == ["日本の", "GDP成長", "率", "2.25%", "に"]


def test_japanese_keeps_an_ideographic_space():
    text = "首相　会見へ"
    assert linebreak.wrap_headline(text, "ja", Monospace(), 1000) == [text]


def test_english_breaks_at_words():
    text = "Port cargo rises for the twelfth month"
    lines = linebreak.wrap_headline(text, "en", Monospace(), 100)
    assert lines == ["Port cargo", "rises for", "the", "twelfth", "month"]
    assert " ".join(lines) == text


def test_a_word_longer_than_the_line_is_broken_between_characters():
    lines = linebreak.wrap_headline("A Supercalifragilistic day", "en", Monospace(), 50)
    assert lines == ["A", "Super", "calif", "ragil", "istic", "day"]


def test_balanced_lines_keep_the_count_and_even_out():
    text = "Port cargo rises for the twelfth month"
    greedy = linebreak.wrap_headline(text, "en", Monospace(), 300)
    balanced = linebreak.balanced_wrap(text, "en", Monospace(), 300)
    assert len(balanced) == len(greedy) == 2
    assert " ".join(balanced) == text
    lengths = [len(line) for line in balanced]
    assert max(lengths) - min(lengths) < max(map(len, greedy)) - min(map(len, greedy))


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_real_lines_fit_the_card(cjk_fonts, language):
    font = fonts.font_for(language).font(72)
    lines = linebreak.wrap_headline(HEADLINES[language], language, font, 1056)
    assert len(lines) > 1
    assert all(font.getlength(line) <= 1056 for line in lines)


# Fonts and glyphs


def test_each_language_gets_its_noto_cjk_face(cjk_fonts):
    names = {code: fonts.font_for(code).font(20).getname() for code in HEADLINES}
    assert names["ko"] == ("Noto Sans CJK KR", "Bold")
    assert names["ja"] == ("Noto Sans CJK JP", "Bold")
    assert names["en"][1] == "Bold"


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_missing_glyphs_are_found(cjk_fonts, language):
    font = fonts.font_for(language).font(48)
    assert fonts.has_all_glyphs(font, HEADLINES[language])
    assert not fonts.has_all_glyphs(font, HIEROGLYPH)
    assert fonts.missing_glyphs(font, f"AI {HIEROGLYPH} 가 か") == {HIEROGLYPH}


def test_missing_glyphs_are_found_in_pillows_own_font():
    font = ImageFont.load_default(40)
    assert fonts.has_all_glyphs(font, "Port cargo rises")
    assert fonts.missing_glyphs(font, "Port 항만") == {"항", "만"}


def test_symbols_a_font_lacks_are_left_out_but_missing_letters_drop_the_text():
    font = ImageFont.load_default(40)
    assert fonts.settable(font, "Port cargo 🔥 rises") == "Port cargo  rises"
    assert fonts.settable(font, "Port cargo 항만") == ""


def test_a_font_directory_setting_is_searched_first(cjk_fonts, settings, tmp_path):
    installed = fonts.font_for("ko")
    (tmp_path / Path(installed.path).name).symlink_to(installed.path)
    settings.NEWSROOM_CARD_FONT_DIR = str(tmp_path)
    face = fonts.font_for("ko")
    assert Path(face.path).parent == tmp_path
    assert face.font(20).getname() == ("Noto Sans CJK KR", "Bold")


def test_without_fonts_korean_and_japanese_cards_have_no_text(no_fonts, caplog):
    with caplog.at_level(logging.WARNING, logger="images.sharecards.fonts"):
        assert fonts.font_for("ko") is None
        assert fonts.font_for("ja") is None
        assert fonts.font_for("ko") is None
    assert len(caplog.records) == 1
    assert "fonts-noto-cjk" in caplog.records[0].getMessage()
    assert fonts.font_for("en") == fonts.PILLOW_DEFAULT

    plan = drawing.plan_card(
        HEADLINES["ko"], "ko", site_name=SITE_NAMES["ko"], label=AI_LABELS["ko"]
    )
    assert plan.headline_lines == []
    # The AI label is never dropped: in English if it cannot be in Korean.
    assert [run.text for run in plan.runs] == ["AI-generated image"]
    assert all(fonts.has_all_glyphs(run.font, run.text) for run in plan.runs)


def test_without_fonts_english_cards_use_pillows_font(no_fonts, drawn):
    article = story(feature_image=None)
    card = storage.share_card(article, "en")
    assert open_card(card).size == (1200, 630)
    (plan,) = drawn
    assert " ".join(plan.headline_lines) == HEADLINES["en"]
    for run in plan.runs:
        assert run.font.getname() == ("Aileron", "Regular")
        assert fonts.has_all_glyphs(run.font, run.text)


def test_the_system_check_names_the_missing_fonts(no_fonts):
    (warning,) = check_card_fonts(None)
    assert warning.id == "articles.W010"
    assert "ko, ja" in warning.msg
    assert "fonts-noto-cjk" in warning.hint


def test_the_system_check_is_quiet_with_the_fonts(cjk_fonts):
    assert check_card_fonts(None) == []


# Cards


def white_pixels(image: PillowImage.Image, box: tuple[int, int, int, int]) -> int:
    region = image.convert("RGB").crop(box)
    return sum(1 for pixel in region.get_flattened_data() if min(pixel) > 235)


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
@pytest.mark.parametrize("with_picture", [True, False])
def test_cards_render_in_each_language_without_missing_glyphs(
    cjk_fonts, drawn, language, with_picture
):
    image = picture(is_ai_generated=True) if with_picture else None
    article = story(feature_image=image)

    card = storage.share_card(article, language)

    assert card.language == language
    assert card.file.name.startswith(f"cards/{article.pk}/{language}-")
    drawn_card = open_card(card)
    assert drawn_card.size == (1200, 630)
    assert drawn_card.format == ("JPEG" if with_picture else "PNG")
    (plan,) = drawn
    texts = [run.text for run in plan.runs]
    assert SITE_NAMES[language] in texts
    assert (AI_LABELS[language] in texts) is with_picture
    assert "".join("".join(plan.headline_lines).split()) == "".join(
        HEADLINES[language].split()
    )
    assert 2 <= len(plan.headline_lines) <= 4
    expected_face = {"ko": "Noto Sans CJK KR", "ja": "Noto Sans CJK JP"}
    for run in plan.runs:
        assert fonts.has_all_glyphs(run.font, run.text), run.text
        if language in expected_face:
            assert run.font.getname()[0] == expected_face[language]
    # The headline is there, in white, over the lower part of the card.
    assert white_pixels(drawn_card, (72, 250, 1128, 580)) > 5000


def test_an_ai_generated_picture_is_marked_in_the_card_file(cjk_fonts):
    article = story(feature_image=picture(is_ai_generated=True))
    card = storage.share_card(article, "ko")
    with default_storage.open(card.file.name) as handle:
        assert b"compositeWithTrainedAlgorithmicMedia" in handle.read()


def test_the_crop_keeps_the_focal_point(cjk_fonts):
    # A wide picture, black on the left half, white on the right.
    source = PillowImage.new("RGB", (2400, 630), "black")
    source.paste("white", (1200, 0, 2400, 630))
    buffer = io.BytesIO()
    source.save(buffer, "PNG")
    image = ImageFactory(file__data=buffer.getvalue(), focal_x=0.9, focal_y=0.5)
    cropped = drawing.card_picture(image)
    assert cropped.size == (1200, 630)
    assert cropped.getpixel((20, 20)) == (255, 255, 255)


def test_a_long_headline_is_shortened_to_four_lines(cjk_fonts, drawn):
    article = story(headline_ko=" ".join(["항만 물동량 증가"] * 30)[:200])
    storage.share_card(article, "ko")
    (plan,) = drawn
    assert len(plan.headline_lines) == 4
    assert plan.headline_lines[-1].endswith("…")


def test_the_same_story_twice_is_drawn_once(cjk_fonts, drawn):
    article = story(feature_image=picture())
    first = storage.share_card(article, "ja")
    again = storage.share_card(Article.objects.get(pk=article.pk), "ja")
    assert again.pk == first.pk
    assert again.file.name == first.file.name
    assert len(drawn) == 1


def test_a_new_headline_draws_a_new_card_and_drops_the_old(cjk_fonts, drawn):
    article = story()
    old = storage.share_card(article, "ko").file.name
    article.headline_ko = "서울 지하철 심야 운행, 다음 달부터 연장"
    article.save()
    card = storage.share_card(article, "ko")
    assert card.file.name != old
    assert not default_storage.exists(old)
    assert default_storage.exists(card.file.name)
    assert ShareCard.objects.filter(article=article, language="ko").count() == 1
    assert " ".join(drawn[-1].headline_lines) == article.headline_ko


def test_a_new_picture_or_focal_point_draws_a_new_card(cjk_fonts, drawn):
    article = story(feature_image=picture())
    names = [storage.share_card(article, "en").file.name]
    article.feature_image = picture()
    article.save()
    names.append(storage.share_card(article, "en").file.name)
    article.feature_image.focal_x = 0.1
    article.feature_image.save()
    names.append(storage.share_card(article, "en").file.name)
    article.feature_image.is_ai_generated = True
    article.feature_image.save()
    names.append(storage.share_card(article, "en").file.name)
    assert len(set(names)) == 4
    assert len(drawn) == 4
    assert "AI-generated image" in [run.text for run in drawn[-1].runs]


def test_a_card_whose_file_is_gone_is_drawn_again(cjk_fonts, drawn):
    article = story()
    card = storage.share_card(article, "en")
    default_storage.delete(card.file.name)
    again = storage.share_card(article, "en")
    assert default_storage.exists(again.file.name)
    assert len(drawn) == 2


def test_no_card_without_a_headline_in_the_language():
    article = ArticleFactory(without_en=True)
    assert storage.share_card(article, "en") is None


# The view and the story page


def card_url(article: Article, language: str) -> str:
    return article.get_absolute_url(language) + "card/"


def test_the_card_view_redirects_to_the_current_card(cjk_fonts, client):
    article = story(feature_image=picture())
    response = client.get(card_url(article, "ja"))
    assert response.status_code == 302
    card = ShareCard.objects.get(article=article, language="ja")
    assert response["Location"] == card.file.url
    assert "public" in response["Cache-Control"]
    assert "max-age=600" in response["Cache-Control"]
    assert client.get(card_url(article, "ja"))["Location"] == card.file.url


def test_the_card_view_has_no_card_for_a_draft_or_a_missing_language(client):
    draft = story(status=Article.Status.DRAFT, published_at=None)
    assert client.get(card_url(draft, "ko")).status_code == 404
    untranslated = ArticleFactory(without_en=True)
    response = client.get(f"/en/stories/{untranslated.slug_ko}/card/")
    assert response.status_code == 404
    assert not ShareCard.objects.exists()


def test_the_story_page_offers_the_card_to_crawlers(client):
    article = story(feature_image=picture())
    html = client.get(article.get_absolute_url("ko")).content.decode()
    url = "http://testserver" + card_url(article, "ko")
    assert f'<meta property="og:image" content="{url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert f'<meta property="og:image:alt" content="{HEADLINES["ko"]}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
