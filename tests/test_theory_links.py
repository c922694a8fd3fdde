"""Every numbered statement in theory/ names code and tests that exist (so the notes cannot
silently drift away from the implementation)."""

import importlib
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTES = sorted((ROOT / "theory").glob("*.md"))

TEST_REF = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")
CODE_REF = re.compile(r"`(esma_sympy(?:\.\w+)+)`")


@pytest.mark.parametrize("note", NOTES, ids=[p.name for p in NOTES])
def test_named_tests_exist(note):
    text = note.read_text()
    refs = TEST_REF.findall(text)
    for path, name in refs:
        f = ROOT / path
        assert f.exists(), f"{note.name} names missing test file {path}"
        if name:
            assert re.search(rf"def {name}\b", f.read_text()), f"{note.name} names missing test {path}::{name}"


@pytest.mark.parametrize("note", NOTES, ids=[p.name for p in NOTES])
def test_named_code_exists(note):
    for dotted in CODE_REF.findall(note.read_text()):
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                assert hasattr(obj, attr), f"{note.name} names missing {dotted}"
                obj = getattr(obj, attr)
            break
        else:
            pytest.fail(f"{note.name} names unimportable {dotted}")


def test_every_note_has_numbered_statements():
    for note in NOTES:
        assert re.search(r"^## T\d+\.\d+", note.read_text(), re.M), f"{note.name} has no numbered statement"
