from core.text import excerpt


def test_short_text_is_left_whole():
    assert excerpt("짧은 문장", 20, "ko") == "짧은 문장"


def test_korean_is_cut_between_whole_characters_with_an_ellipsis():
    text = "서울시가 다음 달부터 금요일 지하철 운행 시간을 늘린다"
    cut = excerpt(text, 12, "ko")
    assert cut == "서울시가 다음 달부터…"
    assert len(cut) <= 12


def test_japanese_is_cut_anywhere_but_inside_a_character():
    assert (
        excerpt("台風12号が北上し、航空便が欠航した。", 10, "ja") == "台風12号が北上し…"
    )
    decomposed = "か\u3099" * 10  # が written with a combining voiced mark
    cut = excerpt(decomposed, 6, "ja")
    assert not cut[:-1].endswith("か")  # never a base without its mark
    assert cut.endswith("…")


def test_english_is_never_cut_inside_a_word():
    text = "The central bank held its policy rate at 2.25 percent on Thursday"
    cut = excerpt(text, 30, "en")
    assert cut == "The central bank held its…"
    assert len(cut) <= 30
