"""The layers of the architecture hold: no import cycle between parts, and no lower layer
imports a higher one.

Every module of ``esma_sympy`` is parsed with :mod:`ast`; every ``import`` and ``from ...
import`` statement counts, wherever it stands (module level, inside a function or method, under
``if TYPE_CHECKING:``), and relative imports are resolved against the module's package.  A
*part* is a subpackage or a top-level module of ``esma_sympy`` (``cf``, ``numeric``, ``search``,
``cli``, ``errors``, ...); the package root ``esma_sympy/__init__.py`` is the public surface
above every layer and may import anything.

The layer order is the one of ``ARCHITECTURE.md`` ("Layers (lower never imports higher --
function-local imports included)"), lowest first, with one change made for issue 17 (item 2)
that ARCHITECTURE.md, which lists theory/ below search/, does not state yet: the theory layer
sits above the search and may use the search's spaces (``search.lhs``, the LHS and
sign-pattern enumeration that ``predict_reachable`` predicts over; ``search.conjecture``, the
type that ``prove`` takes), but it never runs a search itself (no ``search.api``,
``search.engine``, ``search.advantage``), and the search never imports the theory.
ARCHITECTURE.md's one allowed upward reference is a ``cf/`` type's method that delegates to a
higher layer (``PCF.fold()``, ``SCF.from_value()``, the closed form of ``CFValue``) by an
import inside the function: such an edge is left out of both checks.

Imports by name only: ``importlib.import_module`` and ``__import__`` are allowed only in a
package's ``__init__.py`` for its own submodules (the PEP 562 lazy tables), so a dependency
cannot be hidden from this test.  The deprecation shims listed in ``SHIMS`` (old import paths
kept for one release) are the only other exceptions, and each must stand in a module-level
``__getattr__``, so it runs only when the deprecated name is asked for.
"""
from __future__ import annotations

import ast
import pathlib
from collections import defaultdict

import pytest

PACKAGE = "esma_sympy"
ROOT = pathlib.Path(__file__).resolve().parents[1] / PACKAGE

# ARCHITECTURE.md's layers, lowest first; a part may import its own layer and the ones below.
# The private helpers and ``errors``/``limits``/``verdict`` (argument checks, messages, flint
# context, notebook-representation helpers, domain errors, resource limits, proof statuses and
# the certificate base) sit below
# everything; ``testing`` (Hypothesis strategies and
# literature data for the tests) sits just under the search, which it does not use.
LAYERS = [
    {"_args", "_flintctx", "_messages", "_notebook", "errors", "limits", "verdict"},
    {"numeric"},
    {"cf"},
    {"recurrence"},
    {"transforms"},
    {"testing"},
    {"search"},
    {"theory"},
    {"store", "report", "distributed"},
    {"atlas"},
    {"cli", "_console", "_compat"},
]
# The modules that run a search: the theory layer must not import them.
SEARCH_RUNNERS = {"esma_sympy.search", "esma_sympy.search.api", "esma_sympy.search.engine",
                  "esma_sympy.search.advantage"}
# Deprecated import paths kept for one release (remove each with its shim):
# (module holding the shim, module it forwards to).
SHIMS = {
    ("esma_sympy.numeric.expand", "esma_sympy.cf.expansion"),
    ("esma_sympy.theory", "esma_sympy.search.advantage"),
    ("esma_sympy.theory.reachability", "esma_sympy.search.advantage"),
}
LEVEL = {part: i for i, layer in enumerate(LAYERS) for part in layer}


