"""Names: clean for display, fold for matching, slug for IRIs.

One person or organisation must get one IRI across documents however a document spells
it: "Mário"/"Mario", "Ms. Carolina Gottardo"/"Carolina Gottardo", "Açı̇k" (a dotless i
with a stray combining dot from PDF conversion).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

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


def trie_alternation(words: Iterable[str]) -> str:
    """One regular expression for a set of literal words, their common beginnings factored out ("Niger(?:ia)?",
    "Gu(?:inea(?:-Bissau)?|yana)"). It matches what the plain alternation longest-first would, and much faster:
    the engine tries each letter once, not each of hundreds of names at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a word ends here and longer ones go on: the longer first (a greedy optional)
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return pattern(trie)
