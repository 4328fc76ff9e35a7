// Translation source only (not loaded by any page): Django admin's JavaScript
// strings whose Korean or Japanese reads wrong (the time zone note begins
// "Note:" in English in Korean and "ノート" in Japanese). Listed here so that
// `makemessages -d djangojs` keeps them in our catalogue, which wins.
/* global ngettext */
export const ADMIN_JS_STRINGS = [
  ngettext(
    "Note: You are %s hour ahead of server time.",
    "Note: You are %s hours ahead of server time.",
    1,
  ),
  ngettext(
    "Note: You are %s hour behind server time.",
    "Note: You are %s hours behind server time.",
    1,
  ),
]
