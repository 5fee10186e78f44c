"""What a public, query-only SPARQL endpoint refuses, decided on the parsed query — never on its text.

Two steps, in two places:

- ``precheck`` (in the web worker, linear in the length, evaluates nothing): brackets nested deeper
  than ``MAX_DEPTH`` are refused, after the SPARQL ``\\u``/``\\U`` escapes are undone as every
  parser does first. Recursive-descent parsers overflow their stack on a few thousand nested
  ``{`` — a 20 KB request would otherwise crash whichever process parses it.
- ``check`` (in the query child, before evaluation): the query is parsed into SPARQL algebra by
  rdflib's parser and the algebra is walked. Refused: SERVICE in any form or nesting (it would make
  the server connect elsewhere), FROM / FROM NAMED naming anything but this dataset's graphs,
  updates. Spelling cannot matter — case, escapes, comments, whitespace and prefixed names are
  the parser's business, and the walk sees only the result. A query the parser cannot read is
  refused, not evaluated. Behind this check the child has no network at all (webapp/sandbox.py),
  so a parser difference between rdflib and Oxigraph can at worst make a query fail.
"""
from __future__ import annotations

from atdkg.queries import lexical

MAX_DEPTH = 64  # rdflib's parser needs ~50 Python frames a level; the child allows 8,000 (see runner)

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


class Refused(ValueError):
    """The request asks for something the endpoint does not do (a 4xx, never evaluated)."""


def precheck(text: str) -> None:
    depth = lexical.nesting_depth(text)
    if depth > MAX_DEPTH:
        raise Refused(f"the query nests brackets {depth} levels deep; this endpoint parses at most {MAX_DEPTH}")


def check_dataset(local_graphs: set[str], default_graph_uris=(), named_graph_uris=()) -> None:
    """The protocol's default-graph-uri / named-graph-uri parameters may name only local graphs."""
    for uri in [*default_graph_uris, *named_graph_uris]:
        if uri not in local_graphs:
            raise Refused(f"default-graph-uri / named-graph-uri {uri[:80]!r} is not a graph of this dataset")


def check(text: str, local_graphs: set[str], prefixes: dict[str, str] | None = None) -> str:
    """Parse ``text`` (after the standard ``prefixes`` declarations), walk its algebra, and return the
    query form (SELECT, ASK, CONSTRUCT, DESCRIBE). Raises Refused, or QuerySyntaxError with the line
    and column in ``text`` itself."""
    from rdflib.plugins.sparql.algebra import translateQuery

    from atdkg.queries.stores import parse_query

    parsed = parse_query(text, prefixes)
    try:
        query = translateQuery(parsed)
    except RecursionError:
        raise Refused(f"the query is nested too deeply to check; at most {MAX_DEPTH} levels") from None
    except Exception as e:  # noqa: BLE001 - rdflib's algebra has bugs of its own; never evaluate unchecked
        raise Refused(f"the query could not be checked ({type(e).__name__}: {str(e)[:200]}); "
                      "simplify it or run it on your own copy of the data (/downloads)") from None
    for node in _walk(query.algebra):
        if node.name == "ServiceGraphPattern":
            raise Refused("SERVICE (federated queries) is not allowed on this endpoint")
    for clause in query.algebra.get("datasetClause") or ():
        iri = str(clause.get("default") or clause.get("named") or "")
        if iri not in local_graphs:
            raise Refused(f"FROM / FROM NAMED may only name this dataset's graphs (see /sparql's service "
                          f"description); {iri[:80]!r} is not one of them")
    return FORMS[query.algebra.name]


def _walk(node):
    """Every algebra node (rdflib CompValue) below ``node``, the node itself included, each once."""
    from rdflib.plugins.sparql.parserutils import CompValue
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
