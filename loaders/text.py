"""Text normalisation that remembers where every character came from.

Parsers work on *logical lines*: one paragraph, heading, bullet or agenda line each,
rebuilt from whatever layout the document came in (one paragraph per line as in the
web-converted sources, or text extracted from PDF with hard line breaks, hyphenated
line ends, bullets broken across lines, page numbers and running headers).

Every character of a logical line carries the [start, end) character offsets of the
original text it was made from, so a match in clean text maps back to the exact
passage of the original file (see ``Line.span``). Offsets count Unicode code points of
the file decoded as UTF-8 with no newline translation (see ``loaders.sources``).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

BULLET_RE = re.compile(r"^(?:[-•·◦▪●*–]|o)\s+(?=\S)")
NUMBER_RE = re.compile(r"^(?:\((\d{1,2})\)|(\d{1,2})[.)])\s+(?=\S)")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})\s+(?=\S)")
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s+of\s+\d{1,3})?$", re.I)
TERMINAL_PUNCT = tuple(".:;?!\"”’)")
FUNCTION_WORDS = {"the", "of", "and", "in", "to", "for", "a", "an", "with", "on", "by",
                  "from", "at", "or", "as", "that", "which", "their", "its", "our"}
LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
ITALIC_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
MD_ESCAPE_RE = re.compile(r"\\([()\[\]*_#\\])")


@dataclass
class Line:
    """One logical line of clean text with a map back to the original offsets."""

    text: str
    starts: list[int]
    ends: list[int]
    lineno: int  # 1-based physical line of the original where this logical line starts
    kind: str = "text"  # text | bullet | number | time
    number: int | None = None  # the item number of a numbered line
    time: str | None = None  # "HH:MM" of an agenda line
    block: int = 0  # index of the blank-line separated block the line belongs to

    def span(self, i: int = 0, j: int | None = None) -> tuple[int, int]:
        """Original [start, end) offsets covering ``text[i:j]``."""
        j = len(self.text) if j is None else j
        if not self.text or i >= j:
            raise ValueError(f"empty span {i}:{j} on line {self.lineno}")
        return self.starts[i], self.ends[j - 1]

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return self.text


@dataclass
class _Buffer:
    """Characters under construction, each with its original offsets."""

    chars: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add(self, ch: str, start: int, end: int) -> None:
        self.chars.append(ch)
        self.starts.append(start)
        self.ends.append(end)

    def text(self) -> str:
        return "".join(self.chars)


@dataclass
class Normalised:
    """The outcome of normalising one document."""

    lines: list[Line]
    furniture: list[tuple[int, str]]  # (lineno, text) of page numbers and running headers removed


@dataclass
class _Physical:
    text: str
    start: int  # offset of the first character in the original
    lineno: int
    page_break_before: bool = False


def physical_lines(original: str) -> list[_Physical]:
    """Split into physical lines, keeping offsets; form feeds mark page breaks."""
    out: list[_Physical] = []
    pos = 0
    lineno = 1
    pending_break = False
    for raw in original.split("\n"):
        text = raw
        start = pos
        if "\f" in text:
            pending_break = True
            # drop the form feed (and anything before it that is only whitespace)
            cut = text.rfind("\f") + 1
            start += cut
            text = text[cut:]
        if text.endswith("\r"):
            text = text[:-1]
        if lineno == 1 and text.startswith("\ufeff"):
            text, start = text[1:], start + 1
        out.append(_Physical(text, start, lineno, pending_break))
        if text.strip():
            pending_break = False
        pos += len(raw) + 1
        lineno += 1
    return out


def _furniture(lines: list[_Physical]) -> set[int]:
    """Indices of page numbers and running headers/footers.

    A bare number line is a page number. A line that repeats and every time stands next
    to a page boundary (a form feed or a page number) is a running header or footer.
    Repeated lines elsewhere (e.g. "Q & A" in an agenda) are content and stay.
    """
    drop = {i for i, ln in enumerate(lines) if PAGE_NUMBER_RE.match(ln.text.strip() or "x")}

    def near_boundary(i: int) -> bool:
        if lines[i].page_break_before:
            return True
        for step in (-1, 1):
            k = i + step
            while 0 <= k < len(lines) and not lines[k].text.strip():
                k += step
            if 0 <= k < len(lines) and (k in drop or lines[k].page_break_before and step == 1):
                return True
        return False

    counts = Counter(ln.text.strip() for ln in lines if ln.text.strip())
    for i, ln in enumerate(lines):
        s = ln.text.strip()
        if s and counts[s] >= 2 and len(s) < 100:
            same = [k for k, other in enumerate(lines) if other.text.strip() == s]
            if all(near_boundary(k) for k in same):
                drop.update(same)
    return drop


def _marker(text: str) -> tuple[str, int | None, str | None, int]:
    """(kind, number, time, length of the marker) of a physical line's start."""
    if m := TIME_RE.match(text):
        return "time", None, f"{int(m.group(1)):02d}:{m.group(2)}", m.end()
    if m := NUMBER_RE.match(text):
        return "number", int(m.group(1) or m.group(2)), None, m.end()
    if m := BULLET_RE.match(text):
        return "bullet", None, None, m.end()
    return "text", None, None, 0


