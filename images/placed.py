"""Where a story body places library pictures: read from its stored HTML."""

from core.placeholders import FIGURE, attributes


def image_ids(body: str) -> set[int]:
    """Return the ids of the library pictures `body` places."""
    if not body or "<figure" not in body:
        return set()
    return {
        int(value)
        for raw, _inner in FIGURE.findall(body)
        if (value := attributes(raw).get("data-image", "")).isdigit()
    }
