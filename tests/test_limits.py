"""Bad input and resource limits (issue 21) in the Python API: refused before any work, with a
domain error naming the argument; strings never evaluated; no silent coercion of floats."""

import os
import signal
import time
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import E, Integer, Symbol

from esma_sympy import PCF, SCF, QuasiPolynomial, berlekamp_massey, expand, limits
from esma_sympy.errors import ResourceLimitError
from esma_sympy.search import plan_search
from esma_sympy.search.lhs import lhs_from_expr

n = Symbol("n")


@contextmanager
def within(seconds):
    """Fail (instead of hanging) when the block takes longer than ``seconds``."""
    def alarm(*_):
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("constant,part", [
    ("gamma(10**9)", "integer part"), ("polygamma(10**9, 1)", "integer part"),
    ("exp(-10**9)", "reciprocal"), ("besseli(10**9, 1)", "reciprocal"),
    ("exp(10**6)", "integer part"),
])
def test_constants_too_large_or_small_are_refused_at_once(constant, part):
    with within(10):
        t = time.process_time()
        with pytest.raises(ResourceLimitError, match=rf"^constant = .*: its {part} has about"):
            plan_search(constant)
        assert time.process_time() - t < 2


def test_constants_of_moderate_size_are_planned():
    assert plan_search("exp(10**4)").n_pairs == 4928
    assert plan_search("loggamma(10**3000)").n_pairs == 4928


@pytest.mark.parametrize("kw,name", [
    (dict(coeff_limit=100), "coeff_limit = 100, lhs_degree = 1"),
    (dict(lhs_degree=10), "coeff_limit = 2, lhs_degree = 10"),
])
def test_lhs_enumerations_beyond_the_limit_are_refused(kw, name):
    with within(10):
        with pytest.raises(ResourceLimitError, match=f"^{name}: the enumeration walks"):
            plan_search(E, **kw)


def test_depth_and_memory_guards():
    with pytest.raises(ValueError, match=r"^depth = 10000000: its default complexity_limit"):
        plan_search(E, depth=10**7)
    with pytest.raises(ResourceLimitError, match=r"^depth = 10000000, .*estimated memory .* "
                                                 r"above max_memory = 2.0 GiB"):
        plan_search(E, depth=10**7, complexity_limit=61)
    with pytest.raises(ValueError, match="max_memory must be a size"):
        plan_search(E, max_memory="lots")
    # the largest default complexity limit the kernels take: depth 247 plans, 248 is named
    assert plan_search(E, depth=247).params["complexity_limit"] == 61
    with pytest.raises(ValueError, match=r"^depth = 248: its default complexity_limit = depth // 4 = 62 is above 61"):
        plan_search(E, depth=248)
    with pytest.raises(ValueError, match="^complexity_limit must be <= 61, got 62"):
        plan_search(E, depth=300, complexity_limit=62)


@pytest.mark.parametrize("lhs,msg", [
    ("exp(10**6)", "has degree 1000000 in the constant E"),
    ("E**17", "has degree 17 in the constant E"),
    ("E*10**100", "has a coefficient of about 10\\*\\*100"),
])
def test_explicit_lhs_guards(lhs, msg):
    with within(10):
        with pytest.raises(ResourceLimitError, match=f"^lhs = .*{msg}"):
            plan_search(E, lhs=[lhs])
    assert lhs_from_expr((E + 1) ** 3 / (E - 1), E).num == (1, 3, 3, 1)


def test_the_parser_refuses_numbers_that_cannot_be_printed():
    from esma_sympy.numeric.parse import parse_constant

    with pytest.raises(ValueError, match="MAX_POWER_BITS = 14000"):
        parse_constant("2**2**2**2**2 + E")
    with pytest.raises(ValueError, match="a number in it would have about"):
        parse_constant("2**10000*3**8000*E")
    assert parse_constant("2**10000*E").is_irrational


SIDE_EFFECT = "__import__('os').environ.__setitem__('ESMA_PWNED', '1')"


