import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.tests.factories import ArticleFactory
from tags.models import Tag, TaggedArticle, normalize_key, normalize_name
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def test_names_and_keys_are_normalised():
    assert normalize_name("  South \u3000\n Korea ") == "South Korea"
    assert normalize_name("\u1112\u1161\u11ab") == "한"
    assert {normalize_key(name) for name in ["ＪＡＰＡＮ", "Japan", " japan "]} == {
        "japan"
    }
    assert normalize_key("ﾊﾝﾄﾞｳﾀｲ") == normalize_key("ハンドウタイ")


def test_full_width_and_case_variants_resolve_to_one_tag():
    tags = Tag.objects.resolve(["ＪＡＰＡＮ", "Japan", "japan"], "en")
    assert len(tags) == 1
    assert Tag.objects.get().name_en == "ＪＡＰＡＮ"
    assert Tag.objects.resolve(["JAPAN"], "ko") == tags


def test_typing_any_languages_name_finds_the_same_tag():
    (japan,) = Tag.objects.resolve(["일본"], "ko")
    japan.name_ja = "日本"
    japan.name_en = "Japan"
    japan.save()

    assert Tag.objects.resolve(["日本"], "en") == [japan]
    assert Tag.objects.resolve(["japan", "일본", "日本"], "ja") == [japan]
    assert list(Tag.objects.matching("ＪＡＰＡＮ")) == [japan]
    assert Tag.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("반도체", "en", "ko"),
        ("はんどうたい", "ko", "ja"),
        ("ハンドウタイ", "en", "ja"),
        ("半導体", "ko", "ja"),
        ("Chips", "ja", "en"),
        ("2026", "ja", "ja"),
    ],
)
def test_a_new_tag_is_named_in_the_language_of_its_script(name, language, expected):
    (tag,) = Tag.objects.resolve([name], language)
    assert {code: tag.name_in(code) for code in ("ko", "ja", "en")} == {
        code: name if code == expected else "" for code in ("ko", "ja", "en")
    }


def test_korean_and_japanese_names_give_unicode_slugs():
    tag = TagFactory(
        name_ko="한국 경제", name_ja="日本の経済・金融", name_en="ＡＩ Chips!"
    )
    assert (tag.slug_ko, tag.slug_ja, tag.slug_en) == (
        "한국-경제",
        "日本の経済-金融",
        "ai-chips",
    )


def test_a_name_of_punctuation_still_gets_a_slug():
    tag = TagFactory(name_ko="", name_ja="", name_en="!!!")
    assert tag.slug_en == "tag"
    assert not tag.slug_ko


def test_slug_collisions_in_a_language_are_numbered():
    first = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    second = TagFactory(name_ko="일본!", name_ja="日本?", name_en="Japan.")
    third = TagFactory(name_ko="일본?", name_ja="", name_en="")
    assert first.slug_ko == "일본"
    assert (second.slug_ko, second.slug_ja, second.slug_en) == (
        "일본-2",
        "日本-2",
        "japan-2",
    )
    assert third.slug_ko == "일본-3"


def test_a_slug_is_kept_when_the_name_changes():
    tag = TagFactory(name_ko="반도체")
    tag.name_ko = "반도체 산업"
    tag.save()
    assert tag.slug_ko == "반도체"


def test_a_name_used_by_another_tag_in_any_language_is_a_field_error():
    TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    duplicate = Tag(name_ko="재팬", name_en="ＪＡＰＡＮ")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.message_dict["name_en"] == [
        "“ＪＡＰＡＮ” is already the English name of the tag “Japan”."
    ]
    assert "name_ko" not in caught.value.message_dict


def test_a_name_in_another_column_of_another_tag_is_refused_too():
    TagFactory(name_ko="", name_ja="", name_en="Tokyo")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        Tag(name_ja="tokyo").full_clean()
    assert caught.value.message_dict["name_ja"] == [
        "“tokyo” is already the English name of the tag “Tokyo”."
    ]


def test_one_tag_may_have_the_same_name_in_two_languages():
    TagFactory(name_ko="AI", name_ja="AI", name_en="AI").full_clean()


def test_a_tag_needs_a_name_in_some_language():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        Tag(name_ko="", name_ja=None, name_en=" ").full_clean()
    assert caught.value.message_dict == {
        "name_ko": ["Give the tag a name in at least one language."]
    }


def test_the_database_refuses_a_duplicate_key_in_a_language():
    TagFactory(name_en="Japan")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name_en="japan")


