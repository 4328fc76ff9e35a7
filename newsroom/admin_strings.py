"""Django admin strings whose Korean or Japanese translation reads wrong.

Our catalogues in locale/ come before Django's, so marking these msgids here
puts them in ours, where they carry the desk's own wording: Django's Korean
has "뷰 이미지" for "View image" and "보기위한 1이미지 를(을) 선택" for "Select
image to view"; its Japanese puts a space before particles ("画像 を変更").
Nothing calls this module: makemessages reads it.
"""

from django.utils.translation import gettext_noop

ADMIN_STRINGS = (
    gettext_noop("Add %s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Select %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    # Django's Korean says "the reader has no permission" to a desk user.
    gettext_noop("You don’t have permission to view or edit anything."),
    # Django's Korean tells an editor, after a successful save, that "the
    # content below must be corrected", and fixes one particle (가) whatever
    # the word before it ends with.
    gettext_noop("You may edit it again below."),
    gettext_noop(
        "The {name} “{obj}” was changed successfully. You may edit it again below."
    ),
    gettext_noop(
        "The {name} “{obj}” was added successfully. You may edit it again below."
    ),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was deleted successfully."),
    # "선택된 기사 을/를 삭제합니다." for a menu entry; Japanese spaces again.
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    # The list filters' headings: Django's Korean "AI 생성 (으)로" guesses a
    # particle; its Japanese puts a space before one.
    gettext_noop(" By %(filter_title)s "),
)
