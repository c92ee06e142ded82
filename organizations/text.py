"""Script-independent forms of names, for duplicate detection and search.

"Жасыл Қала", "Zhasyl Qala", "Jasyl Qala" and "ZHASIL KALA" all fold to the same key, so that a
reviewer sees likely duplicates and a search in any script or common romanisation finds the
organization. The key is a comparison form only, never shown: Cyrillic is transliterated, the
usual Latin spellings of one sound are folded to one (я/ya/ia, ж/zh/j, ш/ş/sh, ц/ts/c, х/kh/x/h,
қ/q/k, ы/ý/y/i, ...) and doubled letters are written once.

The database has a copy of `normalize_name` as the SQL function `portal_fold` (portal's
migrations); tests/organizations/test_search.py checks on PostgreSQL that both agree.
"""

import re

from unidecode import unidecode

# Letters of the Central Asian Cyrillic alphabets that unidecode spells with apostrophes.
_CENTRAL_ASIAN = {
    "Қ": "Q", "қ": "q", "Ғ": "G", "ғ": "g", "Ң": "N", "ң": "n",
    "Ү": "U", "ү": "u", "Ұ": "U", "ұ": "u", "Ө": "O", "ө": "o",
    "Һ": "H", "һ": "h", "І": "I", "і": "i", "Ә": "A", "ә": "a",
    "Ҳ": "H", "ҳ": "h", "Ҷ": "J", "ҷ": "j", "Ӣ": "I", "ӣ": "i",
    "Ӯ": "U", "ӯ": "u", "Ў": "O", "ў": "o",
}  # fmt: skip
# Letters of the Turkmen, Kazakh and Uzbek Latin alphabets that stand for a digraph elsewhere
# (unidecode would drop the cedilla or caron: "Ýaşlar" must meet "Yashlar", not "Yaslar").
_TURKIC_LATIN = {
    "Ş": "Sh", "ş": "sh", "Ç": "Ch", "ç": "ch", "Ž": "Zh", "ž": "zh",
}  # fmt: skip
_LETTERS = str.maketrans(_CENTRAL_ASIAN | _TURKIC_LATIN)

# Spelling variants of the same sound, folded in this order (portal_fold does the same).
FOLDS = [
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("shch", "sh"),
    ("kh", "h"),
    ("gh", "g"),
    ("ts", "c"),
]
# Then single letters: q → k, x → h, w → v, y → i.
SINGLE_FOLDS = ("qxwy", "khvi")
_SINGLE_FOLDS = str.maketrans(*SINGLE_FOLDS)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# "Yerlan" and "Ерлан" (Erlan): a word-initial "ie" (from "ye") is an "e".
_INITIAL_IE = re.compile(r"(^| )ie")
_DOUBLED = re.compile(r"([a-z])\1+")


def transliterate(text):
    """Latin letters for any Cyrillic (including Kazakh, Uzbek, Tajik) text, lower-cased."""
    return unidecode((text or "").translate(_LETTERS)).lower()


def normalize_name(text):
    """A comparison key: transliterated, folded, only letters and digits separated by spaces."""
    key = _NON_ALNUM.sub(" ", transliterate(text).replace("'", "").replace("`", ""))
    for variant, canonical in FOLDS:
        key = key.replace(variant, canonical)
    key = key.translate(_SINGLE_FOLDS)
    key = _INITIAL_IE.sub(r"\1e", key)
    key = _DOUBLED.sub(r"\1", key)
    return " ".join(key.split())
