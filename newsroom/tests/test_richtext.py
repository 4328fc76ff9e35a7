import pytest
from django_prose_editor.config import allowlist_from_extensions

from newsroom.editor import BODY_EXTENSIONS
from newsroom.richtext import ALLOWED_TAGS, sanitize_html


def test_the_editor_makes_exactly_the_tags_the_sanitiser_keeps():
    editor_tags = allowlist_from_extensions(BODY_EXTENSIONS)["tags"]
    # <b> and <i> are kept for text pasted or imported from elsewhere.
    assert editor_tags == ALLOWED_TAGS - {"b", "i"}


def test_an_emptied_editor_stores_no_body():
    assert sanitize_html("<p></p>") == ""
    assert sanitize_html("<p> <br></p><p></p>") == ""
    assert sanitize_html("<p>글</p>") == "<p>글</p>"


@pytest.mark.django_db
def test_the_editors_own_buttons_speak_the_admins_language(admin_client):
    import json

    from django.urls import reverse

    catalogue = admin_client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="ja")
    assert json.dumps("読み仮名(ルビ)") in catalogue.content.decode()
    assert json.dumps("ハイライト") in catalogue.content.decode()
