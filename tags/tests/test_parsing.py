import pytest

from tags.parsing import edit_string, parse_tags
from tags.tests.factories import TagFactory


@pytest.mark.parametrize(
    "text",
    [
        "Japan, 일본, 반도체",
        "Japan、일본、반도체",
        "Japan，일본，반도체",
        "Japan､일본､반도체",
        "Japan\n일본\r\n반도체",
        " Japan ,  일본、\n반도체 ",
    ],
)
def test_commas_japanese_commas_and_new_lines_separate_tags(text):
    assert parse_tags(text) == ["Japan", "일본", "반도체"]


def test_empty_names_are_dropped():
    assert parse_tags(" , 、，\n\n 일본 ,, ") == ["일본"]
    assert parse_tags("") == []
    assert parse_tags('"') == []


def test_repeated_names_are_given_once():
    assert parse_tags("일본, 일본") == ["일본"]


def test_quoted_names_keep_their_commas():
    assert parse_tags('"東京、大阪", 일본, "Seoul, Korea"') == [
        "東京、大阪",
        "일본",
        "Seoul, Korea",
    ]


def test_a_quote_inside_a_name_stays():
    assert parse_tags('5" wafer, 일본') == ['5" wafer', "일본"]


def test_names_are_nfc_and_their_spaces_collapsed():
    decomposed = "\u1112\u1161\u11ab국"
    assert parse_tags(f"{decomposed},  South \u3000 Korea ") == ["한국", "South Korea"]


def test_edit_string_quotes_names_with_separators_and_reads_back():
    tags = ["東京、大阪", "일본", '"Quoted"', "Seoul, Korea"]
    text = edit_string(tags, "ko")
    assert text == '"東京、大阪", 일본, ""Quoted"", "Seoul, Korea"'
    assert parse_tags(text) == tags


@pytest.mark.django_db
def test_edit_string_names_tags_in_the_language_or_falls_back():
    chips = TagFactory(name_ko="반도체", name_ja="半導体", name_en="Chips")
    korea_only = TagFactory(name_ko="일본", name_ja="", name_en=None)
    assert edit_string([chips, korea_only], "ja") == "半導体, 일본"
    assert edit_string([chips, korea_only], "en") == "Chips, 일본"
