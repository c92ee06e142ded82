"""Script-independent forms of names, for duplicate detection and search.

"Жасыл Қала", "Zhasyl Qala" and "ZHASYL KALA" all normalise to the same key, so that a
reviewer sees likely duplicates and a search in either script finds the organization.
"""

import re

from unidecode import unidecode

# Letters of the Central Asian Cyrillic alphabets that unidecode spells with apostrophes.
_CENTRAL_ASIAN = str.maketrans(
    {
        "Қ": "Q", "қ": "q", "Ғ": "G", "ғ": "g", "Ң": "N", "ң": "n",
        "Ү": "U", "ү": "u", "Ұ": "U", "ұ": "u", "Ө": "O", "ө": "o",
        "Һ": "H", "һ": "h", "І": "I", "і": "i", "Ә": "A", "ә": "a",
        "Ҳ": "H", "ҳ": "h", "Ҷ": "J", "ҷ": "j", "Ӣ": "I", "ӣ": "i",
        "Ӯ": "U", "ӯ": "u", "Ў": "O", "ў": "o",
    }
)  # fmt: skip

# Spelling variants of the same sound in the usual Latin transcriptions.
_FOLDS = [("dzh", "j"), ("zh", "j"), ("kh", "h"), ("q", "k"), ("x", "h"), ("w", "v"), ("yo", "e")]
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def transliterate(text):
    """Latin letters for any Cyrillic (including Kazakh, Uzbek, Tajik) text, lower-cased."""
    return unidecode((text or "").translate(_CENTRAL_ASIAN)).lower()


def normalize_name(text):
    """A comparison key: transliterated, folded, only letters and digits separated by spaces."""
    key = _NON_ALNUM.sub(" ", transliterate(text).replace("'", "").replace("`", ""))
    for variant, canonical in _FOLDS:
        key = key.replace(variant, canonical)
    return " ".join(key.split())