def _starts_item(text: str) -> bool:
    return _marker(text)[0] != "text"


def _ends_open(text: str) -> bool:
    """Does this text stop mid-sentence (so what follows may continue it)?"""
    t = text.rstrip()
    return bool(t) and not t.endswith(TERMINAL_PUNCT)


def _continues(prev: str, nxt: str) -> bool:
    """Is block ``nxt`` the rest of a sentence that ``prev`` broke off (a page break)?"""
    if not _ends_open(prev) or _starts_item(nxt.lstrip()) or prev.rstrip().endswith(":"):
        return False
    first = nxt.lstrip()[:1]
    last_word = prev.rstrip().rsplit(None, 1)[-1].lower()
    return first.islower() or last_word in FUNCTION_WORDS


def _blocks(lines: list[_Physical], drop: set[int]) -> list[list[_Physical]]:
    blocks: list[list[_Physical]] = []
    current: list[_Physical] = []
    for i, ln in enumerate(lines):
        if i in drop:
            continue
        if ln.text.strip():
            current.append(ln)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    merged: list[list[_Physical]] = []
    for b in blocks:
        if merged and _continues(merged[-1][-1].text, b[0].text):
            merged[-1].extend(b)
        else:
            merged.append(b)
    return merged


def _is_label_line(text: str) -> bool:
    """Short lines ending in a colon ("Panel:") stand on their own."""
    t = text.strip()
    return t.endswith(":") and len(t) <= 40


