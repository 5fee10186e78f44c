"""No silent misses (loaders/coverage.py): sentences that name something but yielded no statement are counted,
listed with file and line, kept in build/coverage.json, and fail --strict. The document is FICTIONAL."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from atdkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("[Fictional report written for testing atd-kg.]\n\nReport of the Lowland exchange\n\n5 March 2024\n\n"
        "Summary\n\n"
        "The Riverside Migrant Council launched a foster care programme for unaccompanied children.\n\n"
        "The weather in Lima and the mood of the Harbour Legal Clinic were discussed at length.\n\n"
        "Everyone enjoyed the coffee.\n")


@pytest.fixture
def data(one_document_corpus):
    return one_document_corpus(TEXT)


def unread_line() -> int:
    return TEXT[:TEXT.index("The weather")].count("\n") + 1


def test_the_build_counts_lists_and_keeps_what_it_did_not_understand(data):
    result = CliRunner().invoke(main, ["build", "--data-dir", str(data), "--verbose"])
    assert result.exit_code == 0, result.output
    assert "1 name something but yielded nothing" in result.output
    assert f"unread 000:{unread_line()}: [Harbour Legal Clinic] The weather in Lima" in result.output
    (doc,) = json.loads((data / "build" / "coverage.json").read_text(encoding="utf-8"))
    assert doc["id"] == "000" and doc["file"] == "000_fictional.txt"
    assert [u["line"] for u in doc["unread"]] == [unread_line()]
    assert doc["yielded"] >= 1 and doc["sentences"] >= doc["yielded"] + 2  # the coffee: no name, no statement


def test_strict_fails_on_an_unread_sentence_naming_file_and_line(data):
    result = CliRunner().invoke(main, ["build", "--data-dir", str(data), "--strict"])
    assert result.exit_code == 1
    assert f"unread: 000_fictional.txt:{unread_line()}: names something but yielded nothing" in result.output
    assert not (data / "build").exists()  # nothing was swapped in