def test_markup_is_stripped_from_names_and_keys():
    tag = TagFactory(name_ko="<b onclick=x>일본</b>", name_en="&lt;i&gt;Japan")
    tag.refresh_from_db()
    assert (tag.name_ko, tag.key_ko, tag.name_en, tag.key_en) == (
        "일본",
        "일본",
        "Japan",
        "japan",
    )


def test_resolve_refuses_an_overlong_name():
    with pytest.raises(ValidationError):
        Tag.objects.resolve(["가" * 101], "ko")
    assert not Tag.objects.exists()


def test_display_name_falls_back_but_name_in_does_not():
    tag = TagFactory(name_ko="일본", name_ja="", name_en=None)
    assert tag.display_name("ja") == "일본"
    assert tag.display_name("en") == "일본"
    assert tag.name_in("ja") == ""
    assert tag.name_in("en") == ""
    english = TagFactory(name_ko="", name_ja="", name_en="Japan")
    assert english.display_name("ko") == "Japan"
    with translation.override("ja"):
        assert str(tag) == "일본"


def test_a_story_takes_names_in_any_language_and_gets_one_tag_each():
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    article = ArticleFactory()
    article.tags.add("Japan", "일본", "ＪＡＰＡＮ")
    assert list(article.tags.all()) == [japan]

    with translation.override("ja"):
        article.tags.set(["日本", "半導体"])
    chips = Tag.objects.get(name_ja="半導体")
    assert list(article.tags.all()) == [japan, chips]
    assert Tag.objects.count() == 2


def test_setting_the_same_tags_again_keeps_the_rows():
    article = ArticleFactory()
    article.tags.set(["일본", "반도체"])
    rows = list(TaggedArticle.objects.values_list("pk", flat=True))
    with translation.override("en"):
        article.tags.set(["반도체", "일본"])
    assert list(TaggedArticle.objects.values_list("pk", flat=True)) == rows


def test_removing_a_tag_by_its_name_in_another_language():
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    chips = TagFactory()
    article = ArticleFactory()
    article.tags.add(japan, chips)
    article.tags.remove("japan")
    assert list(article.tags.all()) == [chips]
    article.tags.set([])
    assert not article.tags.exists()


def test_a_tag_named_only_in_korean_is_saved_from_the_japanese_desk():
    japan = TagFactory(name_ko="일본", name_ja="", name_en="")
    article = ArticleFactory()
    article.tags.add(japan)
    with translation.override("ja"):
        article.tags.set(["일본"])
    assert list(article.tags.all()) == [japan]
    assert Tag.objects.count() == 1


def test_the_database_tags_a_story_once_with_a_tag():
    tag, article = TagFactory(), ArticleFactory()
    TaggedArticle.objects.create(tag=tag, content_object=article)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaggedArticle.objects.create(tag=tag, content_object=article)


def test_tags_prefetch_in_one_query(django_assert_num_queries):
    for _index in range(3):
        ArticleFactory().tags.add(TagFactory(), TagFactory())
    with django_assert_num_queries(2):
        articles = list(ArticleFactory._meta.model.objects.prefetch_related("tags"))
        names = [[tag.name_in("ko") for tag in a.tags.all()] for a in articles]
    assert all(len(tag_names) == 2 for tag_names in names)


# --- invisible characters and Unicode forms --------------------------------------

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u3164",  # Hangul filler
    "\uffa0",  # half-width Hangul filler
]


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_invisible_characters_are_no_part_of_a_name(invisible):
    assert normalize_name(f"{invisible}일{invisible}본{invisible}") == "일본"
    assert normalize_key(f"Ja{invisible}pan") == "japan"


def test_a_name_with_a_zero_width_space_finds_the_tag_without():
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    assert Tag.objects.resolve(["일\u200b본", "Ja\u00adpan", "\ufeff日本"], "ko") == [
        japan
    ]
    assert list(Tag.objects.matching("일\u2060본")) == [japan]
    assert Tag.objects.count() == 1


def test_an_invisible_character_cannot_join_two_decomposed_halves():
    # "\u1100\u200b\u1161" is "ᄀ", an invisible space and "ᅡ": without the
    # space, 가.
    assert normalize_name("\u1100\u200b\u1161") == "가"
    assert normalize_key("\u1100\u200b\u1161") == "가"


def test_a_tag_saved_with_invisible_characters_stores_none():
    tag = TagFactory(
        name_ko="반\u200d도체", name_ja="半導\u200b体", name_en="Ch\u00adips"
    )
    tag.refresh_from_db()
    assert (tag.name_ko, tag.name_ja, tag.name_en) == ("반도체", "半導体", "Chips")
    assert (tag.key_ko, tag.slug_ko) == ("반도체", "반도체")


