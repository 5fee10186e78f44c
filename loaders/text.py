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
from dataclasses import dataclass, field

BULLET_RE = re.compile(r"^(?:[-•·◦▪●*–✓✔»›➢➤►▸▹▶■□◆◇❖→⁃]|o)\s+(?=\S)")
# the lines of a box drawn in text ("┌──┐", "│ … │"): layout, read as spaces (offsets are kept: same length)
BOX_DRAWING = re.compile(r"[\u2500-\u257f]")
# An item's numbering, as lists number them: "1." "1)" "(1)" "1-" (a dash only before a capital: "3 – 12 months"
# opens no item), "a)" "(a)" "a." and lowercase Roman "i." "(iv)". Capital letters and Roman numerals number
# headings ("A. Background", "II. Findings") and are left to the section reader. Labelled items ("R1  The …",
# "A2. …") count by their digits when a stop or two spaces follow the label.
NUMBER_RE = re.compile(r"^(?:\((?P<p>\d{1,2}|[ivx]{1,4}|[a-z])\)|(?P<d>\d{1,2})[.)]"
                       r"|(?P<dash>\d{1,2})\s?[-–]\s*(?=[A-Z])|(?P<lab>[A-Z]{1,2}\d{1,2})(?:[.):]|(?=\s{2}))|(?P<r>[ivx]{1,4})[.)]|(?P<a>[a-z])[.)])\s*(?<=\s|-|–)(?=\S)")
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
# "14:30 Opening", "14:20 – 15:05 Session 1", "9.00-9.30 Welcome": the start time is the line's time
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})(?:\s*[-–—]\s*\d{1,2}[:.]\d{2})?\s+(?=\S)")
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s+of\s+\d{1,3}|\s*\(\d{1,3}\))?$", re.I)
# a running header or footer that carries the page's number: "Ombudsperson's Office · Vilnius   2 (3)"
# (the number set apart, as a right-aligned footer sets it: "Table 2" at a page's foot is no furniture)
NUMBERED_FURNITURE = re.compile(r"(?:\s{2,}|\s*[·|•]\s*)(?:page\s+)?\d{1,3}"
                                r"(?:\s*(?:/|of)\s*\d{1,3}|\s*\(\d{1,3}\))?\s*$", re.I)
# a line of a table of contents: a title, dot leaders, a page number ("2. Summary .......... 2")
CONTENTS_LINE = re.compile(r"^\S.{0,120}?\s?(?:\.\s?){4,}\s*\d{1,3}$")
TERMINAL_PUNCT = tuple(".:;?!\"”’)")
FUNCTION_WORDS = {"the", "of", "and", "in", "to", "for", "a", "an", "with", "on", "by",
                  "from", "at", "or", "as", "that", "which", "their", "its", "our"}
# bounded and bracket-free: an unclosed "[" or "*" must not make each later one re-scan the line (quadratic)
LINK_RE = re.compile(r"\[([^\[\]]{0,1000})\]\([^()\s]{0,2000}\)")
AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
ITALIC_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*]{1,2000}?)(?<=\S)\*(?![\w*])")
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

    def extend(self, text: str, start: int) -> None:
        """Append ``text`` whose characters stand at ``start``, ``start + 1``, … of the original (a run copied
        as it is: one call per line, not one per character)."""
        self.chars.extend(text)
        self.starts.extend(range(start, start + len(text)))
        self.ends.extend(range(start + 1, start + len(text) + 1))

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
        if BOX_DRAWING.search(text):
            text = BOX_DRAWING.sub(" ", text)
        out.append(_Physical(text, start, lineno, pending_break))
        if text.strip():
            pending_break = False
        pos += len(raw) + 1
        lineno += 1
    return out


def _labelled(lines: list[_Physical], i: int) -> bool:
    """A figure on a line of its own with its label right under it, in lower case ("312" over "people supported
    through case management" in a key-figures box): a statistic, not a page number — which a blank line, a page
    break or a capitalised header follows."""
    if i + 1 >= len(lines) or lines[i + 1].page_break_before:
        return False
    below = lines[i + 1].text.strip()
    return bool(below) and below[:1].islower()


