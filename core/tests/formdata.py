"""Read an HTML form the way a browser submits it."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
                return
            self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_options = name, []
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            self._select_options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._select_options if selected]
            if not chosen and not self._multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            self.data.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the one newline that may follow <textarea>.
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_data(html: str, form_id: str) -> dict[str, list[str]]:
    """Return the fields a browser would send for the form with `form_id`."""
    parser = _FormParser(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data
