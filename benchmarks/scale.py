"""A scaled copy of the built graph: the dataset repeated K times with every instance IRI and
graph name renamed per copy and every date moved 3·k years on (so a date picks one copy's
exchange, as it would in a real archive); vocabularies and ontology stay shared. As N-Quads."""
from __future__ import annotations

import re
from pathlib import Path

BASE = "https://w3id.org/atd-kg/"


def scaled_nquads(nquads: str, copies: int) -> str:
    """``copies`` renamed copies of the dataset (copy 0 is the original)."""
    lines = [line for line in nquads.splitlines() if line.strip()]
    out = list(lines)
    pattern = re.compile(re.escape(f"<{BASE}") + r"(id|graph)/")
    year = re.compile(r'"(\d{4})(-\d{2}(?:-\d{2})?(?:T[^"]*)?)"\^\^')
    for k in range(1, copies):
        for line in lines:  # (the lambdas use k at once: re.sub calls them within this iteration)
            line = pattern.sub(lambda m: f"<{BASE}{m.group(1)}/c{k}/", line)  # noqa: B023
            out.append(year.sub(lambda m: f'"{int(m.group(1)) + 3 * k}{m.group(2)}"^^', line))  # noqa: B023
    return "\n".join(out) + "\n"


def write_scaled(build_dir: Path, copies: int, target: Path) -> Path:
    target.write_text(scaled_nquads((Path(build_dir) / "graph.nq").read_text(encoding="utf-8"), copies),
                      encoding="utf-8")
    return target
