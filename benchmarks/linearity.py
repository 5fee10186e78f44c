"""Parsing one document takes time linear in its size, on documents shaped to hit each place of the
loaders that was once quadratic (or worse) in the length of a line or a paragraph.

    python -m atdkg.benchmarks.linearity [--shape NAME ...] [--factor 4] [--limit 6] [--slack 0.3]

For each shape, a document of SIZE units and one of FACTOR × SIZE units are parsed (the genre's
parser after text normalisation, as `atdkg build` runs it; no RDF, no validation). The smaller one
is parsed twice and the faster run kept. Prints the seconds of each and their ratio, then the
verdict: linear parsing takes about FACTOR times as long (quadratic: FACTOR²). Exit 1 if, for any
shape, the larger document takes more than LIMIT times as long as the smaller plus SLACK seconds
for noise.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEAD = "\n\nReport of an exchange\n\nA title\n\n15 June 2023\n\nContext\n\n"
# documents built to hit each place that used to be quadratic in the length of a line or paragraph
SHAPES: dict[str, Callable[[int], str]] = {
    "wrapped paragraph": lambda n: HEAD + "One State reported that\n" + "".join(
        f"case management number {i} works and\n" for i in range(n)) + "end.\n",
    "hyphenated paragraph": lambda n: HEAD + "One State reported that\n" + "".join(
        f"case manage-\nment {i} works and\n" for i in range(n)) + "end.\n",
    "bullets": lambda n: HEAD + "Speakers noted:\n\n" + "".join(
        f"- item {i} about case management\n" for i in range(n)),
    "single line": lambda n: HEAD + "One State reported " + "that case management works and " * n + "done.\n",
    "open brackets": lambda n: HEAD + "One State reported " + "[a " * n + "\n",
    "open links": lambda n: HEAD + "One State reported " + "[a](b " * n + "\n",
    "open italics": lambda n: HEAD + "One State reported " + "*a " * n + "\n",
    "affiliation commas": lambda n: HEAD + "Speakers:\n\n- Mr. John Smith, " + ", ".join(
        f"Office {i}" for i in range(n)) + "\n",
    "unnamed speaker": lambda n: HEAD + "A speaker " * n + "\n",
    "role of": lambda n: HEAD + "The Head of X" + " of X" * n + "\n",
    "co-hosts": lambda n: "\n\nA title\n\nCo-hosted by " + "the Permanent Mission of Kenya, " * n
    + "\n\nContext\n\nx.\n",
    "missions in an affiliation": lambda n: HEAD + "Speakers:\n\n- Mr. John Smith, "
    + "Permanent Mission of Kenya " * n + "\n",
    "members list": lambda n: HEAD + "Members of the Working Group include: " + "A and B " * n + "\n",
    "co-led by": lambda n: HEAD + "The Working Group is co-led by " + "A and B and " * n + "\n",
    # the mention, statistics, relation and coverage stages: every sentence names, counts and relates
    "named sentences": lambda n: HEAD + "".join(
        f"The Riverside Migrant Council trained {i} case workers with UNICEF in Chile. " for i in range(n)) + "\n",
    "acronym definitions": lambda n: HEAD + "".join(
        f"Staff of Open Doors for {_letters(i)} Families (OD{_letters(i).upper()}F) met. " for i in range(n)) + "\n",
    "anonymous speakers": lambda n: HEAD + "One government said so. Another participant noted it. " * n + "\n",
    # bodies named again by their organisation word, and figures whose subject is nobody or a cost
    "named again": lambda n: HEAD + "".join(
        f"The Ministry of {_letters(i)} met the Harbour Council. The Council trained {i} staff, and none left; the "
        f"scheme costs EUR {i} a day, against EUR {i + 1} for detention. " for i in range(n)) + "\n",
}
def _letters(i: int) -> str:
    """A word of letters for a number ("b", "bc", …): acronyms are made of capitals, not digits."""
    word = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        word = chr(ord("a") + r) + word
    return word.capitalize()


# units per shape for the smaller document: large enough that a quadratic spot shows, small enough to run in seconds
SIZES = {"wrapped paragraph": 1000, "hyphenated paragraph": 500, "bullets": 2000, "single line": 4000,
         "open brackets": 3000, "open links": 3000, "open italics": 3000,
         "affiliation commas": 3000, "unnamed speaker": 1500, "role of": 1500,
         "co-hosts": 600, "missions in an affiliation": 1500, "members list": 600, "co-led by": 300,
         "named sentences": 300, "acronym definitions": 200, "anonymous speakers": 300, "named again": 200}


class Parser:
    """Parses texts as `atdkg build` parses a report of data/, with the gazetteer and vocabulary loaded once."""

    def __init__(self, data_dir: Path = ROOT / "data"):
        from atdkg.loaders.gazetteer import Gazetteer
        from atdkg.loaders.vocab import Vocabulary
        self.gazetteer, self.vocab = Gazetteer(data_dir), Vocabulary()
        self.gazetteer.find_orgs(""), self.gazetteer.find_states("")  # compile the name patterns outside the timing

    def seconds(self, text: str, genre: str = "report") -> float:
        from atdkg.loaders.parse import parse_document
        from atdkg.loaders.sources import Source
        from atdkg.terms import fold
        with tempfile.TemporaryDirectory(prefix="atdkg-linearity-") as tmp:
            path = Path(tmp) / "doc.txt"
            path.write_text(text, encoding="utf-8")
            src = Source("009", path.name, genre, "2023-06-15", "2023-06-15", "t", "", "en", "0" * 64)
            # every run parses the text as a new document: what the caches remember of the previous run of the
            # same text (a passage's categories, folded names) would make the second run faster than the first
            self.vocab.forget()
            fold.cache_clear()
            t0 = time.perf_counter()
            parse_document(Path(tmp), src, self.gazetteer, self.vocab, set())
            return time.perf_counter() - t0


def measure(parser: Parser, shape: str, factor: int = 4) -> tuple[float, float]:
    """(seconds for SIZES[shape] units, seconds for factor times as many) of one shape."""
    one = min(parser.seconds(SHAPES[shape](SIZES[shape])) for _ in range(2))
    many = parser.seconds(SHAPES[shape](factor * SIZES[shape]))
    return one, many


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only this shape (repeatable)")
    ap.add_argument("--factor", type=int, default=4, help="how many times larger the second document is")
    ap.add_argument("--limit", type=float, default=6.0, help="largest ratio of the two times judged linear")
    ap.add_argument("--slack", type=float, default=0.3, help="seconds allowed on top of LIMIT times for noise")
    args = ap.parse_args(argv)
    parser = Parser()
    shapes = args.shape or sorted(SHAPES)
    width = max(map(len, shapes))
    print(f"{'shape':<{width}}  {'units':>6}  {'1x s':>8}  {f'{args.factor}x s':>8}  {'ratio':>6}")
    slow = []
    for shape in shapes:
        one, many = measure(parser, shape, args.factor)
        ok = many < args.limit * one + args.slack
        if not ok:
            slow.append(shape)
        print(f"{shape:<{width}}  {SIZES[shape]:>6}  {one:>8.3f}  {many:>8.3f}  {many / one:>6.1f}"
              + ("" if ok else f"  NOT linear (> {args.limit:g}x + {args.slack:g} s)"), flush=True)
    if slow:
        print(f"{len(slow)} of {len(shapes)} shapes not linear: {', '.join(slow)}")
        return 1
    print(f"all {len(shapes)} shapes linear: {args.factor}x the text within {args.limit:g}x the time "
          f"+ {args.slack:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