def _furniture(lines: list[_Physical]) -> set[int]:
    """Indices of page numbers, running headers/footers and the lines of a table of contents.

    A bare number line is a page number; a title with dot leaders and a page number is a contents line. A line
    that stands at two or more page boundaries (next to a form feed or a page number, or first in the document)
    is a running header or footer; its first occurrence (the title on page one) and any occurrence away from a
    boundary ("Q & A" in an agenda) are content and stay.
    """
    drop = {i for i, ln in enumerate(lines)
            if (PAGE_NUMBER_RE.match(ln.text.strip() or "x") and not _labelled(lines, i))
            or CONTENTS_LINE.match(ln.text.strip()) or FOOTNOTE_RULE.match(ln.text)}

    paged = any(ln.page_break_before for ln in lines)

    def near_boundary(i: int) -> bool:
        if lines[i].page_break_before:
            return True
        for step in (-1, 1):
            k = i + step
            while 0 <= k < len(lines) and not lines[k].text.strip():
                k += step
            if 0 <= k < len(lines) and (k in drop or (lines[k].page_break_before and step == 1)):
                return True
            if step == 1 and k >= len(lines) and paged:
                return True  # the foot of a paged document's last page
        return False

    first = next((i for i, ln in enumerate(lines) if ln.text.strip()), None)
    at_boundary: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        s = ln.text.strip()
        if s and len(s) < 100 and (i == first or near_boundary(i)):
            at_boundary.setdefault(NUMBERED_FURNITURE.sub(" #", s), []).append(i)
    for where in at_boundary.values():
        if len(where) >= 2:  # repeats at page boundaries: a running header or footer
            drop.update(k for k in where if k != first)  # the first line of page one is the title
    return drop


def _roman(text: str) -> int | None:
    values = [ROMAN_VALUES[c] for c in text]
    total = sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))
    return total if 0 < total < 40 and text == _to_roman(total) else None


def _to_roman(n: int) -> str:
    out = ""
    for value, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def item_number(m: re.Match) -> int | None:
    """The position a numbering states: digits as they are, letters a=1, lowercase Roman numerals by value
    ("i" and "v" and "x" are read as Roman); None for what only looks like one ("iiii")."""
    digits = m.group("d") or m.group("dash") or (m.group("lab") and m.group("lab").lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if digits:
        return int(digits)
    token = m.group("p") or m.group("r") or m.group("a")
    if token.isdigit():
        return int(token)
    if set(token) <= set(ROMAN_VALUES):
        return _roman(token)
    return ord(token) - ord("a") + 1 if len(token) == 1 else None


def _marker(text: str) -> tuple[str, int | None, str | None, int]:
    """(kind, number, time, length of the marker) of a physical line's start."""
    if m := TIME_RE.match(text):
        return "time", None, f"{int(m.group(1)):02d}:{m.group(2)}", m.end()
    if (m := NUMBER_RE.match(text)) and (n := item_number(m)) is not None:
        return "number", n, None, m.end()
    if m := BULLET_RE.match(text):
        return "bullet", None, None, m.end()
    return "text", None, None, 0


def _starts_item(text: str) -> bool:
    return _marker(text)[0] != "text"


def _ends_open(text: str) -> bool:
    """Does this text stop mid-sentence (so what follows may continue it)?"""
    t = text.rstrip()
    return bool(t) and not t.endswith(TERMINAL_PUNCT)


def _continues(prev: str, nxt: str, page_break: bool = True) -> bool:
    """Is block ``nxt`` the rest of a sentence that ``prev`` broke off (a page break)? Across a mere blank line
    a comma is not enough: "Yours sincerely," stands above the name it signs."""
    first = nxt.lstrip()[:1]
    if _starts_item(nxt.lstrip()):
        return False
    if prev.rstrip().endswith(":"):
        return first.islower()  # after a colon only a lower-case continuation ("… contact: name@example.org")
    if not _ends_open(prev):
        return False
    last_word = prev.rstrip().rsplit(None, 1)[-1].lower()
    return first.islower() or last_word in FUNCTION_WORDS or prev.rstrip().endswith(
        ("&", "–", "-", ",") if page_break else ("&", "–", "-"))


# the rule a word processor sets above a page's footnotes; what stands below it, down to the page's end, is notes
FOOTNOTE_RULE = re.compile(r"^\s*[_‗—–-]{5,}\s*$")
NOTE_START = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,3}[.)]?\s|\*+)")


