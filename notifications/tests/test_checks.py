"""The deployment check of where e-mails link to."""

from django.test import override_settings

from notifications.checks import check_desk_url


def test_a_desk_url_on_this_machine_is_flagged_for_deployment():
    with override_settings(NEWSROOM_DESK_URL="http://127.0.0.1:8000"):
        (warning,) = check_desk_url(None)
    assert warning.id == "notifications.W001"
    with override_settings(NEWSROOM_DESK_URL="https://desk.example.org"):
        assert check_desk_url(None) == []
