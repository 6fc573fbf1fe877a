"""Expressions that are computed two ways from one definition: exactly in Decimal (for `score`,
the report and check) and as the text of an Excel formula (for the live workbook).

A scoring rule builds its score and its reason once, as an expression over named inputs (a
value, a weight, the score cell …); scoring evaluates it with the answers' values, the workbook
writer prints it with cell references. The two readings follow Excel's semantics for what the
rules use: a blank input equals "" (and 0 in arithmetic), text never equals a number, IF takes
one branch, ROUND rounds half away from zero (after settling at 10 places, see SETTLE),
TEXT(x,"0.00") prints two decimals. Pure.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar, cast

from zjeval.form.decimals import num

Value = Decimal | str | bool | None  # None: a blank cell
Env = Mapping[str, Value]
Cells = Mapping[str, str]  # input name -> a cell reference or an Excel expression


def text_literal(text: str) -> str:
    """A string literal (Excel caps one at 255 characters: longer text is joined in pieces)."""
    pieces = [text[i : i + 250] for i in range(0, len(text), 250)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in pieces)


Compiled = Callable[[Env], Value]


class Expr:
    """An expression; subclasses give `compile` (a Decimal function of the inputs, built once)
    and `excel` (formula text)."""

    def eval(self, env: Env) -> Value:
        return self.fn(env)

    @property
    def fn(self) -> Compiled:
        """The compiled function, built on first use (nodes compile their children's in)."""
        fn: Compiled | None = self.__dict__.get("_fn")
        if fn is None:
            fn = self.compile()
            object.__setattr__(self, "_fn", fn)  # frozen dataclasses: a cache, not a field
        return fn

    def compile(self) -> Compiled:
        raise NotImplementedError

    def excel(self, cells: Cells) -> str:
        raise NotImplementedError

    # arithmetic and comparison, so rules read like their formulas
    def __add__(self, other: Operand) -> Expr:
        return Bin("+", self, lift(other))

    def __sub__(self, other: Operand) -> Expr:
        return Bin("-", self, lift(other))

    def __mul__(self, other: Operand) -> Expr:
        return Bin("*", self, lift(other))

    def __truediv__(self, other: Operand) -> Expr:
        return Bin("/", self, lift(other))

    def ge(self, other: Operand) -> Expr:
        return Cmp(">=", self, lift(other))

    def gt(self, other: Operand) -> Expr:
        return Cmp(">", self, lift(other))

    def le(self, other: Operand) -> Expr:
        return Cmp("<=", self, lift(other))

    def lt(self, other: Operand) -> Expr:
        return Cmp("<", self, lift(other))

    def eq(self, other: Operand) -> Expr:
        return Cmp("=", self, lift(other))

    def ne(self, other: Operand) -> Expr:
        return Cmp("<>", self, lift(other))


Operand = Expr | Decimal | int | str


def lift(x: Operand) -> Expr:
    return x if isinstance(x, Expr) else Lit(Decimal(x) if isinstance(x, int) else x)


def _number(x: Value) -> Decimal:
    if type(x) is Decimal:
        return x
    if x is None:
        return Decimal(0)
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, Decimal):
        return x
    raise TypeError(f"不是数字:{x!r}")  # a rule that does arithmetic on text is a bug


@dataclass(frozen=True, eq=False)
class Var(Expr):
    """A named input: a cell in the workbook, a value in Python."""

    name: str

    def compile(self) -> Compiled:
        name = self.name
        return lambda env: env.get(name)

    def excel(self, cells: Cells) -> str:
        return cells[self.name]


@dataclass(frozen=True, eq=False)
class Lit(Expr):
    value: Decimal | str

    def compile(self) -> Compiled:
        value = self.value
        return lambda env: value

    def excel(self, cells: Cells) -> str:
        if isinstance(self.value, str):
            return text_literal(self.value)
        text = num(self.value)
        return f"({text})" if self.value < 0 else text


