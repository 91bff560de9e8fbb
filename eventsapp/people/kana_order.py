"""五十音 order of names by their furigana, the order of a paper list at a reception desk.

Sorting the stored key (Person.kana_key: full-width katakana, no spaces) by code point is almost
that order, but not quite, and the databases do not agree on it (a PostgreSQL collation may
weigh kana differently from SQLite's bytes). So a list shown in kana order is sorted here, in
Python, with the dictionary's rule: compare the plain sounds first — voiced marks dropped
(ガ as カ), small kana as large (ッ as ツ), the long-vowel mark ー as the vowel it lengthens
(コーノ as コオノ) — and only then the marks themselves (カ before ガ before … ; ハ, バ, パ).
"""
import unicodedata

from .identity import normalize_kana

SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
VOICING_MARKS = {"\u3099", "\u309a"}  # combining (han)dakuten, as NFD separates them
# Each kana's vowel, read down the columns of the 五十音 table (ン and others have none).
ROWS = ("アカサタナハマヤラワ", "イキシチニヒミ リヰ", "ウクスツヌフムユル ", "エケセテネヘメ レヱ", "オコソトノホモヨロヲ")
VOWELS = "アイウエオ"
VOWEL_OF = {kana: VOWELS[index] for index, row in enumerate(ROWS) for kana in row if kana != " "}


def plain_sounds(kana: str) -> str:
    """The furigana with its voiced marks dropped, small kana made large and ー read as a vowel."""
    plain = []
    for char in unicodedata.normalize("NFD", kana):
        if char in VOICING_MARKS:
            continue
        char = char.translate(SMALL_TO_LARGE)
        if char == "ー" and plain:
            char = VOWEL_OF.get(plain[-1], plain[-1])
        plain.append(char)
    return "".join(plain)


def gojuon_key(kana: str, name: str = "") -> tuple:
    """Sort key of a person in 五十音 order: by plain sounds, then the exact kana, then the
    name; a person without furigana comes after everyone who has one."""
    key = normalize_kana(kana)
    return (key == "", plain_sounds(key), key, name)
