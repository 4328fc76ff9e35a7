import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from articles.models import Article
from tags.forms import TagNamesField, TagNamesInput
from tags.models import Tag
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def test_the_story_form_gets_our_tag_field():
    field = Article._meta.get_field("tags").formfield()
    assert isinstance(field, TagNamesField)
    assert isinstance(field.widget, TagNamesInput)
    assert not field.required


def test_typed_names_are_cleaned_to_a_list():
    field = TagNamesField(required=False)
    assert field.clean("Japan、일본，반도체, ＪＡＰＡＮ") == [
        "Japan",
        "일본",
        "반도체",
        "ＪＡＰＡＮ",
    ]
    assert field.clean("") == []


def test_markup_in_a_name_is_stripped():
    field = TagNamesField(required=False)
    assert field.clean("<b onclick=x>반도체</b>, <script>x()</script>일본") == [
        "반도체",
        "일본",
    ]
    assert field.clean("&lt;i&gt;Japan&lt;/i&gt;") == ["Japan"]


def test_an_overlong_name_is_an_error_naming_it():
    field = TagNamesField(required=False)
    long_name = "가" * 101
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.clean(f"일본, {long_name}")
    assert caught.value.messages == [f"“{long_name}” is longer than 100 characters."]
    assert field.clean("가" * 100) == ["가" * 100]


def test_current_tags_show_in_the_editors_language_or_another():
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="")
    field = TagNamesField(required=False)
    with translation.override("ja"):
        assert field.prepare_value([japan]) == "日本"
    with translation.override("en"):
        assert field.prepare_value([japan]) == "일본"
    assert field.prepare_value("typed, text") == "typed, text"
    assert field.prepare_value(None) == ""


def test_the_field_has_changed_only_when_the_tags_do():
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    field = TagNamesField(required=False)
    with translation.override("en"):
        assert not field.has_changed([japan], "japan")
        assert not field.has_changed([], "")
        assert field.has_changed([japan], "Japan, 반도체")
        assert field.has_changed([japan], "")


def test_the_widget_points_at_the_suggestions_and_loads_our_own_files():
    class StoryForm(forms.Form):
        tags = TagNamesField(required=False)

    form = StoryForm(initial={"tags": "일본"})
    html = str(form["tags"])
    assert 'data-tag-autocomplete="/admin/tags/tag/autocomplete-names/"' in html
    assert 'autocomplete="off"' in html
    assert 'value="일본"' in html
    assert str(form.media).count("/static/tags/tag_autocomplete.") == 2


# --- how many tags --------------------------------------------------------------


def test_more_tags_than_a_story_may_have_is_an_error_naming_the_limit():
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    field = TagNamesField(required=False)
    field.max_new_tags = None
    names = [f"항만{n}" for n in range(19)]
    # Two names of one tag are one tag: 20 in all.
    assert field.clean(", ".join(["일본", "Japan", *names])) == [
        "일본",
        "Japan",
        *names,
    ]

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.clean(", ".join(["일본", *names, "부산항"]))
    assert caught.value.messages == [
        "A story may have at most 20 tags; these would give it 21."
    ]
    assert list(Tag.objects.all()) == [japan]


@override_settings(NEWSROOM_MAX_TAGS_PER_STORY=3)
def test_the_limit_of_tags_is_a_setting():
    field = TagNamesField(required=False)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.clean("일본, 반도체, 서울, 부산")
    assert caught.value.messages == [
        "A story may have at most 3 tags; these would give it 4."
    ]


def test_a_reporter_creates_at_most_five_new_tags_at_a_time():
    TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    field = TagNamesField(required=False)
    five = ["반도체", "서울", "부산", "항만", "태풍"]
    assert field.clean(", ".join(["Japan", *five])) == ["Japan", *five]

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        field.clean(", ".join(["Japan", *five, "지하철"]))
    assert caught.value.messages == [
        "At most 5 new tags may be created at a time; these 6 are new: 반도체, "
        "서울, 부산, 항만, 태풍, 지하철. Use existing tags, or ask an editor."
    ]
    assert Tag.objects.count() == 1


def test_an_editor_creates_any_number_of_new_tags():
    field = TagNamesField(required=False)
    field.max_new_tags = None
    six = ["반도체", "서울", "부산", "항만", "태풍", "지하철"]
    assert field.clean(", ".join(six)) == six
