"""Re-lay a web-converted source as text extracted from a PDF would look.

What pdftotext-style extraction does to a document, each as an option so tests can apply
one at a time or all together:
- hard line breaks inside paragraphs (wrap at ``width`` columns, also at existing hyphens),
- words hyphenated at line ends ("organi-" / "sations"),
- bullets as "•" with indented continuation lines,
- markdown residue gone (links are plain text, no italics),
- pages: a form feed, a running header (the document's first line) and a page number.
"""
from __future__ import annotations

import re
import textwrap

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
MARKER = re.compile(r"^((?:- |• |\(\d+\) |\d{1,2}[.)] |\d{1,2}:\d{2} ))")


def plain(text: str) -> str:
    """Markdown residue out, as a PDF never had it."""
    text = LINK.sub(r"\1", text)
    text = ITALIC.sub(r"\1", text)
    return text.replace("\\(", "(").replace("\\)", ")")


def _hyphenate(lines: list[str], width: int) -> list[str]:
    """Move the first half of a long next-line word up, with a hyphen, where it fits."""
    out = list(lines)
    for k in range(len(out) - 1):
        nxt = out[k + 1]
        lead = len(nxt) - len(nxt.lstrip())
        m = re.match(r"([a-z]{10,})(?=[\s,.;:]|$)", nxt.lstrip())
        if not m or not out[k].strip():
            continue
        word = m.group(1)
        cut = len(word) // 2
        if len(out[k]) + 1 + cut + 1 <= width + 6:
            out[k] = f"{out[k]} {word[:cut]}-"
            out[k + 1] = " " * lead + word[cut:] + nxt.lstrip()[len(word):]
    return out


def _wrap(line: str, width: int, bullets: bool) -> list[str]:
    m = MARKER.match(line)
    marker = m.group(1) if m else ""
    body = line[len(marker):]
    if bullets and marker == "- ":
        marker = "• "
    indent = " " * len(marker) if marker else ""
    return textwrap.wrap(body, width=width, initial_indent=marker, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=True) or [line]


def pdf_layout(text: str, width: int = 72, hyphenate: bool = True, bullets: bool = True,
               pages: int | None = 38, markdown: bool = False) -> str:
    """The document as a PDF extraction: wrapped, hyphenated, bulleted, paginated."""
    if not markdown:
        text = plain(text)
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(_wrap(line, width, bullets) if line.strip() else [""])
    if hyphenate:
        out = _hyphenate(out, width)
    if not pages:
        return "\n".join(out) + "\n"
    header = next(l for l in out if l.strip()).strip()
    paged: list[str] = []
    for n, start in enumerate(range(0, len(out), pages), start=1):
        if n > 1:
            paged += ["", f"{n - 1}", "\f" + header, ""]
        paged += out[start:start + pages]
    paged += ["", f"{n}"]
    return "\n".join(paged) + "\n"