def _modules():
    """``{dotted module name: path}`` for every module of the package."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _part(module: str) -> str | None:
    """The part of ``esma_sympy.x.y`` (``x``), ``None`` for the root or outside the package."""
    bits = module.split(".")
    if bits[0] != PACKAGE or len(bits) == 1:
        return None
    return bits[1]


class _Import:
    def __init__(self, source, target, path, node, in_function, in_method):
        self.source, self.target, self.path, self.node = source, target, path, node
        self.in_function, self.in_method = in_function, in_method

    def __str__(self):
        where = "function-local " if self.in_function else ""
        line = ast.get_source_segment(self.path.read_text(), self.node) or ast.dump(self.node)
        rel = self.path.relative_to(ROOT.parent)
        return f"  {rel}:{self.node.lineno}: {where}{' '.join(line.split())}"


def _package_of(module: str, path: pathlib.Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _resolve(module, path, node):
    """The modules of the package that an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = _package_of(module, path).split(".")
        base = base[: len(base) - (node.level - 1)]
        base = ".".join(base + ([node.module] if node.module else []))
    else:
        base = node.module
    # ``from pkg import name``: a submodule if ``pkg.name`` is one, else ``pkg`` itself.
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _imports():
    """Every import of a package module by another, with where it stands."""
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))

        def visit(node, in_function, in_method, in_class):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for target in _resolve(module, path, child):
                        if target == PACKAGE or target.startswith(PACKAGE + "."):
                            found.append(_Import(module, target, path, child, in_function,
                                                 in_method))
                elif isinstance(child, ast.ClassDef):
                    visit(child, in_function, in_method, True)
                elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    visit(child, getattr(child, "name", "<lambda>") if not in_function
                          else in_function, in_method or in_class, False)
                else:
                    visit(child, in_function, in_method, in_class)

        visit(tree, False, False, False)
    # one entry per (statement, target): ``from .x import a, b`` is one import of ``x``
    seen, out = set(), []
    for imp in found:
        key = (imp.source, imp.target, imp.node.lineno, imp.node.col_offset)
        if key not in seen:
            seen.add(key)
            out.append(imp)
    return out


IMPORTS = _imports()


def _delegation(imp: _Import) -> bool:
    """ARCHITECTURE.md's one upward reference: ``cf/`` code importing a higher layer inside a
    function (a method, or the memoised helper a method calls)."""
    return (_part(imp.source) == "cf" and bool(imp.in_function)
            and LEVEL.get(_part(imp.target), -1) > LEVEL["cf"])


def _shim(imp: _Import) -> bool:
    return (imp.source, imp.target) in SHIMS and imp.in_function == "__getattr__"


def _part_edges():
    """``{(part, part): [imports]}`` between different parts, delegations and shims left
    out."""
    edges = defaultdict(list)
    for imp in IMPORTS:
        a, b = _part(imp.source), _part(imp.target)
        if a and b and a != b and not _delegation(imp) and not _shim(imp):
            edges[a, b].append(imp)
    return edges


def _shortest_path(edges, start, goal):
    """A shortest path of parts from ``start`` to ``goal`` along ``edges`` (BFS), or None."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    prev, todo = {start: None}, [start]
    while todo:
        nxt = []
        for v in todo:
            for w in sorted(graph[v]):
                if w not in prev:
                    prev[w] = v
                    nxt.append(w)
        todo = nxt
    if goal not in prev:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(prev[path[-1]])
    return path[::-1]


def _cycles(edges):
    """The strongly connected components of more than one part (Tarjan)."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(set(graph) | {b for bs in graph.values() for b in bs}):
        if v not in index:
            strong(v)
    return out


def test_the_walker_sees_imports():
    # The test must be able to fail: it sees the package's parts, relative and function-local
    # imports, and ARCHITECTURE.md's delegation (``SCF.from_value`` imports ``numeric``,
    # ``PCF.fold`` imports ``transforms`` inside the method).
    assert {"cf", "numeric", "search", "theory", "transforms", "cli"} <= {
        _part(m) for m in MODULES}
    assert any(i.in_function and isinstance(i.node, ast.ImportFrom) and i.node.level
               for i in IMPORTS)
    assert any(_delegation(i) and _part(i.target) == "transforms" for i in IMPORTS)
    assert _cycles({("a", "b"): [], ("b", "c"): [], ("c", "a"): [], ("c", "d"): []}) == [
        ["a", "b", "c"]]


