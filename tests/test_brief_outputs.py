"""The brief, written once as a document and by four writers, prints what it printed: the txt, md and
html of each case equal, byte for byte, to its readable file in tests/expected/brief/ (the old
templates' output, blank lines included), the Word document's parts to their sha256 in
tests/golden/brief-outputs.json (the cases and how to record them again: tests/brief_outputs.py)."""
import json
from pathlib import Path

import pytest

from brief_outputs import CASES, TEXT_FORMATS, digests, outputs

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "golden" / "brief-outputs.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return outputs(tmp_path_factory.mktemp("brief"))


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_the_brief_is_its_expected_text(found, case, fmt):
    # read as bytes: a blank line or a line ending more or fewer is a difference
    expected = (HERE / "expected" / "brief" / f"{case}.{fmt}").read_bytes().decode("utf-8")
    assert found[case][fmt] == expected


@pytest.mark.parametrize("case", CASES)
def test_the_word_document_is_as_recorded(found, case):
    assert digests({case: found[case]})[case] == GOLDEN[case]


def test_every_writer_lays_out_every_kind_of_block():
    """A kind of block added to the document is written by all four writers, or this says which lacks it."""
    import dataclasses
    import inspect

    from congress.presentation.brief import document
    from congress.presentation.brief.word import Word
    from congress.presentation.brief.writers import WRITERS

    kinds = [cls.__name__.lower() for _, cls in inspect.getmembers(document, inspect.isclass)
             if dataclasses.is_dataclass(cls) and cls.__module__ == document.__name__
             and cls not in (document.Document, document.Annex)]
    assert {"heading", "paragraph", "orglist", "chart"} <= set(kinds)  # the blocks were found
    missing = [(writer.__name__, kind) for writer in (*WRITERS.values(), Word) for kind in kinds
               if not callable(getattr(writer, kind, None))]
    assert missing == []
