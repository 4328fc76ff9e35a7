"""Share cards: the Open Graph picture of a story in one language.

A card is the headline in white over the feature image (cropped around its
focal point and darkened where the text sits) or over a plain background, with
the site name and, for an AI-generated picture, its label. Text is set in
Noto Sans CJK Bold (Debian's fonts-noto-cjk) in the face of the story's
language: Korean, Japanese and Chinese share code points but not glyph shapes.

A card is drawn once per look: `ShareCard.fingerprint` names what it was drawn
from, and a card whose story, picture or font changed is drawn again the next
time it is asked for (the card view, on a crawler's visit). Drawing never
produces missing-glyph boxes: text a font cannot set is left out.

The modules, each depending only on those above it: `fonts` (which face sets
each language, and what it lacks), `linebreak` (Korean, Japanese and English
line breaking), `drawing` (the card's layout and picture), `storage` (cards
drawn once per look) and `views` (the card view).
"""

from images.sharecards.fonts import cjk_fonts_missing
from images.sharecards.storage import share_card
from images.sharecards.views import share_card_view

__all__ = ["cjk_fonts_missing", "share_card", "share_card_view"]
