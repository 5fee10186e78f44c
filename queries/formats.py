"""Write results in the SPARQL 1.1 results formats (JSON, XML, CSV, TSV), a text table, or RDF."""
from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from .stores import Result

SELECT_FORMATS = {"table": "text/plain", "csv": "text/csv", "tsv": "text/tab-separated-values",
                  "json": "application/sparql-results+json", "xml": "application/sparql-results+xml"}
GRAPH_FORMATS = {"turtle": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}
RDFLIB_NAMES = {"turtle": "turtle", "jsonld": "json-ld", "nt": "nt"}


def _json_term(t) -> dict:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    out = {"type": "literal", "value": str(t)}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and t.datatype != XSD.string:
        out["datatype"] = str(t.datatype)
    return out


def _xml_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<uri>{escape(str(t))}</uri>"
    if isinstance(t, BNode):
        return f"<bnode>{escape(str(t))}</bnode>"
    attrs = f" xml:lang={quoteattr(t.language)}" if t.language else (
        f" datatype={quoteattr(str(t.datatype))}" if t.datatype and t.datatype != XSD.string else "")
    return f"<literal{attrs}>{escape(str(t))}</literal>"


def _tsv_term(t) -> str:
    if isinstance(t, Literal) and t.datatype in (XSD.integer, XSD.decimal, XSD.double, XSD.boolean):
        return str(t)
    return t.n3().replace("\t", "\\t").replace("\n", "\\n")


def _table(result: Result) -> str:
    if not result.vars:
        return ""
    cells = [[v for v in result.vars]] + [[_short(row.get(v)) for v in result.vars] for row in result.rows]
    widths = [min(60, max(len(r[i]) for r in cells)) for i in range(len(result.vars))]
    lines = []
    for k, r in enumerate(cells):
        lines.append("  ".join(c[:60].ljust(w) for c, w in zip(r, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
                 + (", truncated by --limit)" if result.truncated else ")"))
    return "\n".join(lines) + "\n"


def _short(t) -> str:
    return "" if t is None else str(t).replace("\n", " ")


def write(result: Result, fmt: str) -> str:
    """The result as text in ``fmt``; raises ValueError naming the valid formats."""
    if result.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"--format {fmt}: a CONSTRUCT/DESCRIBE result is written as {', '.join(GRAPH_FORMATS)}")
        return result.triples.serialize(format=RDFLIB_NAMES[fmt])
    if fmt not in SELECT_FORMATS:
        raise ValueError(f"--format {fmt}: a SELECT/ASK result is written as {', '.join(SELECT_FORMATS)}")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        if fmt == "xml":
            return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                    f"<boolean>{str(result.boolean).lower()}</boolean></sparql>\n")
        return f"{str(result.boolean).lower()}\n"
    if fmt == "table":
        return _table(result)
    if fmt == "json":
        bindings = [{k: _json_term(v) for k, v in row.items()} for row in result.rows]
        return json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in result.vars]
        out += ["</head>", "<results>"]
        for row in result.rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>"
                                            for k, v in row.items()) + "</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(result.vars)
        for row in result.rows:
            w.writerow([str(row[v]) if v in row else "" for v in result.vars])
        return buf.getvalue()
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(row[v]) if v in row else "" for v in result.vars) for row in result.rows]
    return "\n".join(lines) + "\n"
