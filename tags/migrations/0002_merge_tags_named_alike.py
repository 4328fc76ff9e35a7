"""Strip invisible characters from tag names; merge the tags that then collide.

Names used to keep zero-width spaces, soft hyphens, bidi marks and the like,
so "일\u200b본" and "일본" could be two tags that look the same. Each name is
normalised as tags.models.normalize_name now does (copied here, so that this
migration keeps doing what it did); tags whose names then share a lookup key,
in any language, become the oldest of them: it takes the names (and slugs)
it lacked, their stories are tagged with it, and the others are deleted. A
tag left with no visible name in any language is deleted too: it could be
neither shown nor typed.

Run `manage.py rebuild_search_index` afterwards: the index holds tag names.
"""

import unicodedata

from django.db import migrations

LANGUAGES = ("ko", "ja", "en")
HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def strip_invisible(text):
    return "".join(
        char
        for char in text
        if char not in HANGUL_FILLERS and unicodedata.category(char) != "Cf"
    )


def normalize_name(text):
    return " ".join(unicodedata.normalize("NFC", strip_invisible(text or "")).split())


def normalize_key(text):
    folded = unicodedata.normalize("NFKC", strip_invisible(text or "")).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def _groups(rows):
    """Return lists of tag rows sharing a key in any language, oldest first."""
    parent = {row["pk"]: row["pk"] for row in rows}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    first_with_key = {}
    for row in rows:
        for key in row["keys"].values():
            if not key:
                continue
            other = first_with_key.setdefault(key, row["pk"])
            low, high = sorted([root(other), root(row["pk"])])
            parent[high] = low
    groups = {}
    for row in rows:
        groups.setdefault(root(row["pk"]), []).append(row)
    return list(groups.values())


def merge_tags_named_alike(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    TaggedArticle = apps.get_model("tags", "TaggedArticle")
    columns = [
        "pk",
        "name",
        *(f"{field}_{code}" for field in ("name", "slug", "key") for code in LANGUAGES),
    ]
    rows = []
    for stored in Tag.objects.order_by("pk").values(*columns):
        names = {
            code: None if name is None else normalize_name(name)
            for code in LANGUAGES
            for name in [stored[f"name_{code}"]]
        }
        rows.append(
            {
                "pk": stored["pk"],
                "stored": stored,
                "names": names,
                "keys": {code: normalize_key(names[code]) for code in LANGUAGES},
                "slugs": {code: stored[f"slug_{code}"] for code in LANGUAGES},
            }
        )

    nameless = [row["pk"] for row in rows if not any(row["keys"].values())]
    Tag.objects.filter(pk__in=nameless).delete()
    rows = [row for row in rows if row["pk"] not in nameless]

    for kept, *others in _groups(rows):
        for other in others:
            for code in LANGUAGES:
                if not kept["keys"][code] and other["keys"][code]:
                    kept["names"][code] = other["names"][code]
                    kept["keys"][code] = other["keys"][code]
                    kept["slugs"][code] = other["slugs"][code]
            # A story tagged with both keeps its row of the kept tag; the
            # other row goes with the deleted tag.
            already = TaggedArticle.objects.filter(tag_id=kept["pk"])
            TaggedArticle.objects.filter(tag_id=other["pk"]).exclude(
                content_object_id__in=already.values("content_object_id")
            ).update(tag_id=kept["pk"])
        # Deleted before the kept tag takes their names: keys and slugs are
        # unique within a language.
        Tag.objects.filter(pk__in=[other["pk"] for other in others]).delete()
        changes = {
            "name": normalize_name(kept["stored"]["name"]),
            **{f"name_{code}": kept["names"][code] for code in LANGUAGES},
            **{f"key_{code}": kept["keys"][code] for code in LANGUAGES},
            **{f"slug_{code}": kept["slugs"][code] for code in LANGUAGES},
        }
        stored = kept["stored"]
        if others or any(stored[column] != value for column, value in changes.items()):
            Tag.objects.filter(pk=kept["pk"]).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(merge_tags_named_alike, migrations.RunPython.noop),
    ]
