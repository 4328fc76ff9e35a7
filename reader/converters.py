class UnicodeSlugConverter:
    """Match Unicode slugs: Django's <slug:> refuses Hangul and kana."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
