"""A whitelist parser for constants typed by users or read from a store.

``sympify`` and ``eval`` run arbitrary Python on their input, so esma_sympy never gives them a
user's string.  :func:`parse_constant` reads the string with Python's :mod:`ast` module and
walks the tree itself, accepting only

* numbers: integer literals and decimal literals (``2.5``, ``1e-3``), read *exactly* as
  rationals (``0.1`` is one tenth, not a binary float);
* the names ``E`` (also ``e``), ``pi``, ``EulerGamma``, ``Catalan``, ``GoldenRatio``,
  ``TribonacciConstant``;
* the operators ``+ - * / **`` and unary ``+``/``-``, with parentheses;
* calls, by a plain name and positional arguments, of the functions in :data:`FUNCTIONS`.

Everything else -- attribute access, subscripts, lambdas, comprehensions, keywords, strings,
any other name or operator -- raises ``UnsupportedConstant`` naming the offending piece, so
``__import__('os')`` is rejected before anything runs.  Sizes are bounded: the text
(:data:`MAX_LENGTH` characters), the number of tree nodes (:data:`MAX_NODES`), the digits of a
literal (:data:`MAX_LITERAL_DIGITS`), and exact powers of rationals (:data:`MAX_POWER_BITS`
bits), so ``9**9**9**9`` is refused instead of exhausting memory.  SymPy prints constants in
this language, so ``parse_constant(str(c)) == c`` for the constants esma_sympy handles.
"""

from __future__ import annotations

import ast
import math
import re

import sympy
from sympy import Integer, Rational

from .._messages import shown
from ..errors import UnsupportedConstant

__all__ = [
    "parse_constant",
    "parse_expression",
    "as_expr",
    "sympify_safe",
    "FUNCTIONS",
    "NAMES",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_LITERAL_DIGITS",
    "MAX_POWER_BITS",
]

#: Longest accepted text.
MAX_LENGTH = 20000
#: Most AST nodes in one expression.
MAX_NODES = 2000
#: Most digits in one numeric literal (mantissa digits plus |decimal exponent|); below
#: Python's own limit on int <-> str conversion (4300 digits).
MAX_LITERAL_DIGITS = 4000
#: Largest exact power ``r**n`` of a rational (bits of the result) built while parsing: below
#: Python's limit on int <-> str conversion (4300 digits, about 14284 bits), so that every
#: accepted constant can be printed and stored.
MAX_POWER_BITS = 14000
#: Integer arguments above this stop SymPy's automatic evaluation of a call (``gamma(10**6)``
#: would otherwise compute a factorial, ``zeta(10**4)`` a Bernoulli number).
_EVAL_ARG_LIMIT = 1000

#: Whitelisted names of constants.
NAMES = {
    "E": sympy.E,
    "e": sympy.E,
    "pi": sympy.pi,
    "EulerGamma": sympy.EulerGamma,
    "Catalan": sympy.Catalan,
    "GoldenRatio": sympy.GoldenRatio,
    "TribonacciConstant": sympy.TribonacciConstant,
}

#: Whitelisted functions: name -> (SymPy callable, allowed numbers of arguments).
FUNCTIONS = {
    "sqrt": (sympy.sqrt, (1,)),
    "cbrt": (sympy.cbrt, (1,)),
    "root": (sympy.root, (2,)),
    "exp": (sympy.exp, (1,)),
    "log": (sympy.log, (1, 2)),
    "sin": (sympy.sin, (1,)),
    "cos": (sympy.cos, (1,)),
    "tan": (sympy.tan, (1,)),
    "cot": (sympy.cot, (1,)),
    "sec": (sympy.sec, (1,)),
    "csc": (sympy.csc, (1,)),
    "asin": (sympy.asin, (1,)),
    "acos": (sympy.acos, (1,)),
    "atan": (sympy.atan, (1,)),
    "acot": (sympy.acot, (1,)),
    "asec": (sympy.asec, (1,)),
    "acsc": (sympy.acsc, (1,)),
    "atan2": (sympy.atan2, (2,)),
    "sinh": (sympy.sinh, (1,)),
    "cosh": (sympy.cosh, (1,)),
    "tanh": (sympy.tanh, (1,)),
    "coth": (sympy.coth, (1,)),
    "sech": (sympy.sech, (1,)),
    "csch": (sympy.csch, (1,)),
    "asinh": (sympy.asinh, (1,)),
    "acosh": (sympy.acosh, (1,)),
    "atanh": (sympy.atanh, (1,)),
    "acoth": (sympy.acoth, (1,)),
    "asech": (sympy.asech, (1,)),
    "acsch": (sympy.acsch, (1,)),
    "besseli": (sympy.besseli, (2,)),
    "besselj": (sympy.besselj, (2,)),
    "besselk": (sympy.besselk, (2,)),
    "bessely": (sympy.bessely, (2,)),
    "zeta": (sympy.zeta, (1, 2)),
    "gamma": (sympy.gamma, (1,)),
    "loggamma": (sympy.loggamma, (1,)),
    "digamma": (sympy.digamma, (1,)),
    "polygamma": (sympy.polygamma, (2,)),
    "erf": (sympy.erf, (1,)),
    "erfc": (sympy.erfc, (1,)),
    "LambertW": (sympy.LambertW, (1,)),
    "Abs": (sympy.Abs, (1,)),
}

