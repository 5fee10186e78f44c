"""Bind parameter values into a query as a VALUES block — never by pasting text.

Engines without a binding API (SPARQL servers over HTTP; pyoxigraph only substitutes projected
variables) get the values as the first element of the query's WHERE group:

    SELECT … WHERE { VALUES (?date) { ("2021-06-29"^^<…#date>) } … }

Each value is an RDF term written by ``term_to_sparql``, which escapes every character a
SPARQL string or IRI cannot hold; tests check the round trip (parse the bound query, read the
value back, it is the value given) for arbitrary strings, quotes, backslashes, newlines, NUL,
emoji and 10k-character values.
"""
from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from . import QueryError

_ECHAR = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f", '"': '\\"', "'": "\\'", "\\": "\\\\"}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ECHAR:
            out.append(_ECHAR[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def term_to_sparql(term) -> str:
    """The SPARQL syntax of an RDF term, safe to place where a term is expected."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise QueryError(f"{str(term)[:80]!r} is not a valid IRI (no spaces, quotes, <>{{}}|^`\\)")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = _escape_string(str(term))
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{term_to_sparql(URIRef(term.datatype))}"
        return text
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be a parameter value")
    raise QueryError(f"cannot use {term!r} as a parameter value")


_TOKEN = re.compile(r'''
      (?P<comment>\#[^\n]*)
    | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                 |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<where>\bWHERE\b)
    | (?P<brace>\{)
''', re.X | re.I)


def where_group_start(query: str) -> int:
    """Offset just after the "{" that opens the query's WHERE group (outside strings, IRIs, comments)."""
    first_brace = None
    seen_where = False
    for m in _TOKEN.finditer(query):
        if m.lastgroup == "where":
            seen_where = True
        elif m.lastgroup == "brace":
            if seen_where:
                return m.end()
            if first_brace is None:
                first_brace = m.end()
    if first_brace is None:
        raise QueryError("the query has no group pattern ({ … }) to bind parameters in")
    return first_brace


def bind_values(query: str, bindings: dict) -> str:
    """The query with ``bindings`` (name → RDF term) as a VALUES block opening its WHERE group."""
    if not bindings:
        return query
    names = sorted(bindings)
    for n in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n):
            raise QueryError(f"{n!r} is not a SPARQL variable name")
    block = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(term_to_sparql(bindings[n]) for n in names) + ") } ")
    at = where_group_start(query)
    return query[:at] + block + query[at:]
