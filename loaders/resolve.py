"""Entity resolution: one key per real-world organisation, person and State across documents.

Listed organisations resolve through the gazetteer (names, acronyms, aliases, folded for case
and accents). A name not listed still gets a stable key built from its name and its parent's
key, and a warning, so rebuilding gives the same IRIs.
"""
from __future__ import annotations

import re
from collections import defaultdict

from .gazetteer import Gazetteer, Org
from .names import fold, slug
from .records import OrgRef

GOVERNMENT_CLASSES = {"Government", "GovernmentBody", "PermanentMission"}
CLASS_BY_WORD = [
    (re.compile(r"\b(University|School|Faculty|Institute|College)\b"), "AcademicInstitution"),
    (re.compile(r"\b(Foundation|Stiftung)\b"), "Foundation"),
    (re.compile(r"\bCommission (?:on|for) Human Rights\b|\bHuman Rights Commission\b"),
     "NationalHumanRightsInstitution"),
    (re.compile(r"\b(Network|Coalition|Platform|Alliance)\b"), "CivilSocietyNetwork"),
    (re.compile(r"\b(Municipality|City of|County|Mayor)\b"), "LocalGovernment"),
    (re.compile(r"\b(Ministry|Government)\b"), "GovernmentBody"),
    (re.compile(r"\b(Society|Association|NGO)\b"), "CivilSocietyOrganisation"),
]


class Resolver:
    def __init__(self, gazetteer: Gazetteer):
        self.gz = gazetteer
        self.minted: dict[str, Org] = {}
        self.warnings: list[str] = []
        self.names_seen: dict[str, set[str]] = defaultdict(set)  # org key → names as written

    def org(self, key: str) -> Org:
        return self.minted[key] if key in self.minted else self.gz.org(key)

    def state_of(self, key: str | None) -> str | None:
        """The State whose government an organisation belongs to, following parents."""
        seen = set()
        while key and key not in seen:
            seen.add(key)
            o = self.org(key)
            if o.state:
                return o.state
            key = o.parent
        return None

    def _is_governmental(self, key: str | None) -> bool:
        while key:
            o = self.org(key)
            if o.cls in GOVERNMENT_CLASSES:
                return True
            key = o.parent
        return False

    def org_key(self, ref: OrgRef, where: str) -> str:
        """The key for an organisation as a document names it, minting one for unlisted names."""
        key = ref.key
        parent = None
        if key is None:
            parent = self.org_key(ref.parent, where) if ref.parent is not None else None
            state = self.state_of(parent)
            candidates = [ref.name, *([ref.acronym, f"{ref.name} ({ref.acronym})"] if ref.acronym else [])]
            key = next((k for c in candidates if (k := self.gz.resolve_org(c, state))), None)
        if key is None:
            key = f"{parent}/{slug(ref.name)}" if parent else f"{ref.scope}/{slug(ref.name)}" if ref.scope \
                else slug(ref.name)
            if key not in self.minted:
                self.minted[key] = self._mint(key, ref, parent)
                self.warnings.append(f"{where}: organisation {ref.name!r} is not in the gazetteer; "
                                     f"identified as {key!r} (add it to data/gazetteer/organisations.csv)")
        if ref.based_in and key in self.minted and not self.minted[key].based_in:
            self.minted[key].based_in = ref.based_in
        self.names_seen[key].add(ref.name)
        return key

    def _mint(self, key: str, ref: OrgRef, parent: str | None) -> Org:
        cls = next((c for pattern, c in CLASS_BY_WORD if pattern.search(ref.name)), "Organisation")
        state = None
        if parent and self._is_governmental(parent) and not ref.anonymous_context:
            cls, state = "GovernmentBody", self.state_of(parent)
        elif parent and cls in ("Organisation", "GovernmentBody", "CivilSocietyNetwork"):
            cls = "OrganisationalUnit"
        if ref.anonymous_context:
            parent = None if parent and self._is_governmental(parent) else parent
        return Org(key, ref.name, cls, [ref.acronym] if ref.acronym else [], [], parent, state,
                   None if ref.anonymous_context else ref.based_in, None, listed=False)

    def alt_names(self, key: str) -> list[str]:
        """Names documents used that differ (beyond case and accents) from the label and acronyms."""
        o = self.org(key)
        known = {fold(n) for n in [o.label, *o.acronyms]}
        return sorted(n for n in self.names_seen.get(key, set()) | set(o.aliases) if fold(n) not in known
                      and not n.lower().startswith("the "))


def canonical_person_name(variants: list[str]) -> str:
    """Prefer the spelling with most diacritics ("Mário" over "Mario"): conversion loses accents, never adds them."""
    return max(variants, key=lambda n: (sum(1 for ch in n if ord(ch) > 127), -variants.index(n)))