def _blocks(lines: list[_Physical], drop: set[int]) -> list[list[_Physical]]:
    """Blank-line separated blocks, rejoined where a page break cut a sentence in two. A page's footnotes (below
    a rule at its foot) are blocks of their own, read after the paragraph the page break cut, so a sentence
    that runs over the page is not cut by its notes."""
    blocks: list[list[_Physical]] = []
    page_break_before: list[bool] = []
    is_note: list[bool] = []
    current: list[_Physical] = []
    broke = in_notes = False
    for i, ln in enumerate(lines):
        if ln.page_break_before:
            in_notes = False
        if FOOTNOTE_RULE.match(ln.text):  # (furniture itself)
            if current:
                blocks.append(current)
                current = []
            in_notes = True
            continue
        broke = broke or i in drop or ln.page_break_before
        if i in drop:
            continue
        if ln.text.strip():
            if current and in_notes and NOTE_START.match(ln.text):
                blocks.append(current)  # the next note
                current = []
            if not current:
                page_break_before.append(broke)
                is_note.append(in_notes)
            current.append(ln)
            broke = False
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    merged: list[list[_Physical]] = []
    notes: list[list[_Physical]] = []
    for b, page_break, note in zip(blocks, page_break_before, is_note):
        if note:
            notes.append(b)
            continue
        prev = merged[-1] if merged else None
        if prev and (_continues(prev[-1].text, b[0].text, page_break) or (page_break and _cut_by_page(prev, b))):
            merged[-1].extend(b)
        else:
            merged.append(b)
        merged += notes
        notes = []
    return merged + notes


def _cut_by_page(prev: list[_Physical], nxt: list[_Physical]) -> bool:
    """After a page break, an unfinished sentence goes on ("… Autonomous" / "University of …"),
    and so does a long heading ("… of the Regional" / "Framework for …"). A list or paragraph that
    ends without a full stop is not continued by a heading at the top of the next page."""
    last = prev[-1].text.strip()
    first = nxt[0].text.strip()
    heading_like = len(nxt) == 1 and len(first) <= 60 and first[:1].isupper() and _ends_open(first)
    if not _ends_open(last) or last.endswith(":") or _starts_item(first):
        return False
    if len(prev) == 1:
        return len(last) > 60  # a heading too long for one line, cut by the page
    return not heading_like


def _is_label_line(text: str) -> bool:
    """A short capitalised line ending in a colon ("Panel:", "Discussion starters:") stands
    on its own; "following values:" at a line start only ends a wrapped sentence."""
    t = text.strip()
    return t.endswith(":") and len(t) <= 40 and t[:1].isupper() and len(t.split()) <= 4


HYPHEN_PREFIXES = {"co", "non", "pre", "post", "multi", "cross", "self", "anti", "inter", "well", "ex"}
COMPOUND_HEADS = {"based", "related", "led", "term", "level", "made", "respecting", "making", "wide", "oriented",
                  "specific", "sensitive", "informed", "quality", "line", "scale", "custodial", "up", "date"}


def vocabulary(text: str) -> set[str]:
    """Words and hyphenated compounds of a text, lower-cased: evidence for undoing hyphenation."""
    words = set()
    for w in re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", text):
        w = w.lower()
        words.add(w)
        words.update(w.split("-"))
    return words


def keep_hyphen(left: str, right: str, vocab: set[str]) -> bool:
    """Is "left-" + "right" across a line break a compound (keep "-") or a split word (drop it)?"""
    last = left.rsplit("-", 1)[-1].lower()
    hyphenated, joined = f"{last}-{right}".lower(), f"{last}{right}".lower()
    if "-" in left or right[:1].isupper() or right[:1].isdigit():
        return True  # "whole-of-" + "government", "pre-" + "COVID", "Director-" + "General"
    if hyphenated in vocab and joined not in vocab:
        return True
    if joined in vocab:
        return False
    return last in HYPHEN_PREFIXES or right.lower() in COMPOUND_HEADS


def _tail_word(buf: _Buffer, longest: int = 100) -> str:
    """The text after the buffer's last space, at most ``longest`` characters: enough to see a word
    the line break split, without re-reading the paragraph at every join (linear, not quadratic)."""
    k = len(buf.chars)
    while k > 0 and len(buf.chars) - k < longest and not buf.chars[k - 1].isspace():
        k -= 1
    return "".join(buf.chars[k:])


