"""What every part of atd-kg shares: the namespaces of its terms, the default IRI base, and the one
way names are cleaned for display and folded for matching (so loaders, network, search and pages
agree on when two spellings are the same name)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import Namespace

DEFAULT_BASE = "https://w3id.org/atd-kg/"
ATD = Namespace("https://w3id.org/atd-kg/ontology#")   # terms of our own (atd:Practice, atd:Participation …)
V = Namespace("https://w3id.org/atd-kg/vocab/")        # SKOS concept schemes (v:roles, v:gcm-objectives …)
ATDSH = Namespace("https://w3id.org/atd-kg/shapes#")   # SHACL shapes


def clean(name: str) -> str:
    """Display form: NFC, stray combining marks dropped, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFC", name)
    # After NFC a combining mark that is still separate had nothing to compose with:
    # a conversion artefact (e.g. U+0307 after a dotless i), not part of the name.
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\s+", " ", text)
    return text.strip(" ,;:-–")


@lru_cache(maxsize=65536)  # pure, and asked for the same names again and again (resolution, matching, search)
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