@dataclass(frozen=True, eq=False)
class Bin(Expr):
    op: str
    a: Expr
    b: Expr

    def compile(self) -> Compiled:
        fa, fb, op = self.a.fn, self.b.fn, _ARITHMETIC[self.op]
        return lambda env: op(_number(fa(env)), _number(fb(env)))

    def excel(self, cells: Cells) -> str:
        mine = _PREC[self.op]
        left = self.a.excel(cells)
        if isinstance(self.a, Bin) and _PREC[self.a.op] < mine:
            left = f"({left})"
        right = self.b.excel(cells)
        tight = self.op in "-/"  # a − (b − c), a / (b × c)
        if isinstance(self.b, Bin) and (_PREC[self.b.op] < mine or (_PREC[self.b.op] == mine and tight)):
            right = f"({right})"
        return f"{left}{self.op}{right}"


_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}
_ARITHMETIC: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _same(a: Value, b: Value) -> tuple[Value, Value]:
    """Excel's view of a blank beside another value: "" beside text, 0 beside a number."""
    if a is None:
        a = "" if isinstance(b, str) or b is None else Decimal(0)
    if b is None:
        b = "" if isinstance(a, str) else Decimal(0)
    return a, b


_COMPARE: dict[str, Callable[[Decimal | str, Decimal | str], bool]] = {  # two numbers or two texts
    "=": operator.eq,
    "<>": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


@dataclass(frozen=True, eq=False)
class Cmp(Expr):
    op: str
    a: Expr
    b: Expr

    def compile(self) -> Compiled:
        fa, fb, op, compare = self.a.fn, self.b.fn, self.op, _COMPARE[self.op]

        def run(env: Env) -> Value:
            a, b = fa(env), fb(env)
            if type(a) is Decimal and type(b) is Decimal:  # the common case, first
                return compare(a, b)
            a, b = _same(a, b)
            if isinstance(a, str) != isinstance(b, str):
                if op in ("=", "<>"):
                    return op == "<>"
                # Excel orders any text after any number
                a_first = isinstance(b, str)  # a is the number
                return a_first if op in ("<=", "<") else not a_first
            if isinstance(a, str):
                assert isinstance(b, str)
                return compare(a.casefold(), b.casefold())
            return compare(_number(a), _number(b))

        return run

    def excel(self, cells: Cells) -> str:
        return f"{self.a.excel(cells)}{self.op}{self.b.excel(cells)}"


@dataclass(frozen=True, eq=False)
class If(Expr):
    cond: Expr
    then: Expr
    other: Expr

    def compile(self) -> Compiled:
        cond, then, other = self.cond.fn, self.then.fn, self.other.fn
        return lambda env: then(env) if cond(env) else other(env)

    def excel(self, cells: Cells) -> str:
        return f"IF({self.cond.excel(cells)},{self.then.excel(cells)},{self.other.excel(cells)})"


@dataclass(frozen=True, eq=False)
class Fn(Expr):
    """MIN, MAX, AND, OR, NOT, ISNUMBER, ROUND2 (to 0.01), ROUND0, TEXT2 ("0.00"), TEXT0, CAT,
    SETTLE (to 10 places: a computed value compared with a bound, without binary noise)."""

    name: str
    args: tuple[Expr, ...]

    def compile(self) -> Compiled:
        name, args = self.name, [a.fn for a in self.args]
        first = args[0]
        if name in ("AND", "OR"):  # Excel evaluates them whole; the rules guard nothing with them
            every = all if name == "AND" else any
            return lambda env: every([bool(a(env)) for a in args])
        if name == "CAT":
            return lambda env: "".join(_text(a(env)) for a in args)
        if name == "NOT":
            return lambda env: not first(env)
        if name == "ISNUMBER":
            return lambda env: isinstance(first(env), Decimal)
        if name in ("MIN", "MAX"):
            pick = min if name == "MIN" else max
            return lambda env: pick(_number(a(env)) for a in args)
        if name == "SETTLE":
            return lambda env: _settle(_number(first(env)))
        places = _PLACES[name]
        if name.startswith("ROUND"):
            return lambda env: _settle(_number(first(env))).quantize(places, rounding=ROUND_HALF_UP)
        return lambda env: str(_settle(_number(first(env))).quantize(places, rounding=ROUND_HALF_UP))

    def excel(self, cells: Cells) -> str:
        args = [a.excel(cells) for a in self.args]
        if self.name == "CAT":
            return "(" + "&".join(args) + ")"
        if self.name == "SETTLE":
            return f"ROUND({args[0]},{SETTLE})"
        if self.name in ("ROUND2", "ROUND0"):
            return f"ROUND(ROUND({args[0]},{SETTLE}),{2 if self.name == 'ROUND2' else 0})"
        if self.name in ("TEXT2", "TEXT0"):
            return f'TEXT(ROUND({args[0]},{SETTLE}),"{"0.00" if self.name == "TEXT2" else "0"}")'
        return f"{self.name}({','.join(args)})"


# Rounding to 0.01 (or 1) goes through 10 places first, in both readings: Excel's binary
# floating point leaves 2 − 7.74 × 0.25 at 0.06499999999999995, and the half cent must not
# depend on that. Decimal results only change within 1e-10 of a half cent.
SETTLE = 10


_SETTLE_AT = Decimal(1).scaleb(-SETTLE)
_PLACES = {"ROUND2": Decimal("0.01"), "TEXT2": Decimal("0.01"), "ROUND0": Decimal(1), "TEXT0": Decimal(1)}


def _settle(x: Decimal) -> Decimal:
    return x.quantize(_SETTLE_AT, rounding=ROUND_HALF_UP)


def _text(x: Value) -> str:
    """A value joined into text as Excel's & does: numbers in general format, blanks empty."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return "TRUE" if x else "FALSE"
    if isinstance(x, Decimal):
        return num(x)
    return x


def fn(name: str, *args: Operand) -> Expr:
    return Fn(name, tuple(lift(a) for a in args))


def if_(cond: Expr, then: Operand, other: Operand) -> Expr:
    return If(cond, lift(then), lift(other))


def cat(*parts: Operand) -> Expr:
    return fn("CAT", *parts)


def pct(x: Expr) -> Expr:
    """A rate as the 评分表 prints it: 95.76%."""
    return cat(fn("TEXT2", x), "%")


def settled(x: Expr) -> Expr:
    return fn("SETTLE", x)


def blank(x: Expr) -> Expr:
    return x.eq("")


def choose(cases: Sequence[tuple[Expr, Operand]], other: Operand) -> Expr:
    """IF(c1,v1,IF(c2,v2,…,other)): the first case that holds."""
    expr = lift(other)
    for cond, then in reversed(cases):
        expr = If(cond, lift(then), expr)
    return expr


T = TypeVar("T")


class Memo:
    """Expressions kept by the object they were built from: a framework lives as long as its
    form, and scoring a thousand files must not rebuild its rules a thousand times."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.store: dict[tuple[int, Hashable], tuple[object, object]] = {}

    def get(self, owner: object, key: Hashable, build: Callable[[], T]) -> T:
        hit = self.store.get((id(owner), key))
        if hit is not None and hit[0] is owner:
            return cast(T, hit[1])  # stored by this method with its T
        if len(self.store) >= self.limit:
            self.store.clear()
        value = build()
        self.store[id(owner), key] = (owner, value)
        return value


def formula(expr: Expr, cells: Cells) -> str:
    return "=" + expr.excel(cells)


def evaluate(expr: Expr, env: Env) -> Value:
    return expr.eval(env)


def number_or_none(x: Value) -> Decimal | None:
    """A score as scoring keeps it: a number, or None while the cell is blank ("")."""
    return x if isinstance(x, Decimal) else None


def text_of(x: Value) -> str:
    return _text(x)
