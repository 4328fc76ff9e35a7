import factory

from translations.models import GlossaryTerm


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    name_ko = factory.Sequence(lambda n: f"한빛시{n}")
    name_ja = factory.Sequence(lambda n: f"ハンビッ市{n}")
    name_en = factory.Sequence(lambda n: f"Hanbit City {n}")
    kind = GlossaryTerm.Kind.PLACE
