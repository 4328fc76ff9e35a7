from datetime import timedelta

import factory
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Byline,
    Category,
    Series,
)
from articles.services import article_texts_changed


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name_ko = factory.Sequence(lambda n: f"분야{n}")
    name_ja = factory.Sequence(lambda n: f"分野{n}")
    name_en = factory.Sequence(lambda n: f"Section {n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name_ko = factory.Sequence(lambda n: f"기자{n}")
    name_ja = factory.Sequence(lambda n: f"記者{n}")
    name_en = factory.Sequence(lambda n: f"Reporter {n}")
    email = factory.Sequence(lambda n: f"reporter{n}@newsroom.example")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title_ko = factory.Sequence(lambda n: f"기획 {n}")
    title_ja = factory.Sequence(lambda n: f"特集 {n}")
    title_en = factory.Sequence(lambda n: f"Series {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A story published an hour ago in all three languages."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline_ko = factory.Sequence(lambda n: f"항만 물동량 {n}개월 연속 증가")
    headline_ja = factory.Sequence(lambda n: f"港湾の貨物量、{n}か月連続で増加")
    headline_en = factory.Sequence(lambda n: f"Port cargo rises for month {n}")
    dek_ko = "부산항 컨테이너 처리량이 늘었다."
    dek_ja = "釜山港のコンテナ取扱量が増えた。"
    dek_en = "Container traffic at Busan grew again."
    body_ko = "<p>부산항의 컨테이너 처리량이 지난달 다시 늘었다.</p>"
    body_ja = "<p>釜山港のコンテナ取扱量が先月再び増えた。</p>"
    body_en = "<p>Container traffic at the port of Busan rose again last month.</p>"
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        for position, author in enumerate(extracted or [AuthorFactory()]):
            Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def language_states(self, create, extracted, **kwargs):
        # As a save through the services would: each language's state follows.
        if create:
            article_texts_changed(article=self, stored=None)

    class Params:
        without_ja = factory.Trait(headline_ja="", dek_ja="", body_ja="")
        without_en = factory.Trait(headline_en="", dek_en="", body_en="")


class UserFactory(factory.django.DjangoModelFactory):
    """A member of the desk, in the group of their `role` if they have one.

    `UserFactory(role="translator", languages=("ja",))` translates into
    Japanese; `UserFactory(superuser=True)` may do everything;
    `UserFactory(is_staff=False)` cannot open the desk. The password is "pw".
    """

    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@newsroom.example")
    password = factory.django.Password("pw")
    is_staff = True

    class Params:
        superuser = factory.Trait(is_superuser=True)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        # One of articles/roles.py, whose groups `migrate` makes.
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            for language in extracted or ():
                # By name: the story core's tests also run without that app.
                apps.get_model("translations", "TranslatorLanguage").objects.create(
                    user=self, language=language
                )
