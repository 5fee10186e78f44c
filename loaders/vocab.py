"""Assign practice categories and target groups to passages by the schemes' hidden labels."""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from atdkg.ontology import VOCABULARIES as VOCAB_FILE
from atdkg.terms import V


class Vocabulary:
    def __init__(self, path: Path = VOCAB_FILE):
        g = Graph()
        g.parse(path)
        self._schemes: dict[str, list[tuple[str, re.Pattern]]] = {}
        self._any: dict[str, re.Pattern] = {}  # every label of a scheme: most passages name none, one search says so
        self._seen: dict[tuple[str, str], list[str]] = {}  # a passage is asked again by the stages after the parser
        for scheme in ("practice-categories", "target-groups"):
            entries = []
            every: list[str] = []
            for concept in sorted(g.subjects(SKOS.inScheme, V[scheme]), key=str):  # the concepts are IRIs
                labels = sorted(str(label) for label in g.objects(concept, SKOS.hiddenLabel))
                if labels:
                    every += labels
                    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
                    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)
                    entries.append((str(concept).rsplit("/", 1)[-1], pattern))
            self._schemes[scheme] = entries
            alternatives = "|".join(re.escape(label) for label in sorted(set(every), key=len, reverse=True))
            self._any[scheme] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)

    def _match(self, scheme: str, text: str) -> list[str]:
        if (found := self._seen.get((scheme, text))) is not None:
            return list(found)
        if len(self._seen) > 50_000:  # bounded: a corpus of many documents must not grow it for ever
            self._seen.clear()
        found = [key for key, pattern in self._schemes[scheme] if pattern.search(text)] \
            if self._any[scheme].search(text) else []
        self._seen[(scheme, text)] = found
        return list(found)

    def forget(self) -> None:
        """Drop what was remembered of passages read before (a benchmark parses each text as new)."""
        self._seen.clear()

    def categories(self, text: str) -> list[str]:
        """Keys (``practice-…``) of the practice categories ``text`` mentions."""
        return self._match("practice-categories", text)

    def targets(self, text: str) -> list[str]:
        """Keys (``target-…``) of the target groups ``text`` mentions."""
        return self._match("target-groups", text)
