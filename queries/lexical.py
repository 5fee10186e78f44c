"""SPARQL's lexical layer, as the grammar defines it (SPARQL 1.1 Query, section 19): codepoint
escapes, string literals, IRIs and comments. Used to measure nesting before any parser recurses,
and to give rdflib's parser text it reads the way Oxigraph does.
"""
from __future__ import annotations

import re

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
ECHAR = r"""\\[tbnrf\\"']"""
# tried in this order at each position outside a token; the long strings first
TOKENS = re.compile(rf'''
      (?P<long2>"""(?:(?:"|"")?(?:[^"\\]|{ECHAR}))*""")
    | (?P<long1>\'\'\'(?:(?:\'|\'\')?(?:[^'\\]|{ECHAR}))*\'\'\')
    | (?P<string2>"(?:[^"\\\n\r]|{ECHAR})*")
    | (?P<string1>'(?:[^'\\\n\r]|{ECHAR})*')
    | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<escape>\\.)
''', re.X)
OPEN, CLOSE = set("{(["), set("})]")
_PAIR = re.compile(r"\\(.)", re.S)


def unescape(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters, everywhere, before tokenising
    (section 19.2) — a query may spell any keyword or bracket that way."""
    def char(m):
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _CODEPOINT.sub(char, text)


def scan(text: str):
    """(kind, start, end) of every string, IRI, comment and escape, and ("char", i, i + 1) of every other
    character, over text already unescaped."""
    i, n = 0, len(text)
    while i < n:
        m = TOKENS.match(text, i)
        if m:
            yield m.lastgroup, i, m.end()
            i = m.end()
        else:
            yield "char", i, i + 1
            i += 1


def nesting_depth(text: str) -> int:
    """The deepest nesting of { ( [ outside strings, IRIs and comments."""
    text = unescape(text)
    depth = deepest = 0
    for kind, start, _ in scan(text):
        if kind != "char":
            continue
        c = text[start]
        if c in OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif c in CLOSE:
            depth = max(0, depth - 1)
    return deepest


def for_rdflib(text: str) -> str:
    """``text`` unescaped, with the one escape rdflib's grammar lacks rewritten: the grammar allows
    ``\\'`` in double-quoted strings and ``\\"`` in single-quoted ones (ECHAR), rdflib 7 does not.
    Inside a string the quote needs no escape, so the string's value is the same."""
    text = unescape(text)
    out, last = [], 0
    for kind, start, end in scan(text):
        quote = {"string2": "'", "long2": "'", "string1": '"', "long1": '"'}.get(kind)
        if quote:  # escapes pair up left to right: "\\'" is an escaped backslash, then a quote
            # (re.sub calls the lambda at once, with this iteration's quote)
            fixed = _PAIR.sub(lambda m: quote if m.group(1) == quote else m.group(0), text[start:end])  # noqa: B023
            out += [text[last:start], fixed]
            last = end
    out.append(text[last:])
    return "".join(out)
