"""What a public, query-only SPARQL endpoint refuses before it evaluates anything.

- updates (INSERT, DELETE, LOAD, CLEAR, DROP, …): the parser only accepts queries, and the
  ``update`` parameter and application/sparql-update bodies are refused outright;
- SERVICE in any form or nesting: it would make the server connect elsewhere;
- FROM / FROM NAMED and default-graph-uri / named-graph-uri naming anything but this dataset's
  own graphs: Oxigraph would otherwise try to load them.

Checks are lexical (keywords outside strings, IRIs and comments) so that no parser difference
can let a SERVICE through; a query that mentions one is refused even where a parser might
have read it otherwise.
"""
from __future__ import annotations

import re

_TOKENS = re.compile(r'''
      (?P<comment>\#[^\n]*)
    | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<word>(?<![?$\w:\-.])[A-Za-z][A-Za-z_]*(?![\w:]))
''', re.X)
FORBIDDEN_WORDS = {"SERVICE": "SERVICE (federated queries) is not allowed on this endpoint",
                   "LOAD": "updates are not allowed on this endpoint (read-only)",
                   "INSERT": "updates are not allowed on this endpoint (read-only)",
                   "DELETE": "updates are not allowed on this endpoint (read-only)",
                   "CLEAR": "updates are not allowed on this endpoint (read-only)",
                   "DROP": "updates are not allowed on this endpoint (read-only)",
                   "CREATE": "updates are not allowed on this endpoint (read-only)",
                   "COPY": "updates are not allowed on this endpoint (read-only)",
                   "MOVE": "updates are not allowed on this endpoint (read-only)",
                   "ADD": "updates are not allowed on this endpoint (read-only)"}


class Refused(ValueError):
    """The request asks for something the endpoint does not do (a 4xx, never evaluated)."""


def inspect(query: str, local_graphs: set[str], default_graph_uris: list[str] = (),
            named_graph_uris: list[str] = ()) -> None:
    """Raise Refused if the query or the dataset parameters reach outside this dataset."""
    words = []
    for m in _TOKENS.finditer(query):
        if m.lastgroup == "word":
            words.append((m.group("word").upper(), m.end()))
    for i, (word, end) in enumerate(words):
        if word in FORBIDDEN_WORDS:
            raise Refused(FORBIDDEN_WORDS[word])
        if word == "FROM":
            rest = query[end:].lstrip()
            iri = re.match(r"(?:NAMED\s+)?<([^>]*)>", rest, re.I)
            if not iri or iri.group(1) not in local_graphs:
                raise Refused("FROM / FROM NAMED may only name this dataset's graphs: "
                              + ", ".join(sorted(local_graphs)[:3]) + ", …")
    for uri in [*default_graph_uris, *named_graph_uris]:
        if uri not in local_graphs:
            raise Refused(f"default-graph-uri / named-graph-uri {uri[:80]!r} is not a graph of this dataset")
