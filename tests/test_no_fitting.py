"""The loaders are not fitted to the source documents: no five consecutive words of a source text appear in them.

Code, string literals, comments and docstrings alike: a recogniser that spells a sentence of one of the documents
only works for that document. Phrases a recogniser needs are general patterns kept in ``data/gazetteer``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
LOADERS = ROOT / "loaders"
N = 5  # words in a row that count as copied
WORD_RE = re.compile(r"[a-z]+")
ESCAPE_RE = re.compile(r"\\[A-Za-z]")  # \s, \b, \d, \w, \n …: not letters of a word ("\\sand" is not "sand")


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def source_ngrams(texts: Iterable[str], n: int = N) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for text in texts:
        w = words(text)
        grams.update(tuple(w[k:k + n]) for k in range(len(w) - n + 1))
    return grams


def fitted_phrases(files: Iterable[tuple[str, str]], grams: set[tuple[str, ...]], n: int = N) -> list[str]:
    """``path:line: the five words`` for every run of ``n`` words of a code text that is also in a source text.

    ``files``: (path, code text) pairs. Regex escapes are blanked first, keeping offsets, so line numbers hold.
    """
    hits: list[str] = []
    for path, code in files:
        code = ESCAPE_RE.sub("  ", code).lower()
        tokens = [(m.group(0), m.start()) for m in WORD_RE.finditer(code)]
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for k in range(len(tokens) - n + 1):
            gram = tuple(t for t, _ in tokens[k:k + n])
            if gram in grams:
                line = code.count("\n", 0, tokens[k][1]) + 1
                if (line, gram) not in seen:
                    seen.add((line, gram))
                    hits.append(f"{path}:{line}: {' '.join(gram)}")
    return hits


def _sources() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*.txt"))]
    assert texts, f"no source texts in {SOURCES}"
    return texts


def test_loaders_do_not_spell_the_sources():
    files = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in sorted(LOADERS.rglob("*.py"))]
    assert files
    hits = fitted_phrases(files, source_ngrams(_sources()))
    assert not hits, (f"{len(hits)} runs of {N} words in the loaders also occur in data/sources "
                      "(paraphrase them, or move the cue to data/gazetteer as a general pattern):\n" + "\n".join(hits))


def test_the_guard_reports_a_copied_phrase():
    texts = _sources()
    paragraph = next(p for t in texts for p in re.split(r"\n\s*\n", t) if len(words(p)) > 10)
    five = words(paragraph)[:N]
    fake = ("x = 1\n"
            f"PATTERN = re.compile(r\"{five[0]}\\s+{five[1]}\\s+(?:{five[2]})\\b {five[3]}\"\n"
            f"                     \" {five[4]}\")  # a comment\n")
    hits = fitted_phrases([("loaders/fake.py", fake)], source_ngrams(texts))
    assert hits == [f"loaders/fake.py:2: {' '.join(five)}"]
    assert not fitted_phrases([("loaders/fake.py", "x = 1\n# " + " ".join(five[:N - 1]) + "\n")],
                              source_ngrams(texts))
