import factory

from tags.models import Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name_ko = factory.Sequence(lambda n: f"반도체{n}")
    name_ja = factory.Sequence(lambda n: f"半導体{n}")
    name_en = factory.Sequence(lambda n: f"Chips {n}")