_DECIMAL = re.compile(r"^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")


def _digits(x, limit: int = 20) -> str:
    """An integer (or any value) for a message, its digits cut after ``limit``."""
    text = str(x)
    return text if len(text) <= limit else f"{text[:limit]}…({len(text):,} digits)"


def _reject(what: str, text: str):
    return UnsupportedConstant(f"cannot parse {shown(text)}: {what} is not allowed in a constant")


def _literal(node: ast.Constant, text: str):
    v = node.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _reject(f"the literal {shown(v)}", text)
    src = ast.get_source_segment(text, node)
    if src is None:  # pragma: no cover - source positions are always kept by ast.parse
        raise _reject(f"the literal {shown(v)}", text)
    src = src.replace("_", "")
    if isinstance(v, int):
        if src[:2].lower() in ("0x", "0o", "0b"):
            raise _reject(f"the non-decimal literal {src}", text)
        if len(src) > MAX_LITERAL_DIGITS:
            raise ValueError(
                f"cannot parse {shown(text)}: a literal has {len(src)} digits, more than "
                f"MAX_LITERAL_DIGITS = {MAX_LITERAL_DIGITS}"
            )
        return Integer(int(src))
    m = _DECIMAL.match(src)
    if m is None:
        raise _reject(f"the literal {src}", text)
    ip, fp, ex = m.group(1), m.group(2) or "", m.group(3)
    exp10 = int(ex) if ex is not None else 0
    if len(ex or "") > 8 or len(ip) + len(fp) + abs(exp10) > MAX_LITERAL_DIGITS:
        raise ValueError(
            f"cannot parse {shown(text)}: the literal {src[:40]} is too large (more than "
            f"MAX_LITERAL_DIGITS = {MAX_LITERAL_DIGITS} digits)"
        )
    mant = int((ip + fp) or "0")
    exp10 -= len(fp)
    return Rational(mant * 10**exp10) if exp10 >= 0 else Rational(mant, 10**-exp10)


def _bits(r: Rational) -> float:
    """log2 of max(|numerator|, denominator), at least 1."""
    return max(math.log2(max(abs(int(r.p)), int(r.q), 2)), 1.0)


def _power(base, ex, text: str):
    if base.is_Rational and ex.is_Rational:
        b = abs(base)
        if b not in (0, 1):
            size = float(abs(ex)) * _bits(b)
            if size > MAX_POWER_BITS:
                raise ValueError(
                    f"cannot parse {shown(text)}: the power {_digits(base)}**{_digits(ex)} "
                    f"would have "
                    f"{'about %.3g' % size if size != float('inf') else 'more than 1e308'} bits, "
                    f"more than MAX_POWER_BITS = {MAX_POWER_BITS}"
                )
    return sympy.Pow(base, ex)