@pytest.mark.parametrize("build", [
    lambda: PCF(SIDE_EFFECT, 1, n),
    lambda: PCF(n, SIDE_EFFECT, n),
    lambda: PCF(n, 1, SIDE_EFFECT),
    lambda: SCF([SIDE_EFFECT, 1], [1]),
    lambda: SCF([1, 2], [SIDE_EFFECT]),
    lambda: QuasiPolynomial([SIDE_EFFECT], [n], n),
    lambda: QuasiPolynomial([1], [SIDE_EFFECT], n),
    lambda: QuasiPolynomial([1], [n], SIDE_EFFECT),
])
def test_strings_are_never_evaluated(build):
    os.environ.pop("ESMA_PWNED", None)
    with pytest.raises(ValueError, match="cannot parse"):
        build()
    assert "ESMA_PWNED" not in os.environ


def test_strings_still_work_through_the_whitelist_parser():
    c = Symbol("c")
    assert PCF("n + c", "c*n", "n") == PCF(n + c, c * n, n)
    assert SCF(["1", "2", "3"], ["1", "-1"]) == SCF([1, 2, 3], [1, -1])
    assert QuasiPolynomial(["3"], ["2*k + 3", "2"], "k") == QuasiPolynomial([3], [2 * Symbol("k") + 3, 2], Symbol("k"))


def test_floats_are_refused_where_integers_are_meant():
    with pytest.raises(ValueError, match=r"signs must be \+1 or -1, got signs\[0\] = 1.0"):
        expand(E, (1.0, -1.0), terms=11)
    with pytest.raises(TypeError, match="modulus must be a prime integer, got 7.0"):
        berlekamp_massey([1, 2, 3, 4, 5, 6], modulus=7.0)
    with pytest.raises(ValueError, match=r"prefix\[0\] = 1.5\d* must be exact, not a Float"):
        QuasiPolynomial([1.5], [n], n)
    assert expand(E, (Integer(1), -1), terms=6).quotients[:3] == (2, 2, 1)


def test_depth_beyond_max_terms_is_refused():
    with within(10):
        with pytest.raises(ResourceLimitError, match="^n = 10000000 is above esma_sympy.limits.MAX_TERMS"):
            PCF(n + 3, -n, n).convergent(10**7)
        with pytest.raises(ResourceLimitError, match="^terms = 10000000 is above"):
            expand(E, terms=10**7)
    assert limits.MAX_TERMS == 10**6


# -- random junk for every public parameter: a domain error naming it, never anything else --

JUNK = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=True), st.text(max_size=12),
    st.integers(min_value=-10**30, max_value=10**30), st.binary(max_size=4),
    st.lists(st.integers(-3, 3), max_size=3), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(object()), st.just(1j), st.just(float("inf")),
)

CALLS = {
    "depth": lambda v: plan_search(E, depth=v),
    "coeff_limit": lambda v: plan_search(E, coeff_limit=v),
    "lhs_degree": lambda v: plan_search(E, lhs_degree=v),
    "max_period": lambda v: plan_search(E, max_period=v),
    "min_period": lambda v: plan_search(E, min_period=v),
    "verify_digits": lambda v: plan_search(E, verify_digits=v),
    "complexity_limit": lambda v: plan_search(E, complexity_limit=v),
    "max_memory": lambda v: plan_search(E, max_memory=v),
    "constant": lambda v: plan_search(v),
    "modulus": lambda v: berlekamp_massey([1, 1, 2, 3, 5, 8], modulus=v),
    "signs": lambda v: expand(E, v, terms=6),
    "dps": lambda v: expand(E, (1,), terms=6, dps=v),
    "a": lambda v: PCF(v, 1, n),
    "prefix": lambda v: QuasiPolynomial(v, [n], n),
}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(CALLS)), value=JUNK)
def test_junk_gets_a_domain_error_naming_the_argument(name, value):
    with within(20):
        try:
            CALLS[name](value)
        except (TypeError, ValueError) as err:
            text = str(err)
            assert name in text or (name == "prefix" and "prefix" in text), (name, value, text)
            assert "\n" not in text.strip() or name in text.splitlines()[0]


