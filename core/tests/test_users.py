"""How the desk names a person."""

import pytest
from django.contrib.auth.models import User

from core.users import display_name


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("지우", "김", "김지우"),
        ("花子", "山田", "山田 花子"),
        ("Jiwoo", "Kim", "Jiwoo Kim"),
        ("", "", "jkim"),
        ("지우", "", "지우"),
    ],
)
def test_names_are_written_as_their_language_writes_them(first, last, expected):
    person = User(username="jkim", first_name=first, last_name=last)
    assert display_name(person) == expected


def test_nobody_has_no_name():
    assert display_name(None) == ""
