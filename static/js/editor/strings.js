// Translation source only (not loaded by any page): django-prose-editor shows
// these through window.gettext but ships no Korean or Japanese catalogue, so
// they are listed here for `makemessages -d djangojs` to collect into ours.
/* global gettext_noop */
export const PROSE_EDITOR_STRINGS = [
  gettext_noop("Update"),
  gettext_noop("Cancel"),
  gettext_noop("URL"),
  gettext_noop("Title"),
  gettext_noop("Open in new window"),
  gettext_noop("Edit Link"),
  gettext_noop("List properties"),
  gettext_noop("List type"),
  gettext_noop("Start at"),
  gettext_noop("Decimal numbers"),
  gettext_noop("Lowercase letters"),
  gettext_noop("Uppercase letters"),
  gettext_noop("Lowercase Roman numerals"),
  gettext_noop("Uppercase Roman numerals"),
  gettext_noop("Toggle fullscreen"),
]