def test_an_unreachable_scheduler_is_named_within_the_timeout():
    from esma_sympy.distributed.executor import DaskExecutor

    with within(30):
        t = time.monotonic()
        with pytest.raises(ConnectionError, match=r"^scheduler = 'tcp://127.0.0.1:1': no Dask "
                                                  r"scheduler answered: the connection was "
                                                  r"refused"):
            DaskExecutor(scheduler="tcp://127.0.0.1:1", connect_timeout=1)
        assert time.monotonic() - t < 15


def test_python_entry_points_refuse_unbounded_work_at_once():
    from esma_sympy import to_arb

    k = Symbol("k")
    with within(10):
        with pytest.raises(ResourceLimitError, match=r"^x = gamma\(1000000000\): its integer part"):
            expand("gamma(10**9)", (1,), terms=11)
        with pytest.raises(ResourceLimitError, match=r"^x = exp\(-1000000000\): its reciprocal"):
            expand("exp(-10**9)", (1,), terms=11)
        with pytest.raises(ResourceLimitError, match=r"^x = gamma\(1000000000\)"):
            SCF.from_value("gamma(10**9)", (1,), terms=9)
        with pytest.raises(ResourceLimitError, match="^prec = 1000000000 bits is above"):
            to_arb(E, 10**9)
        with pytest.raises(ResourceLimitError, match="^dps = 1000000000 is above"):
            PCF(n + 3, -n, n).evaluate(10**9)
        with pytest.raises(ResourceLimitError, match="^N = 1000000000 is above"):
            QuasiPolynomial([3], [2 * k + 3, 2], k).terms(10**9)


def test_esma_search_stops_when_the_process_grows_above_max_memory(monkeypatch):
    from sympy import E

    from esma_sympy import limits
    from esma_sympy.errors import ResourceLimitError
    from esma_sympy.search import esma_search

    monkeypatch.setattr(limits, "memory_in_use", lambda: 5 * 2**30)
    with pytest.raises(ResourceLimitError, match=r"after 1 of 1 work units: the search uses "
                       r"5\.0 GiB of memory, above max_memory = 4\.0 GiB"):
        esma_search(E, coeff_limit=1, max_period=2, max_memory="4G")
    monkeypatch.setattr(limits, "memory_in_use", lambda: 3 * 2**30)
    assert len(esma_search(E, coeff_limit=1, max_period=2, max_memory="4G")) > 0


def test_degrees_and_walk_sizes_bounded_before_any_work():
    from sympy.abc import k, n

    with within(10):
        for a, b, name in ((n**(10**9), 1, "a"), (1, (n + 1)**(10**9), "b"),
                           (n**20000, 1, "a"), (1 / (n**2 + 1)**6000, 1, "a")):
            with pytest.raises(ResourceLimitError, match=rf"^{name} = .* has degree up to \d+ in n, "
                               r"above esma_sympy.limits.MAX_DEGREE = 10000"):
                PCF(a, b, n)
        with pytest.raises(ResourceLimitError, match=r"polys\[0\] = \(k \+ 1\)\*\*1000000000 has degree"):
            QuasiPolynomial((), ((k + 1)**(10**9),), k)
        assert PCF(n**10000 + n**9999 + 1, -n, n).convergent(3) > 0   # at the limit: fine
        with pytest.raises(ResourceLimitError, match=r"n = 1000000: its convergent's numerator "
                           r"and denominator would have about 2e\+11 bits \(degree 10000\)"):
            PCF(n**10000, 1, n).convergent(10**6)
        with pytest.raises(ResourceLimitError, match=r"n = 1000000: the convergents up to it"):
            PCF(n, 1, n).convergents(10**6)
        with pytest.raises(ResourceLimitError, match=r"n = 1000000: the convergents up to it"):
            SCF(QuasiPolynomial((), (2 * k + 1,), k), (1,)).convergents(10**6)
    assert len(PCF(n, 1, n).convergents(2000)) == 2001


