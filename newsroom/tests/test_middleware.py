"""Refusals are logged; idle desk sessions end; readers never get a session."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

EIGHT_HOURS = timedelta(hours=8)
STORIES = "/admin/articles/article/"


@pytest.fixture
def reporter(client):
    """A desk member without any permission on stories."""
    client.force_login(UserFactory(username="reporter"))
    return client


def security_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "newsroom.security"]


def test_a_refused_permission_is_logged_with_user_path_and_address(reporter, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = reporter.get(STORIES, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 403
    [message] = security_messages(caplog)
    assert "'reporter'" in message
    assert f"'{STORIES}'" in message
    assert "'203.0.113.7'" in message
    [record] = [r for r in caplog.records if r.name == "newsroom.security"]
    assert record.levelno == logging.WARNING


def test_a_refused_form_without_its_csrf_token_is_logged(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = client.post(
            "/admin/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="192.0.2.4"
        )

    assert response.status_code == 403
    [message] = security_messages(caplog)
    assert "None" in message
    assert "'/admin/login/'" in message
    assert "'192.0.2.4'" in message


def test_an_idle_desk_session_is_sent_to_the_login_page_saying_why(desk):
    assert desk.get(STORIES).status_code == 200
    desk.cookies["django_language"] = "ja"

    with time_machine.travel(EIGHT_HOURS + timedelta(seconds=1)):
        response = desk.get(STORIES)
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={STORIES}"
        login_page = desk.get(response["Location"]).content.decode()
        assert desk.get(STORIES).status_code == 302

    with translation.override("ja"):
        expected = gettext(
            "You were logged out after a long time without activity. "
            "Log in again to continue."
        )
    assert expected in login_page
    assert "_auth_user_id" not in desk.session


def test_activity_keeps_a_desk_session_open(desk):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            traveller.shift(EIGHT_HOURS - timedelta(minutes=5))
            assert desk.get(STORIES).status_code == 200


def test_activity_is_written_to_the_session_at_most_once_a_minute(desk):
    with time_machine.travel(timedelta(seconds=30)):
        quiet = desk.get(STORIES)
    with time_machine.travel(timedelta(seconds=61)):
        noted = desk.get(STORIES)

    assert "sessionid" not in quiet.cookies
    assert "sessionid" in noted.cookies


def test_no_idle_limit_when_it_is_zero(desk, settings):
    settings.NEWSROOM_DESK_IDLE_TIMEOUT = 0
    with time_machine.travel(timedelta(days=3)):
        assert desk.get(STORIES).status_code == 200


def test_a_session_ends_at_its_maximum_age_however_active(desk, settings):
    max_age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    step = timedelta(hours=6)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        elapsed = timedelta(0)
        while elapsed + step < max_age:
            traveller.shift(step)
            elapsed += step
            assert desk.get(STORIES).status_code == 200, elapsed
        traveller.shift(max_age - elapsed + timedelta(seconds=1))
        assert desk.get(STORIES).status_code == 302


def test_an_idle_reader_session_on_the_public_site_is_closed_quietly(desk):
    ArticleFactory()
    with time_machine.travel(EIGHT_HOURS + timedelta(seconds=1)):
        assert desk.get("/ko/").status_code == 200
    assert "_auth_user_id" not in desk.session


def test_readers_get_no_session_cookie_and_no_vary_on_cookie(client):
    ArticleFactory()
    for url in ("/ko/", "/ja/", "/en/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
