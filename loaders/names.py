"""Names: clean for display, fold for matching, slug for IRIs.

One person or organisation must get one IRI across documents however a document spells
it: "Mário"/"Mario", "Ms. Carolina Gottardo"/"Carolina Gottardo", "Açı̇k" (a dotless i
with a stray combining dot from PDF conversion).
"""
from __future__ import annotations

import re

from atdkg.terms import clean, fold, slug  # noqa: F401 - the loaders' names, from the one shared module

# Longest first so "Rev. Dr." is taken whole and "Mrs." is not read as "Mr".
HONORIFICS = [
    "H.E. Mrs.", "H.E. Mr.", "H.E. Ms.", "H.E.", "Rev. Dr.", "Prof. Dr.", "Professor", "Prof.",
    "Mrs.", "Mrs", "Ms.", "Ms", "Mr.", "Mr", "Dr.", "Dr", "Rev.", "Sir", "Dame",
]
_HONORIFIC_RE = re.compile(
    r"^((?:(?:" + "|".join(re.escape(h) for h in HONORIFICS) + r")(?=\s|$)\s*)+)")


def split_honorific(name: str) -> tuple[str | None, str]:
    """("Rev. Dr.", "Comfort Asare") from "Rev. Dr. Comfort Asare"."""
    text = clean(name)
    m = _HONORIFIC_RE.match(text)
    if not m:
        return None, text
    honorific = re.sub(r"\s+", " ", m.group(1)).strip()
    return honorific, text[m.end():].strip()


def looks_like_person(name: str) -> bool:
    """Two to six capitalised words (particles allowed), no digits: "Najat Maalla M'jid"."""
    words = clean(name).split()
    if not 2 <= len(words) <= 6 or re.search(r"\d", name):
        return False
    particles = {"de", "da", "van", "von", "der", "del", "la", "le", "bin", "al", "el"}
    return all(w[:1].isupper() or w.lower() in particles for w in words)