def _call(node: ast.Call, text: str, walk):
    if isinstance(node.func, ast.Attribute):
        raise _reject("attribute access", text)
    if not isinstance(node.func, ast.Name):
        raise _reject("calling something other than a plain function name", text)
    name = node.func.id
    if name not in FUNCTIONS:
        raise _reject(f"the function {shown(name)}", text)
    if node.keywords:
        raise _reject(f"a keyword argument in {name}(...)", text)
    if any(isinstance(a, ast.Starred) for a in node.args):
        raise _reject(f"a starred argument in {name}(...)", text)
    fn, arities = FUNCTIONS[name]
    if len(node.args) not in arities:
        raise ValueError(
            f"cannot parse {shown(text)}: {name} takes {' or '.join(map(str, arities))} "
            f"argument(s), got {len(node.args)}"
        )
    args = [walk(a) for a in node.args]
    big = any(a.is_Rational and abs(a) > _EVAL_ARG_LIMIT for a in args)
    if name in ("sqrt", "cbrt", "root"):
        if name == "root":
            n = args[1]
            if not (n.is_Integer and n > 0):
                raise ValueError(f"cannot parse {shown(text)}: root(x, n) needs a positive integer n")
            return _power(args[0], Rational(1, int(n)), text)
        return _power(args[0], Rational(1, 2 if name == "sqrt" else 3), text)
    if big:
        return fn(*args, evaluate=False)
    return fn(*args)


def parse_constant(text: str) -> sympy.Expr:
    """Parse a real constant from ``text`` without evaluating any Python.

    Explanation
    ===========

    The accepted language is Python's expression syntax restricted to numbers, the
    whitelisted names (``E``/``e``, ``pi``, ``EulerGamma``, ``Catalan``, ``GoldenRatio``,
    ``TribonacciConstant``), ``+ - * / **`` and calls of the whitelisted functions
    (:data:`FUNCTIONS`).  Decimal literals are exact rationals.  ``^`` is refused (it is
    XOR in Python; write ``**``).  The result is an ordinary SymPy expression, built with
    SymPy's automatic evaluation (``exp(1)`` becomes ``E``) except for calls whose integer
    arguments are huge, which stay unevaluated.

    Examples
    ========

    >>> parse_constant("e/(e - 1)")
    E/(-1 + E)
    >>> parse_constant("0.1 + 2**-3")
    9/40
    >>> parse_constant("besseli(0, 2)/besseli(1, 2)")
    besseli(0, 2)/besseli(1, 2)
    >>> parse_constant("__import__('os').system('ls')")
    Traceback (most recent call last):
    ...
    esma_sympy.errors.UnsupportedConstant: cannot parse "__import__('os').system('ls')": attribute access is not allowed in a constant
    >>> parse_constant("9**9**9**9")
    Traceback (most recent call last):
    ...
    ValueError: cannot parse '9**9**9**9': the power 9**387420489 would have about ... bits, more than MAX_POWER_BITS = 14000

    Parameters
    ==========

    text : str
        The constant, e.g. ``"(sqrt(5) + 1)/2"``.

    Returns
    =======

    sympy.Expr

    Raises
    ======

    TypeError
        ``text`` is not a string.
    UnsupportedConstant
        A name, function, operator or construct outside the whitelist (named in the message).
    ValueError
        Empty text, a syntax error, wrong argument counts, or a size limit exceeded.

    See Also
    ========

    esma_sympy.numeric.constants.to_arb
    """
    return _parse(text, symbols=False)


def parse_expression(text: str) -> sympy.Expr:
    """Parse an expression with free symbols (``"n**2 + c*n"``) without evaluating any Python:
    the language of :func:`parse_constant`, where every other plain name (not starting with
    ``_``, not a whitelisted function) is a ``Symbol``.  ``e`` and ``E`` are Euler's number,
    as in :func:`parse_constant`.

    >>> parse_expression("2*n + c")
    c + 2*n
    >>> parse_expression("__import__('os').getpid() or n")
    Traceback (most recent call last):
    ...
    esma_sympy.errors.UnsupportedConstant: cannot parse "__import__('os').getpid() or n": the construct BoolOp is not allowed in an expression
    """
    try:
        return _parse(text, symbols=True)
    except UnsupportedConstant as err:
        raise UnsupportedConstant(str(err).replace(" is not allowed in a constant",
                                                   " is not allowed in an expression")) from None