def test_explicit_sequences_bounded_before_conversion():
    with within(10):
        for args, name, size in ((((3, 2, 2), (1,) * (3 * 10**7)), "signs", "30000000"),
                                 (([1] * (2 * 10**6), (1,)), "quotients", "2000000"),
                                 (((1 for _ in range(10**8)), (1,)), "quotients",
                                  "more than 1000000")):
            with pytest.raises(ResourceLimitError, match=rf"^{name} has {size} entries, above "
                               r"esma_sympy.limits.MAX_TERMS = 1000000"):
                SCF(*args)
        with pytest.raises(ResourceLimitError, match=r"^prefix has 2000000 entries"):
            QuasiPolynomial([1] * (2 * 10**6), (1,))
    assert SCF([1] * 1000, (1,)).convergent(10) == Integer(144) / 89       # F(12)/F(11)


def test_polynomial_bounds_exact_for_huge_coefficients_and_degrees():
    """The index from which a polynomial stays positive: exact integer roots for coefficients
    beyond floats (no OverflowError), no root isolation above degree 60 (no minutes-long wait)."""
    from flint import fmpq_poly
    from sympy import N
    from sympy.abc import n

    from esma_sympy.numeric.polyineq import first_index_from_which

    with within(20):
        assert first_index_from_which(fmpq_poly([-10**400, 0, 1])) is None     # beyond the scan
        assert first_index_from_which(fmpq_poly([-10**6, 0, 1])) == 1000
        big = fmpq_poly([1, 1]) ** 300                                         # (n + 1)**300
        assert first_index_from_which(big) == 0
        assert first_index_from_which(big - fmpq_poly([10**900])) == 999      # (m+1)^300 >= 10^900
        assert str(N(PCF((n + 1)**300, 1, n), 10)) == "1.000000000"          # 1 + 1/(2**300 + ...)
        assert abs(N(PCF(n + 10**100, 1, n), 10) - 10**100) < 10**91


def test_esma_search_refuses_a_search_estimated_above_max_search_seconds():
    from esma_sympy.search import esma_search

    with within(10):
        with pytest.raises(ResourceLimitError, match=r"^max_period = 40, coeff_limit = 2, "
                           r"lhs_degree = 1, depth = 100: 492,580,735,713,920 \(LHS, pattern\) "
                           r"pairs, estimated .* above esma_sympy.limits.MAX_SEARCH_SECONDS = 3600"):
            esma_search(E, max_period=40)


def test_parser_messages_name_the_problem_not_python_internals():
    from esma_sympy.numeric.parse import parse_constant

    for text, why in (("+".join(["E"] * 3000), "nested too deeply for Python's parser"),
                      ("**".join(["1"] * 3000), "nested too deeply for Python's parser"),
                      ("E\udcff", "it contains characters that are not text")):
        with pytest.raises(ValueError) as err:
            parse_constant(text)
        msg = str(err.value)
        assert why in msg and "RecursionError" not in msg and "MemoryError" not in msg, msg
        assert len(msg) < 300


def test_long_store_names_and_constants_fit_the_file_system(tmp_path):
    from esma_sympy.cli import main

    name = str(tmp_path / ("a" * 250))
    assert main(["search", "E", "--quiet", "--max-period", "1", "--coeff-limit", "1",
                 "--db", name]) == 0
    assert main(["search", str(10**400) + " + E", "--quiet", "--max-period", "1",
                 "--coeff-limit", "1", "--db", name]) == 0
    assert main(["report", "--db", name, "--out", str(tmp_path / "rep"), "--max-plots", "1"]) == 0
    assert max(len(p.name) for p in (tmp_path / "rep").iterdir()) <= 100


# -- one integer check everywhere: the same kinds accepted, the same refused --------------------

