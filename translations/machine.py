"""Machine translation backends (to be written)."""


def is_enabled() -> bool:
    return False