def as_expr(value, name: str) -> sympy.Expr:
    """An argument as a SymPy object: strings through :func:`parse_expression` (never
    ``sympify``), everything else through ``sympify(strict=True)`` (which refuses objects that
    SymPy would convert by parsing their ``str``).  Errors name the argument.

    >>> as_expr("n + 1", "a"), as_expr(3, "b")
    (n + 1, 3)
    >>> as_expr("os.system(1)", "a")
    Traceback (most recent call last):
    ...
    esma_sympy.errors.UnsupportedConstant: a = 'os.system(1)': cannot parse 'os.system(1)': attribute access is not allowed in an expression
    """
    from sympy import SympifyError

    if isinstance(value, str):
        try:
            return parse_expression(value)
        except (ValueError, TypeError) as err:
            raise type(err)(f"{name} = {shown(value)}: {err}") from None
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(f"{name} must be an expression, got the bytes {shown(value)}")
    try:
        return sympy.sympify(value, strict=True)
    except SympifyError:
        raise TypeError(f"{name} must be an expression, got {type(value).__name__} "
                        f"{shown(value)}") from None


def sympify_safe(value, name: str = "argument"):
    """``sympify`` for arguments of public functions: strings (also inside lists and tuples)
    through :func:`parse_expression`, never evaluated; other values through
    ``sympify(strict=True)``.

    >>> sympify_safe(["1/2", 3]), sympify_safe((1, "n"))
    ([1/2, 3], (1, n))
    """
    if isinstance(value, str):
        return as_expr(value, name)
    if isinstance(value, (list, tuple)):
        return type(value)(sympify_safe(v, f"{name}[{i}]") for i, v in enumerate(value))
    return as_expr(value, name)


def _parse(text: str, symbols: bool) -> sympy.Expr:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__} {shown(text)}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"text must have at most MAX_LENGTH = {MAX_LENGTH} characters, got {len(text)}")
    if not text.strip():
        raise ValueError("text must not be empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (RecursionError, MemoryError):
        raise ValueError(f"cannot parse {shown(text)}: nested too deeply for Python's parser "
                         f"(an expression has at most MAX_NODES = {MAX_NODES} nodes)") from None
    except UnicodeError:
        raise ValueError(f"cannot parse {shown(text)}: it contains characters that are not "
                         "text (undecodable bytes)") from None
    except (SyntaxError, ValueError) as exc:
        raise ValueError(f"cannot parse {shown(text)}: {type(exc).__name__}: {exc}") from None
    src = text.strip()
    count = 0
    for _ in ast.walk(tree):
        count += 1
        if count > MAX_NODES:
            raise ValueError(f"cannot parse {shown(text)}: more than MAX_NODES = {MAX_NODES} nodes")

    def walk(node):
        if isinstance(node, ast.Constant):
            return _literal(node, src)
        if isinstance(node, ast.Name):
            if node.id in NAMES:
                return NAMES[node.id]
            if node.id == "I":
                raise ValueError(f"cannot parse {shown(text)}: I is not real; constants must be real")
            if symbols and not node.id.startswith("_") and node.id not in FUNCTIONS:
                return sympy.Symbol(node.id)
            raise _reject(f"the name {shown(node.id)}", text)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -walk(node.operand)
            if isinstance(node.op, ast.UAdd):
                return walk(node.operand)
            raise _reject(f"the unary operator {type(node.op).__name__}", text)
        if isinstance(node, ast.BinOp):
            op = node.op
            if isinstance(op, ast.BitXor):
                raise _reject("'^' (write ** for powers)", text)
            if not isinstance(op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
                raise _reject(f"the operator {type(op).__name__}", text)
            left, right = walk(node.left), walk(node.right)
            if isinstance(op, ast.Add):
                return left + right
            if isinstance(op, ast.Sub):
                return left - right
            if isinstance(op, ast.Mult):
                return left * right
            if isinstance(op, ast.Div):
                if right == 0:
                    raise ValueError(f"cannot parse {shown(text)}: division by zero")
                return left / right
            return _power(left, right, text)
        if isinstance(node, ast.Call):
            return _call(node, text, walk)
        if isinstance(node, ast.Attribute):
            raise _reject("attribute access", text)
        if isinstance(node, ast.Subscript):
            raise _reject("subscripting", text)
        if isinstance(node, ast.Lambda):
            raise _reject("lambda", text)
        raise _reject(f"the construct {type(node).__name__}", text)

    try:
        result = walk(tree.body)
    except RecursionError:
        raise ValueError(f"cannot parse {shown(text)}: nested too deeply") from None
    for r in result.atoms(Rational):         # products of accepted powers, too
        if _bits(r) > MAX_POWER_BITS:
            raise ValueError(f"cannot parse {shown(text)}: a number in it would have about "
                             f"{_bits(r):.3g} bits, more than MAX_POWER_BITS = {MAX_POWER_BITS}")
    return result