def test_one_upward_import_makes_a_cycle():
    # on the real graph: numeric/ building an SCF again (the cycle issue 17 found) is caught
    edges = dict(_part_edges())
    assert not _cycles(edges)
    edges["numeric", "cf"] = []
    assert ["cf", "numeric"] in _cycles(edges)


def test_every_part_has_a_layer():
    parts = {_part(m) for m in MODULES} - {None}
    assert parts <= set(LEVEL), f"parts without a layer in LAYERS: {sorted(parts - set(LEVEL))}"


def _cycle_report(edges, comp):
    """Every elementary cycle ``a -> b -> ... -> a`` closed by a shortest path, one per edge
    inside the component, with the import lines of each hop."""
    lines, shown = [f"cycle between the parts {', '.join(comp)}:"], set()
    inner = {e: imps for e, imps in edges.items() if e[0] in comp and e[1] in comp}
    for a, b in sorted(inner):
        back = _shortest_path(inner, b, a)
        cycle = [a] + back
        k = cycle[:-1].index(min(cycle[:-1]))
        key = tuple(cycle[k:-1] + cycle[:k])
        if key in shown:
            continue
        shown.add(key)
        lines.append(f" {' -> '.join(key + key[:1])}")
        for u, v in zip(cycle, cycle[1:]):
            lines.append(f"  {u} -> {v}:")
            lines.extend("  " + str(i) for i in inner[u, v])
    return lines


def test_no_cycle_between_parts():
    edges = _part_edges()
    cycles = _cycles(edges)
    report = [line for comp in cycles for line in _cycle_report(edges, comp)]
    assert not cycles, "\n".join(report)


def test_theory_never_runs_a_search():
    bad = [str(i) for i in IMPORTS
           if _part(i.source) == "theory" and i.target in SEARCH_RUNNERS and not _shim(i)]
    assert not bad, "theory/ imports the search runner:\n" + "\n".join(bad)


def test_shims_stand_in_a_module_getattr():
    found = {(i.source, i.target) for i in IMPORTS if _shim(i)}
    assert found == SHIMS, f"shims missing or moved: {sorted(SHIMS - found)}"


def test_lower_layer_never_imports_higher():
    report = []
    for (a, b), imps in sorted(_part_edges().items()):
        if a in LEVEL and b in LEVEL and LEVEL[a] < LEVEL[b]:
            report.append(f" {a} (layer {LEVEL[a]}) -> {b} (layer {LEVEL[b]})")
            report.extend(str(i) for i in imps)
    assert not report, "lower layers import higher ones:\n" + "\n".join(report)


def test_no_part_imports_the_package_root():
    # ``from esma_sympy import X`` inside a part hides which part X comes from (the root loads
    # it lazily from anywhere).
    # ``__version__`` (the installed metadata, read by the root) is the one name allowed.
    bad = [str(i) for i in IMPORTS if i.target == PACKAGE and _part(i.source)
           and [a.name for a in i.node.names] != ["__version__"]]
    assert not bad, "import the defining part, not the root:\n" + "\n".join(bad)


@pytest.mark.parametrize("module", sorted(MODULES), ids=sorted(MODULES))
def test_no_hidden_import(module):
    # importlib.import_module / __import__ only in a package __init__, for its own submodules
    # (a relative name with ``__name__`` as the anchor).
    path = MODULES[module]
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
        if name not in {"import_module", "__import__"}:
            continue
        own = (path.name == "__init__.py" and name == "import_module" and len(node.args) == 2
               and isinstance(node.args[1], ast.Name) and node.args[1].id == "__name__"
               and isinstance(node.args[0], ast.JoinedStr) and node.args[0].values
               and isinstance(node.args[0].values[0], ast.Constant)
               and node.args[0].values[0].value.startswith("."))
        assert own, f"{path.relative_to(ROOT.parent)}:{node.lineno}: dynamic import"