def _join(buf: _Buffer, ln: _Physical, vocab: set[str]) -> None:
    """Append a continuation line to ``buf``, undoing the line break (and hyphenation)."""
    body = ln.text.strip()
    lead = len(ln.text) - len(ln.text.lstrip())
    tail = _tail_word(buf)
    m = re.search(r"(?<![\w-])([A-Za-z][A-Za-z-]*)-$", tail)
    n = re.match(r"([A-Za-z0-9][A-Za-z]*)", body)
    if tail.endswith("\u00ad"):
        pass  # a soft hyphen: the word was split there, and the hyphen goes with the other invisibles
    elif m and n:
        if not keep_hyphen(m.group(1), n.group(1), vocab):
            buf.chars.pop(), buf.starts.pop(), buf.ends.pop()  # a word split by hyphenation
    elif buf.chars and buf.chars[-1] not in (" ", "/"):
        nl = ln.start - 1  # the newline (or blank lines) we replace with one space
        buf.add(" ", nl, nl + 1)
    buf.extend(body, ln.start + lead)


def _opens_item(body: str, current: str | None, prev_text: str) -> bool:
    """A marker at a line start opens an item unless the line only continues a sentence.

    A wrapped sentence can put " - highlighted …" or "13. …" at a line start: that is an item
    only after a list item, a colon, the end of a sentence, or (for numbers) when it is item 1.
    ``current``: the marker kind of the logical line being built (None: there is none).
    """
    kind, number, _, _ = _marker(body)
    if kind == "text":
        return False
    if kind == "time" or current is None:
        return True
    return (current != "text" or not _ends_open(prev_text) or prev_text.rstrip().endswith(":")
            or (kind == "number" and number == 1) or (kind == "bullet" and body[:1] in "•·◦▪●"))


