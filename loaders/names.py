"""Names: clean for display, fold for matching, slug for IRIs.

One person or organisation must get one IRI across documents however a document spells
it: "Mário"/"Mario", "Ms. Carolina Gottardo"/"Carolina Gottardo", "Açı̇k" (a dotless i
with a stray combining dot from PDF conversion).
"""
from __future__ import annotations

import re
import unicodedata

# Longest first so "Rev. Dr." is taken whole and "Mrs." is not read as "Mr".
HONORIFICS = [
    "H.E. Mrs.", "H.E. Mr.", "H.E. Ms.", "H.E.", "Rev. Dr.", "Prof. Dr.", "Professor", "Prof.",
    "Mrs.", "Mrs", "Ms.", "Ms", "Mr.", "Mr", "Dr.", "Dr", "Rev.", "Sir", "Dame",
]
_HONORIFIC_RE = re.compile(
    r"^((?:(?:" + "|".join(re.escape(h) for h in HONORIFICS) + r")(?=\s|$)\s*)+)")


def clean(name: str) -> str:
    """Display form: NFC, stray combining marks dropped, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFC", name)
    # After NFC a combining mark that is still separate had nothing to compose with:
    # a conversion artefact (e.g. U+0307 after a dotless i), not part of the name.
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\s+", " ", text)
    return text.strip(" ,;:-–")


def split_honorific(name: str) -> tuple[str | None, str]:
    """("Rev. Dr.", "Comfort Asare") from "Rev. Dr. Comfort Asare"."""
    text = clean(name)
    m = _HONORIFIC_RE.match(text)
    if not m:
        return None, text
    honorific = re.sub(r"\s+", " ", m.group(1)).strip()
    return honorific, text[m.end():].strip()


def fold(text: str) -> str:
    """Matching key: accents and case folded, punctuation to spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", clean(text).replace("ı", "i"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.casefold().replace("&", " and ").replace("’", "'")
    bare = re.sub(r"[^\w']+|'", " ", bare)
    return re.sub(r"\s+", " ", bare).strip()


def slug(text: str) -> str:
    """IRI segment: folded, words joined by hyphens ("mario-martins")."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "unnamed"


def looks_like_person(name: str) -> bool:
    """Two to six capitalised words (particles allowed), no digits: "Najat Maalla M'jid"."""
    words = clean(name).split()
    if not 2 <= len(words) <= 6 or re.search(r"\d", name):
        return False
    particles = {"de", "da", "van", "von", "der", "del", "la", "le", "bin", "al", "el"}
    return all(w[:1].isupper() or w.lower() in particles for w in words)
