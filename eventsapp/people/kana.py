"""五十音 (gojūon) order and rows of furigana, for the paper lists organizers print.

A reception desk finds a name on paper by the row of its first kana (あ行, か行 …), and
within a row by the order a Japanese dictionary uses: voiced and small kana sort with their
plain, full-size kana (ガ as カ, ッ as ツ); only when that leaves a tie does the exact kana
decide, in the order of the katakana block (カ before ガ before キ, ッ before ツ). The
furigana go through the identity normaliser first (people/identity.py `normalize_kana`), so
hiragana, katakana and half-width kana land in the same place.
"""
import unicodedata

from .identity import normalize_kana

# The ten rows, each named by its first hiragana, as the headings of the printed lists.
ROWS = ("あ", "か", "さ", "た", "な", "は", "ま", "や", "ら", "わ")
OTHER = "その他"
# The last plain katakana of each row (ン closes わ行); a plain kana belongs to the first row
# whose last kana it does not pass (katakana code points follow the 五十音).
_ROW_ENDS = tuple(zip("オコソトノホモヨロン", ROWS, strict=True))
# Small kana and their full-size forms (ヵ and ヶ are read as カ and ケ). Voiced kana, ヴ and
# ヷ–ヺ included, decompose under NFD into their plain kana and a combining mark.
_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_VOICE_MARKS = {"\u3099", "\u309a"}  # combining (han)dakuten, once decomposed


def plain_kana(text: str) -> str:
    """The normalised furigana with voiced marks removed and small kana made full-size:
    'がっこう' → 'カツコウ', 'ヴィ' → 'ウイ'. The primary key of 五十音 order."""
    decomposed = unicodedata.normalize("NFD", normalize_kana(text))
    return "".join(c for c in decomposed if c not in _VOICE_MARKS).translate(_SMALL)


def kana_row(furigana: str) -> str:
    """The row heading of a furigana: one of ROWS by its first kana ('ガ' → 'か', 'ヴ' → 'あ',
    half-width 'ﾀﾅｶ' → 'た'), or OTHER when it is empty or does not start with a kana."""
    first = plain_kana(furigana)[:1]
    if not "ア" <= first <= "ン":  # also empty, Latin letters, digits and a leading ー
        return OTHER
    return next(row for last, row in _ROW_ENDS if first <= last)


def gojuon_key(furigana: str) -> tuple[int, str, str]:
    """Sort key of 五十音 order: the row (OTHER last), then the plain kana, then the exact
    normalised kana (カトウ before ガトウ before カトリ)."""
    row = kana_row(furigana)
    position = ROWS.index(row) if row in ROWS else len(ROWS)
    return position, plain_kana(furigana), normalize_kana(furigana)