def wrap_width(lines: list[_Physical]) -> int:
    """Where the document's lines break: the right edge most lines of prose reach (its 90th percentile). A text
    with one paragraph per line has no hard wraps; its "width" is then that of its long paragraphs."""
    edges = sorted(len(ln.text.rstrip()) for ln in lines if len(ln.text.split()) >= 8)  # lines of prose
    return max(MIN_WIDTH, edges[-(len(edges) // 10) - 1] if edges else 0)


MIN_WIDTH = 60  # no layout wraps text narrower than this: a short document's few lines say little


SHORT_LINE = 0.6  # of the wrap width: a line that stops this far from the margin was not wrapped


def _stands_alone(prev: _Physical, body: str, width: int, so_far: str = "") -> bool:
    """Does a line break after the short line ``prev`` end a line of its own (an address, a signature, a name
    above a post, "Copy: …" above "Contact: …") rather than wrap a sentence? A wrap fills the line to near the
    margin, or leaves the sentence open on a comma, a hyphen or a small word; its next line may start small.
    ``so_far``: the end of the logical line ``prev`` belongs to (a title re-wrapped word by word is still one)."""
    last = prev.text.rstrip()
    if not last or not body or not (body[:1].isupper() or body[:1].isdigit()):
        return False
    if len(last) >= SHORT_LINE * width or last.endswith((",", "-", "–", "&", "/", "(")):
        return False
    words = last.split()
    if words[-1].lower() in FUNCTION_WORDS:
        return False
    # "A review of reception practice in the Pacific" / "Islands Forum region": a title or
    # sentence (it has words of running text) broken inside a name goes on; a line of names does not
    running = any(w[:1].islower() and w.lower() not in FUNCTION_WORDS for w in (so_far or last).split())
    # … but a line of a number, a date or a separator ("Issue 14 | Spring 2025") starts a masthead line of its own
    numbered = re.search(r"\d|\|", " ".join(body.split()[:3])) is not None
    return not (running and words[-1][:1].isupper() and not numbered)


# a line that opens with a person's honorific and name ("Ms. Ana Lima, Director, …") or with a short label
# ("Moderator: …", "Contact: …") begins an entry of its own in an agenda, a list of speakers or an address block
ENTRY_START = re.compile(r"^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|H\.E)\.?\s+[A-ZÀ-Þ]|[A-Z][a-z]+(?:\s[a-z]+)?:\s+\S)")


def _opens_entry(prev: str, body: str) -> bool:
    """Does ``body`` begin an entry of its own after ``prev``, which leaves no sentence open?"""
    last = prev.rstrip()
    if LETTERED_ITEM.match(body) and last.endswith((".", ";", ":")):
        return True  # "… in law." / "B. Fund case management …": the next lettered item
    return (ENTRY_START.match(body) is not None and bool(last) and not last.endswith((",", "-", "–", "&", "/", "("))
            and last.rsplit(None, 1)[-1].lower() not in FUNCTION_WORDS)


def _logical_lines(block: list[_Physical], block_no: int, vocab: set[str], width: int = 0
                   ) -> list[tuple[_Buffer, int, int]]:
    out: list[tuple[_Buffer, int, int]] = []
    prev_ln: _Physical | None = None
    buf: _Buffer | None = None
    prev_text = ""
    alone = 0  # how many short lines in a row, up to the last, stood alone: names one to a line, an address
    for ln in block:
        body = ln.text.strip()
        # a marker is short: the buffer's first characters tell its kind without re-reading the paragraph
        current = None if buf is None else _marker("".join(buf.chars[:64]))[0]
        # a short "Label:" line stands alone, unless it only ends a long sentence the line before broke off
        label = _is_label_line(body) and not (len(prev_text) > 60 and _ends_open(prev_text))
        # a bullet under a short line that stood alone ("CHALLENGES", "Next steps") opens an item: the line
        # above is a heading, not a sentence the bullet's dash continues
        under_heading = (buf is not None and len(prev_text.split()) <= 6 and len(buf.chars) == len(prev_text)
                         and _marker(body)[0] == "bullet" and prev_text[-1:] not in ",;-–")
        if (buf is None or _opens_item(body, current, prev_text) or label or under_heading
                or _is_label_line(prev_text) or body.startswith("Moderated by")
                or _opens_entry(prev_text, body)
                or (prev_ln is not None and buf is not None
                    and _stands_alone(prev_ln, body, width, "".join(buf.chars[-200:])))
                or (alone >= 2 and prev_ln is not None and _short_and_closed(prev_ln.text, width)
                    and _short_and_closed(body, width))):
            buf = _Buffer()
            lead = len(ln.text) - len(ln.text.lstrip())
            buf.extend(body, ln.start + lead)
            out.append((buf, ln.lineno, block_no))
            alone = alone + 1 if _short_and_closed(body, width) else 0
        else:
            _join(buf, ln, vocab)
            alone = 0
        prev_text, prev_ln = body, ln
    return out


def _short_and_closed(text: str, width: int) -> bool:
    """A line that stops well short of the margin and leaves nothing open (no comma, hyphen or small word at its
    end). After two such lines that each stood alone, a third is a line of its own too, whatever its first letter:
    a run of them is a column of names or an address, not a paragraph ("… Project (United States)" / "and nine
    other organisations …")."""
    last = text.rstrip()
    return (bool(last) and len(last) < SHORT_LINE * width and not last.endswith((",", "-", "–", "&", "/", "("))
            and last.split()[-1].lower() not in FUNCTION_WORDS)


def _apply(buf: _Buffer, pattern: re.Pattern, keep_group: int = 1) -> _Buffer:
    """Replace each match by its ``keep_group`` characters (with their offsets)."""
    text = buf.text()
    matches = list(pattern.finditer(text))
    if not matches:
        return buf  # most lines hold no Markdown: nothing to copy
    out = _Buffer()
    pos = 0
    for m in matches:
        for a, b in ((pos, m.start()), (m.start(keep_group), m.end(keep_group))):
            out.chars += buf.chars[a:b]
            out.starts += buf.starts[a:b]
            out.ends += buf.ends[a:b]
        pos = m.end()
    out.chars += buf.chars[pos:]
    out.starts += buf.starts[pos:]
    out.ends += buf.ends[pos:]
    return out


# What a PDF's text layer holds that a reader does not see: a soft hyphen (where a word may break), zero-width
# spaces and joiners, a byte-order mark; and what it sets as one glyph: the ligatures "ﬁ" "ﬂ" "ﬀ" …, and the
# Unicode hyphens. Out, or spelled as letters, so "ﬁnancial" and "co‐led" read as they are typed.
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
COMPATIBILITY = {"\u2010": "-", "\u2011": "-", **{chr(c): unicodedata.normalize("NFKC", chr(c))
                                                  for c in range(0xFB00, 0xFB07)}}


TYPESET = re.compile("[" + "".join(sorted(INVISIBLE | set(COMPATIBILITY))) + "]")
OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace that is not a plain space


def _typeset_characters(buf: _Buffer) -> _Buffer:
    """Invisible characters out, ligatures and Unicode hyphens spelled out; each letter keeps its glyph's span."""
    text = buf.text()
    if text.isascii() or not TYPESET.search(text):
        return buf
    out = _Buffer()
    for ch, s, e in zip(buf.chars, buf.starts, buf.ends):
        if ch in INVISIBLE:
            continue
        for letter in COMPATIBILITY.get(ch, ch):
            out.add(letter, s, e)
    return out


def _nfc(buf: _Buffer) -> _Buffer:
    """Unicode NFC per base character and its combining marks, keeping offsets."""
    buf = _typeset_characters(buf)
    text = buf.text()
    if text.isascii() or (unicodedata.is_normalized("NFC", text)
                          and not any(unicodedata.combining(ch) for ch in set(text) if not ch.isascii())):
        return buf  # already composed, nothing to regroup
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
    text = buf.text()
    if "  " not in text and text == text.strip() and not OTHER_SPACE.search(text):
        return buf  # single spaces already
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


def normalise(original: str, corpus_vocabulary: set[str] | None = None) -> Normalised:
    """Turn a document's text into clean logical lines with offset maps.

    ``corpus_vocabulary`` (words of the other documents) helps decide whether a hyphen at a
    line end belongs to the word or to the layout."""
    phys = physical_lines(original)
    drop = _furniture(phys)
    vocab = vocabulary(original) | (corpus_vocabulary or set())
    width = wrap_width([ln for i, ln in enumerate(phys) if i not in drop])
    lines: list[Line] = []
    for block_no, block in enumerate(_blocks(phys, drop)):
        for buf, lineno, bno in _logical_lines(block, block_no, vocab, width):
            kind, number, time, mlen = _marker(buf.text())
            if kind == "bullet" and (m := NUMBER_RE.match(buf.text()[mlen:])) and item_number(m) is not None:
                # "- (1) political will": a numbered item set as a bullet
                kind, number, mlen = "number", item_number(m), mlen + m.end()
            body = _Buffer(buf.chars[mlen:], buf.starts[mlen:], buf.ends[mlen:])
            body = clean_inline(body)
            if not body.chars:
                continue
            lines.append(Line(body.text(), body.starts, body.ends, lineno, kind, number, time, bno))
    _numbered_headings(lines)
    _numbered_paragraphs(lines)
    _labelled_items(lines)
    _lettered_items(lines)
    furniture = [(phys[i].lineno, phys[i].text.strip()) for i in sorted(drop) if phys[i].text.strip()]
    return Normalised(lines, furniture)


LABELLED_ITEM = re.compile(r"^(?P<label>[A-Z][a-z]+) (?P<n>\d{1,2})(?:[:.]|(?P<dash>\s+[—–-]))\s+(?=\S)")


def _labelled_items(lines: list[Line]) -> None:
    """"Finding 1: …", "Finding 2: …", "Lesson 1 — …": a word and a number that count up from one are a numbered
    list (one "Table 1." alone is a caption). The line becomes a numbered item, its label and number its marker."""
    found: dict[str, list[tuple[Line, int, int]]] = {}
    for line in lines:
        if line.kind == "text" and (m := LABELLED_ITEM.match(line.text)) and not (
                m.group("dash") and not re.search(r"[.!?](?:\s|$)", line.text[m.end():])):
            # ("Lesson 1 — Start early. …" is an item; "Session 1 – Regional mapping" a heading)
            found.setdefault(m.group("label"), []).append((line, int(m.group("n")), m.end()))
    for items in found.values():
        if len(items) < 2 or [n for _, n, _ in items] != list(range(1, len(items) + 1)):
            continue
        for line, n, cut in items:
            line.text, line.starts, line.ends = line.text[cut:], line.starts[cut:], line.ends[cut:]
            line.kind, line.number = "number", n


LETTERED_ITEM = re.compile(r"^(?P<letter>[A-Z])[.)]\s+(?=\S)")


def _lettered_items(lines: list[Line]) -> None:
    """"A. Prohibit …", "B. Designate …", "C. …": capital letters in order on consecutive lines that are sentences
    (not short headings, "A. Background") are a list, numbered A = 1, B = 2 …"""
    run: list[tuple[Line, re.Match]] = []

    def close() -> None:
        if len(run) >= 2 and all(len(ln.text.split()) >= 5 and ln.text.rstrip().endswith(TERMINAL_PUNCT)
                                 for ln, _ in run):
            for ln, m in run:
                cut = m.end()
                ln.text, ln.starts, ln.ends = ln.text[cut:], ln.starts[cut:], ln.ends[cut:]
                ln.kind, ln.number = "number", ord(m.group("letter")) - ord("A") + 1
        run.clear()
    for line in lines:
        m = LETTERED_ITEM.match(line.text) if line.kind == "text" else None
        if m and (ord(m.group("letter")) - ord("A") == len(run)):
            run.append((line, m))
            continue
        close()
        if m and m.group("letter") == "A":
            run.append((line, m))
    close()


def _numbered_headings(lines: list[Line]) -> None:
    """"2. Opening session" above a paragraph is a heading, not a one-item list: a short numbered line with no
    closing punctuation, not introduced by a "…:" line, whose next line is body text. It becomes a text line
    (its number kept), so the readers see the heading they see in an unnumbered document."""
    for k, line in enumerate(lines):
        if (line.kind == "number" and len(line.text) <= 80 and len(line.text.split()) <= 10
                and not line.text.endswith((*TERMINAL_PUNCT, ",")) and line.text[:1].isupper()
                and k + 1 < len(lines)
                # a paragraph follows, or a list numbered afresh ("4. RECOMMENDATIONS" above "R1 …")
                and (lines[k + 1].kind == "text"
                     or (lines[k + 1].kind == "number" and lines[k + 1].number == 1 and line.number != 0))
                and not (k and lines[k - 1].text.endswith(":"))):
            line.kind = "text"
    # "3. Expected outcomes" above a bulleted list, between "2. Objectives" and "4. Format" that head paragraphs:
    # a heading of the same series, not a list item with bullets of its own
    headed = {line.number for line in lines if line.kind == "text" and line.number is not None}
    for k, line in enumerate(lines):
        if (line.kind == "number" and line.number is not None and len(line.text.split()) <= 10
                and not line.text.endswith((*TERMINAL_PUNCT, ",")) and line.text[:1].isupper()
                and k + 1 < len(lines) and lines[k + 1].kind == "bullet"
                and (line.number - 1 in headed or line.number + 1 in headed)
                and not (k and lines[k - 1].text.endswith(":"))):
            line.kind = "text"


def _numbered_paragraphs(lines: list[Line]) -> None:
    """"3.  The centre has …" under "B. CAPACITY" after "2.  The centre is run …" under "A. THE VISIT": where the
    numbers run on across headings (twice or more), the document numbers its paragraphs. The lines that count on
    are paragraphs (text, their number kept), not the items of a list; a list they introduce ("…: (a) …") stays."""
    numbered = [k for k, ln in enumerate(lines) if ln.kind == "number" and ln.number is not None]
    across = 0
    last: dict[int, int] = {}  # number → where it was last seen (a list inside a paragraph counts afresh)
    for k in numbered:
        n = lines[k].number or 0
        if n - 1 in last and any(is_heading_text(ln.text) and ln.kind == "text" for ln in lines[last[n - 1] + 1:k]):
            across += 1
        last[n] = k
    if across < 2:
        return
    expected = lines[numbered[0]].number or 1
    for k in numbered:  # the paragraphs count on; a list inside one ("(a) … (b) …") counts afresh and stays
        line = lines[k]
        if line.number == expected:
            line.kind, expected = "text", expected + 1


def is_heading_text(text: str) -> bool:
    """A short line that is no sentence: "B.  CAPACITY, OCCUPANCY AND LENGTH OF STAY", "Health care"."""
    return bool(text) and len(text.split()) <= 12 and not text.rstrip().endswith((*TERMINAL_PUNCT, ",", ":"))


DECORATION = "*#=_~[] \t"


def first_heading(original: str) -> str | None:
    """The text's first heading: its first short line that is not a sentence (no closing full stop, colon or
    semicolon), without Markdown or banner decoration — a title when nobody gave one."""
    for line in normalise(original).lines:
        text = line.text.strip(DECORATION)
        if (line.kind == "text" and text and len(text) <= 150 and len(text.split()) <= 20
                and not text.endswith((".", ":", ";", ",")) and sum(c.isalpha() for c in text) >= len(text) / 2):
            return text
    return None
