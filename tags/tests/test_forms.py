import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from articles.models import Article
from tags.forms import TagNamesField, TagNamesInput
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