def _int_calls():
    from esma_sympy import contract, shift, tail, to_arb
    from esma_sympy.distributed.executor import check_workers
    from esma_sympy.transforms import is_equivalent

    k = Symbol("k")
    p = PCF(n + 3, -n, n)
    q = PCF(2 * n + 3, -n * (n + 1), n)
    return {   # name: (call, a good value)
        "depth (plan_search)": (lambda v: plan_search(E, depth=v, max_period=1), 40),
        "coeff_limit": (lambda v: plan_search(E, coeff_limit=v, max_period=1), 1),
        "lhs_degree": (lambda v: plan_search(E, lhs_degree=v, max_period=1), 1),
        "max_period": (lambda v: plan_search(E, max_period=v), 2),
        "min_period": (lambda v: plan_search(E, min_period=v, max_period=2), 1),
        "verify_digits": (lambda v: plan_search(E, verify_digits=v, max_period=1), 60),
        "terms (expand)": (lambda v: expand(E, (1, -1), terms=v), 7),
        "dps (expand)": (lambda v: expand(E, (1,), terms=6, dps=v), 30),
        "n (convergent)": (lambda v: p.convergent(v), 5),
        "dps (evaluate)": (lambda v: p.evaluate(v), 10),
        "N (terms)": (lambda v: QuasiPolynomial([3], [2 * k + 3, 2], k).terms(v), 4),
        "k (contract)": (lambda v: contract(p, v), 2),
        "offset (contract)": (lambda v: contract(p, 2, v), 0),
        "k (tail)": (lambda v: tail(p, v), 1),
        "k (shift)": (lambda v: shift(p, v), 1),
        "max_degree": (lambda v: is_equivalent(p, q, max_degree=v), 1),
        "max_k": (lambda v: is_equivalent(p, q, max_k=v), 1),
        "workers": (lambda v: check_workers(v), 1),
        "prec": (lambda v: to_arb(E, v), 64),
    }


def test_every_integer_parameter_takes_the_same_kinds():
    """int, SymPy Integer, FLINT fmpz and NumPy int64 are integers for every one of them;
    bool, float, str, Rational, Fraction and None (where it is not the default) are refused
    with a TypeError naming it."""
    from fractions import Fraction

    import numpy as np
    from flint import fmpz
    from sympy import Rational

    for label, (call, good) in _int_calls().items():
        name = label.split()[0]
        results = []
        for kind in (int, Integer, fmpz, np.int64):
            with within(30):
                results.append(call(kind(good)))
        assert len({str(r) for r in results}) == 1, (label, results)
        none = () if label in ("terms (expand)", "dps (expand)") else (None,)   # defaults
        for bad in (bool(good), float(good), str(good), Rational(2 * good + 1, 2),
                    Fraction(good)) + none:
            with within(10):
                with pytest.raises(TypeError) as info:
                    call(bad)
            assert name in str(info.value), (label, bad, str(info.value))


def test_contraction_and_sign_period_limits():
    from esma_sympy import contract

    with within(10):
        with pytest.raises(ResourceLimitError, match="^k = 1000000000 is above esma_sympy.limits."
                                                     "MAX_CONTRACTION = 64"):
            contract(PCF(n + 3, -n, n), 10**9)
        with pytest.raises(ResourceLimitError, match=r"^len\(signs\) = 10000000 is above"):
            expand(E, (1,) * 10**7, terms=6)


def test_a_fraction_of_rational_functions_is_walked_exactly_and_fast():
    """Rational-function coefficients are evaluated as exact polynomial quotients (xreplace
    took 0.35 ms a term: N(PCF(1/(n + 1), 1, n), 10) walked 262,000 terms in 97 s)."""
    import warnings

    from sympy import N, Rational

    p = PCF(1 / (n + 1), 1, n)
    assert p.walk_matrix(4) == PCF(1 / (n + 1), 1, n).walk_matrix(4)
    assert p._ab(0, 3) == ([1, Rational(1, 2), Rational(1, 3)], [1, 1, 1])
    with within(30):
        t = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert N(p, 10) == p                      # no certified value: unevaluated
        assert time.process_time() - t < 15
    with pytest.raises(ValueError, match="undefined at n = 2"):
        PCF(1 / (n - 2), 1, n).convergent(4)