def _vocabulary(original: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", original)}


def _join(buf: _Buffer, ln: _Physical, vocab: set[str]) -> None:
    """Append a continuation line to ``buf``, undoing the line break (and hyphenation)."""
    body = ln.text.strip()
    lead = len(ln.text) - len(ln.text.lstrip())
    prev = buf.text()
    m = re.search(r"([A-Za-z]+)-$", prev)
    n = re.match(r"([a-z][A-Za-z]*)", body)
    if m and n:
        hyphenated = f"{m.group(1)}-{n.group(1)}".lower()
        joined = f"{m.group(1)}{n.group(1)}".lower()
        if hyphenated in vocab and joined not in vocab:
            pass  # a real compound ("case-\nmanagement"): keep the hyphen, add no space
        else:
            buf.chars.pop(), buf.starts.pop(), buf.ends.pop()
    elif prev and not prev.endswith((" ", "/")):
        nl = ln.start - 1  # the newline (or blank lines) we replace with one space
        buf.add(" ", nl, nl + 1)
    for k, ch in enumerate(body):
        pos = ln.start + lead + k
        buf.add(ch, pos, pos + 1)


def _logical_lines(block: list[_Physical], block_no: int, vocab: set[str]) -> list[tuple[_Buffer, int, int]]:
    out: list[tuple[_Buffer, int, int]] = []
    buf: _Buffer | None = None
    prev_text = ""
    for ln in block:
        body = ln.text.strip()
        new = (buf is None or _starts_item(body) or _is_label_line(body) or _is_label_line(prev_text)
               or body.startswith("Moderated by") or TIME_RE.match(body) is not None)
        if new:
            buf = _Buffer()
            lead = len(ln.text) - len(ln.text.lstrip())
            for k, ch in enumerate(body):
                buf.add(ch, ln.start + lead + k, ln.start + lead + k + 1)
            out.append((buf, ln.lineno, block_no))
        else:
            _join(buf, ln, vocab)
        prev_text = body
    return out


def _apply(buf: _Buffer, pattern: re.Pattern, keep_group: int = 1) -> _Buffer:
    """Replace each match by its ``keep_group`` characters (with their offsets)."""
    text = buf.text()
    out = _Buffer()
    pos = 0
    for m in pattern.finditer(text):
        for k in range(pos, m.start()):
            out.add(buf.chars[k], buf.starts[k], buf.ends[k])
        for k in range(m.start(keep_group), m.end(keep_group)):
            out.add(buf.chars[k], buf.starts[k], buf.ends[k])
        pos = m.end()
    for k in range(pos, len(text)):
        out.add(buf.chars[k], buf.starts[k], buf.ends[k])
    return out


def _nfc(buf: _Buffer) -> _Buffer:
    """Unicode NFC per base character and its combining marks, keeping offsets."""
    out = _Buffer()
    k = 0
    n = len(buf.chars)
    while k < n:
        j = k + 1
        while j < n and unicodedata.combining(buf.chars[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", "".join(buf.chars[k:j]))
        for ch in cluster:
            out.add(ch, buf.starts[k], buf.ends[j - 1])
        k = j
    return out


def _squash_spaces(buf: _Buffer) -> _Buffer:
    out = _Buffer()
    for ch, s, e in zip(buf.chars, buf.starts, buf.ends):
        if ch.isspace():
            if not out.chars or out.chars[-1] == " ":
                continue
            ch = " "
        out.add(ch, s, e)
    while out.chars and out.chars[-1] == " ":
        out.chars.pop(), out.starts.pop(), out.ends.pop()
    return out


def clean_inline(buf: _Buffer) -> _Buffer:
    """Markdown residue out (links, autolinks, italics, escapes), NFC, single spaces."""
    for pattern in (LINK_RE, AUTOLINK_RE, MD_ESCAPE_RE, ITALIC_RE):
        buf = _apply(buf, pattern)
    return _squash_spaces(_nfc(buf))


def normalise(original: str) -> Normalised:
    """Turn a document's text into clean logical lines with offset maps."""
    phys = physical_lines(original)
    drop = _furniture(phys)
    vocab = _vocabulary(original)
    lines: list[Line] = []
    for block_no, block in enumerate(_blocks(phys, drop)):
        for buf, lineno, bno in _logical_lines(block, block_no, vocab):
            kind, number, time, mlen = _marker(buf.text())
            if kind == "bullet" and (m := NUMBER_RE.match(buf.text()[mlen:])):
                # "- (1) political will": a numbered item set as a bullet
                kind, number, mlen = "number", int(m.group(1) or m.group(2)), mlen + m.end()
            body = _Buffer(buf.chars[mlen:], buf.starts[mlen:], buf.ends[mlen:])
            body = clean_inline(body)
            if not body.chars:
                continue
            lines.append(Line(body.text(), body.starts, body.ends, lineno, kind, number, time, bno))
    furniture = [(phys[i].lineno, phys[i].text.strip()) for i in sorted(drop) if phys[i].text.strip()]
    return Normalised(lines, furniture)