# Names as people type them: Hangul (composed and decomposed), kana, kanji,
# Latin in both widths and cases, spaces, accents and invisible characters.
NAME_CHARACTERS = st.sampled_from(
    list("한국일본語経済ニュースﾆｭｰｽAaZzÉéＡａ -.,!'&<>")
    + ["\u1100", "\u1161", "\u11ab", "\u0301", "\u3000", "\u00a0", "ß", "ﬁ", "㍿"]
    + INVISIBLE
)
NAMES = st.text(NAME_CHARACTERS, max_size=12) | st.text(max_size=12)


def is_invisible(character: str) -> bool:
    hangul_fillers = "\u115f\u1160\u3164\uffa0"
    return unicodedata.category(character) == "Cf" or character in hangul_fillers


@hypothesis_settings(
    max_examples=300,
    database=None,
    # A shared 2-core CI machine: time is no property of these functions.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(NAMES)
def test_the_name_normaliser_is_idempotent_and_leaves_nothing_invisible(name):
    normal = normalize_name(name)
    assert normalize_name(normal) == normal
    assert normalize_key(normalize_key(name)) == normalize_key(name)
    assert not any(is_invisible(character) for character in normal)
    assert not any(is_invisible(character) for character in normalize_key(name))
    assert unicodedata.is_normalized("NFC", normal)
    # What resolve() stores and what matching() looks up agree.
    assert normalize_key(normal) == normalize_key(name)


@example("일본", ["\u200b"])
@example("ＪＡＰＡＮ", ["\ufeff", "\u00ad"])
@hypothesis_settings(
    max_examples=300,
    database=None,
    # A shared 2-core CI machine: time is no property of these functions.
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(NAMES, st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=3))
def test_names_equal_but_for_width_case_form_and_invisibles_have_one_key(
    name, invisible
):
    variants = [
        name.casefold(),
        unicodedata.normalize("NFD", name),
        unicodedata.normalize("NFKC", name),
        unicodedata.normalize("NFKD", name),
        invisible[0].join(name) + "".join(invisible),
    ]
    # Upper case only where it changes no letter's identity (not "ı" to "I").
    upper = name.upper()
    if (
        unicodedata.normalize("NFKC", upper).casefold()
        == unicodedata.normalize("NFKC", name).casefold()
    ):
        variants.append(upper)
    assert {normalize_key(variant) for variant in variants} == {normalize_key(name)}


# --- how many tags, whatever the path -------------------------------------------------


def test_a_story_is_never_given_more_tags_than_the_limit():
    article = ArticleFactory()
    article.tags.set(["일본", "반도체"])
    names = [f"항만{n}" for n in range(21)]

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        article.tags.set(names)
    assert caught.value.messages == [
        "A story may have at most 20 tags; these would give it 21."
    ]
    with pytest.raises(ValidationError):
        article.tags.add(*names[:19])

    assert sorted(tag.name_ko for tag in article.tags.all()) == ["반도체", "일본"]
    assert Tag.objects.count() == 2


def test_a_story_over_the_limit_from_before_may_still_lose_tags():
    article = ArticleFactory()
    tags = TagFactory.create_batch(22)
    for tag in tags:
        TaggedArticle.objects.create(tag=tag, content_object=article)

    article.tags.set(tags[:21])
    assert article.tags.count() == 21
    with pytest.raises(ValidationError):
        article.tags.set([*tags[:20], "반도체"])
    assert article.tags.count() == 21


def test_resolve_creates_no_more_new_tags_than_a_caller_allows():
    TagFactory(name_ko="일본", name_ja="", name_en="")
    six = ["반도체", "서울", "부산", "항만", "태풍", "지하철"]

    with pytest.raises(ValidationError) as caught:
        Tag.objects.resolve(["일본", *six], "ko", max_new=5)
    assert caught.value.code == "too_many_new_tags"
    assert Tag.objects.count() == 1

    assert len(Tag.objects.resolve(["일본", *six[:5]], "ko", max_new=5)) == 6
    assert len(Tag.objects.resolve(six, "ko", max_new=None)) == 6


def test_a_story_service_may_cap_new_tags_for_a_reporter():
    article = ArticleFactory()
    six = ["반도체", "서울", "부산", "항만", "태풍", "지하철"]
    with pytest.raises(ValidationError):
        article.tags.set(six, max_new_tags=5)
    assert not Tag.objects.exists()
    article.tags.add(*six[:5], max_new_tags=5)
    assert article.tags.count() == 5
