"""Every numbered statement in theory/ says what kind of claim it is and names code and tests
that exist (so the notes cannot silently drift away from the implementation).

A statement is a section ``## Tm.k (title)`` of a note, up to the next ``##`` heading.  Each
must have

* a ``**Status.**`` line: one or more clauses separated by ``;``, each starting with
  ``proven``, ``measured`` or ``conjectured`` (optionally followed by the parts it covers).
  A proven statement needs a ``**Proof.**``; a measured one a paragraph starting ``*Measured``
  that names how (a ``benchmarks/`` or ``tests/`` file, or a command in backticks); a
  conjectured one an ``**Evidence.**`` paragraph;
* a ``**Realised by**`` paragraph naming at least one existing ``esma_sympy.…`` object;
* a ``**Checked by**`` paragraph naming at least one existing test as ``tests/…py::name``
  (bare ``test_…`` names in that paragraph must be defined in a test file it names), or a
  ``**Not checked.**`` paragraph that says why.
"""

import importlib
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTES = sorted((ROOT / "theory").glob("*.md"))

TEST_REF = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")
CODE_REF = re.compile(r"`(esma_sympy(?:\.\w+)+)`")
BARE_TEST = re.compile(r"`(test_\w+)`")
LABELS = ("proven", "measured", "conjectured")


def _statements():
    out = []
    for note in NOTES:
        text = note.read_text()
        heads = list(re.finditer(r"^## .*$", text, re.M))
        for i, h in enumerate(heads):
            m = re.match(r"## (T\d+\.\d+)\b", h.group(0))
            if m:
                end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
                out.append((note.name, m.group(1), text[h.start():end]))
    return out


STATEMENTS = _statements()


def _paragraph(section: str, start: str, stops=()) -> str | None:
    """The text from ``start`` to the end of its paragraph (or the first of ``stops``)."""
    i = section.find(start)
    if i < 0:
        return None
    text = section[i + len(start):]
    cut = [len(text)] + [j for j in [text.find("\n\n")] + [text.find(s) for s in stops] if j >= 0]
    return text[:min(cut)]


def _resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return None
            obj = getattr(obj, attr)
        return obj
    return None


def _defines(path: str, name: str) -> bool:
    return re.search(rf"def {name}\b", (ROOT / path).read_text()) is not None


@pytest.mark.parametrize("note", NOTES, ids=[p.name for p in NOTES])
def test_named_tests_exist(note):
    text = note.read_text()
    refs = TEST_REF.findall(text)
    for path, name in refs:
        f = ROOT / path
        assert f.exists(), f"{note.name} names missing test file {path}"
        if name:
            assert _defines(path, name), f"{note.name} names missing test {path}::{name}"


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


@pytest.mark.parametrize("note", NOTES, ids=[p.name for p in NOTES])
def test_named_benchmarks_exist(note):
    for path in re.findall(r"`(benchmarks/[\w/]+\.py)", note.read_text()):
        assert (ROOT / path).exists(), f"{note.name} names missing {path}"


def test_every_note_has_numbered_statements():
    for note in NOTES:
        assert re.search(r"^## T\d+\.\d+", note.read_text(), re.M), f"{note.name} has no numbered statement"


def test_statement_numbers_are_unique():
    ids = [sid for _, sid, _ in STATEMENTS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def _status(section: str) -> list:
    line = _paragraph(section, "**Status.**")
    assert line is not None, "no **Status.** line"
    clauses, depth, cur = [], 0, ""
    for ch in line:                     # split at the semicolons outside parentheses
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth == 0:
            clauses.append(cur)
            cur = ""
        else:
            cur += ch
    labels = []
    for clause in clauses + [cur]:
        word = clause.strip().split(" ")[0].strip(".,:()").lower()
        assert word in LABELS, f"status clause {clause.strip()!r} does not start with one of {LABELS}"
        labels.append(word)
    return labels


@pytest.mark.parametrize("note, sid, section", STATEMENTS, ids=[s for _, s, _ in STATEMENTS])
def test_statement_says_proven_measured_or_conjectured(note, sid, section):
    labels = _status(section)
    if "proven" in labels:
        assert "**Proof.**" in section, f"{sid} ({note}) is labelled proven but has no **Proof.**"
    if "measured" in labels:
        how = re.search(r"^\*\*?Measured.*?(?:\n\n|\Z)", section, re.S | re.M)
        assert how, f"{sid} ({note}) is labelled measured but has no *Measured* paragraph"
        assert re.search(r"`(benchmarks/|tests/|\.venv/bin/python|python|esma )", how.group(0)), \
            f"{sid} ({note}): the *Measured* paragraph does not say how (script, test or command)"
    if "conjectured" in labels:
        assert "**Evidence.**" in section, f"{sid} ({note}) is labelled conjectured but has no **Evidence.**"


@pytest.mark.parametrize("note, sid, section", STATEMENTS, ids=[s for _, s, _ in STATEMENTS])
def test_statement_names_the_code_that_realises_it(note, sid, section):
    text = _paragraph(section, "**Realised by**", stops=("**Checked by**", "**Not checked"))
    assert text is not None, f"{sid} ({note}) has no **Realised by**"
    refs = CODE_REF.findall(text)
    assert refs, f"{sid} ({note}): **Realised by** names no `esma_sympy.…` object"
    for dotted in refs:
        assert _resolve(dotted) is not None, f"{sid} ({note}) is realised by missing {dotted}"


@pytest.mark.parametrize("note, sid, section", STATEMENTS, ids=[s for _, s, _ in STATEMENTS])
def test_statement_names_the_tests_that_check_it(note, sid, section):
    text = _paragraph(section, "**Checked by**")
    if text is None:
        why = _paragraph(section, "**Not checked.**")
        assert why is not None, f"{sid} ({note}) has neither **Checked by** nor **Not checked.**"
        assert len(why.split()) >= 8, f"{sid} ({note}): **Not checked.** must say why"
        return
    refs = TEST_REF.findall(text)
    bare = BARE_TEST.findall(text)
    assert any(name for _, name in refs) or (refs and bare), \
        f"{sid} ({note}): **Checked by** names no test (`tests/…py::test_…`)"
    files = []
    for path, name in refs:
        assert (ROOT / path).exists(), f"{sid} ({note}) is checked by missing file {path}"
        files.append(path)
        if name:
            assert _defines(path, name), f"{sid} ({note}) is checked by missing {path}::{name}"
    for name in bare:
        assert any(_defines(f, name) for f in files), \
            f"{sid} ({note}) is checked by {name}, which no test file it names defines"
