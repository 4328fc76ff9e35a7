"""What the importers' tests share: the editor who imports, and a section."""

import pytest

from articles.tests.factories import CategoryFactory, UserFactory


@pytest.fixture
def editor():
    return UserFactory(username="ed", role="editor")


@pytest.fixture
def economy():
    return CategoryFactory(name_ko="경제", name_ja="経済", name_en="Economy")
