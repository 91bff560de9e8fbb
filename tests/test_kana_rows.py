"""people/kana.py: the row heading (あ … わ, その他) and the 五十音 order of the printed lists.
Pure functions: no database."""
import pytest

from eventsapp.people.kana import OTHER, gojuon_key, kana_row, plain_kana


@pytest.mark.parametrize(("furigana", "row"), [
    ("あべ", "あ"), ("おおた", "あ"),                     # hiragana, first and last of あ行
    ("カトウ", "か"), ("コバヤシ", "か"),                 # katakana
    ("ｻﾄｳ", "さ"), ("ｿﾉﾀﾞ", "さ"),                       # half-width katakana
    ("ガトウ", "か"), ("ｶﾞﾄｳ", "か"), ("ごとう", "か"),   # voiced: with the plain kana
    ("ザイツ", "さ"), ("ダテ", "た"), ("ドイ", "た"), ("バンドウ", "は"), ("ぱく", "は"), ("ポール", "は"),
    ("ッタ", "た"), ("ゃまだ", "や"), ("ヶ島", "か"),      # small kana read full-size
    ("ヴァレンタイン", "あ"), ("ゔぃ", "あ"),              # ヴ is ウ with a voiced mark
    ("ナカムラ", "な"), ("ノダ", "な"), ("ハラ", "は"), ("ホシ", "は"), ("マエダ", "ま"), ("モリ", "ま"),
    ("ヤマダ", "や"), ("ヨシダ", "や"), ("ラン", "ら"), ("ロペス", "ら"),
    ("ワタナベ", "わ"), ("ヲノ", "わ"), ("ンジャイ", "わ"), ("ヷ", "わ"), ("ゐのうえ", "わ"),
    ("　やまだ はなこ", "や"),                           # leading full-width space
    ("", OTHER), ("   ", OTHER), ("Smith", OTHER), ("ｽﾐｽ", "さ"), ("ーノ", OTHER), ("1ばん", OTHER),
    ("山田", OTHER),                                     # kanji typed into the furigana field
])
def test_the_row_of_the_first_kana(furigana, row):
    assert kana_row(furigana) == row


def test_plain_kana_drops_voice_marks_and_enlarges_small_kana():
    assert plain_kana("がっこう") == "カツコウ"
    assert plain_kana("ｼﾞｬｽﾞ") == "シヤス"
    assert plain_kana("ヴィ") == "ウイ"
    assert plain_kana("ぱ ぴ") == "ハヒ"  # spaces go, as in the matching key


def test_gojuon_order_reads_voiced_kana_with_the_plain_ones():
    typed = ["わたなべ", "", "ガトウ", "カトリ", "カトウ", "ｱﾍﾞ", "あべ", "キムラ", "Smith", "かとう", "ｶｯﾄﾘ"]
    ordered = sorted(typed, key=gojuon_key)
    # あべ and ｱﾍﾞ are the same key (both アベ): sorted() keeps their typed order.
    # ｶｯﾄﾘ (plain カツトリ: ツ < ト) < カトウ = かとう < ガトウ (same plain kana カトウ, カ before
    # ガ) < カトリ < キムラ < ワタナベ, then その他: '' before 'Smith'.
    assert ordered == ["ｱﾍﾞ", "あべ", "ｶｯﾄﾘ", "カトウ", "かとう", "ガトウ", "カトリ", "キムラ", "わたなべ", "", "Smith"]


def test_other_comes_after_every_row():
    assert gojuon_key("ンジャイ") < gojuon_key("") < gojuon_key("Smith")
