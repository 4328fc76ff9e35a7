"""The rich-text editor's features: what editors can make is what the sanitiser keeps.

Read by settings (DJANGO_PROSE_EDITOR_EXTENSIONS) and by the body fields; it
imports nothing of Django's models so settings may import it.
"""

from collections.abc import Callable
from typing import Any

from js_asset import static_lazy

# The story body's features, in django-prose-editor's extension names.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Highlighted": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Ruby": True,
    "Picture": True,
    "Gallery": True,
    "Embed": True,
    "History": True,
}


# django-prose-editor calls it with the extension's and the shared configuration.
Processor = Callable[[Any, dict[str, Any]], None]


def allow_tags(*tags: str) -> Processor:
    """Return a django-prose-editor allow-list processor for `tags`."""

    def processor(extension_config: Any, shared_config: dict[str, Any]) -> None:
        shared_config["tags"].update(tags)

    return processor


PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [
            static_lazy("js/editor/extensions.js"),
            static_lazy("js/editor/media.js"),
            static_lazy("js/editor/embeds.js"),
        ],
        "extensions": {
            "Highlighted": allow_tags("mark"),
            "Ruby": allow_tags("ruby", "rt", "rp"),
            "Picture": allow_tags("figure", "figcaption", "small"),
            "Gallery": allow_tags("div", "figure", "figcaption", "small"),
            "Embed": allow_tags("figure", "a"),
        },
    }
]
