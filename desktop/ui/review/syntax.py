"""Syntax colours of diff lines with Pygments, worked out lazily and in slices; no Qt.

A hunk's two sides are lexed as two runs of text (the lines before, the
lines after), so a line inside a multi-line string is coloured as part of
it. Lexing is driven by what is painted: a block is lexed only as far as the
last line someone looked at, a slice at a time (``work`` returns when its
time is up and carries on from there next turn), so a 5,000-line new file
costs nothing until it is scrolled through and never freezes the window.
Until a line is lexed it is painted plain.
"""

from __future__ import annotations

import bisect
import fnmatch
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from pygments.lexer import Lexer
from pygments.lexers import LEXERS, find_lexer_class
from pygments.token import Comment, Keyword, Literal, Name, Operator, String, Token, _TokenType

from desktop.ui.review.rows import BlockKey

Span = tuple[int, int, str]  # [start, end) of a line, and the colour's name (see ``palette``)
Source = tuple[str, Callable[[], list[str]]]  # a block's file path, and its lines

# The categories a token is coloured by, most specific first; None: plain text.
_CATEGORIES: tuple[tuple[_TokenType, str | None], ...] = (
    (Comment.Preproc, "keyword"),
    (Comment, "comment"),
    (String.Doc, "comment"),
    (String, "string"),
    (Literal.Number, "number"),
    (Keyword.Constant, "constant"),
    (Keyword.Type, "type"),
    (Keyword, "keyword"),
    (Operator.Word, "keyword"),
    (Name.Builtin.Pseudo, "constant"),
    (Name.Builtin, "builtin"),
    (Name.Function, "function"),
    (Name.Class, "type"),
    (Name.Decorator, "function"),
    (Name.Exception, "type"),
    (Name.Namespace, "type"),
    (Name.Tag, "tag"),
    (Name.Attribute, "attribute"),
    (Name.Variable, "variable"),
    (Name.Constant, "constant"),
    (Name.Entity, "constant"),
    (Name.Label, "function"),
    (Literal, "string"),
    (Token.Generic.Deleted, "deleted"),
    (Token.Generic.Inserted, "inserted"),
    (Token.Generic.Heading, "keyword"),
    (Token.Generic.Subheading, "function"),
)
CHECK_EVERY = 64  # tokens between two looks at the clock


@lru_cache(maxsize=1024)
def category(ttype: _TokenType) -> str | None:
    return next((name for parent, name in _CATEGORIES if ttype in parent), None)


_NO_LEXER = object()
_lexers: dict[str, Lexer | None] = {}  # by file name: one lookup each
_instances: dict[type, Lexer] = {}  # by class: a lexer compiles its rules when first made
_warming: set[str] = set()  # names a ``warm`` thread is making lexers for
_made = threading.Lock()  # one lexer made at a time: Pygments compiles a class's rules unlocked


def lexer_for(path: str) -> Lexer | None:
    """Pygments' lexer for a file name, or None for plain text; made here
    and now unless ``warm`` already made it.

    Not ``get_lexer_for_filename``: it scans every installed package for
    plugin lexers and compiles ~1,500 glob patterns on first use (a quarter
    of a second); here the patterns are indexed by extension instead.
    """
    name = path.rsplit("/", 1)[-1]
    found = _lexers.get(name, _NO_LEXER)
    if found is _NO_LEXER:
        found = _lexers[name] = _make(name)
    return found  # type: ignore[return-value]


def lexer_known(path: str) -> bool:
    """Whether ``lexer_for(path)`` is instant: looked up before, or by ``warm``."""
    return path.rsplit("/", 1)[-1] in _lexers


def warm(paths: Iterable[str]) -> None:
    """Make the lexers for these files in a thread of their own.

    The first lexer of a kind compiles its rules when made: 20-50 ms of
    Python for JavaScript or Python itself, once per run of the app. Made
    here, the window paints on meanwhile (plain until they are ready).
    """
    names = sorted({p.rsplit("/", 1)[-1] for p in paths} - _lexers.keys() - _warming)
    if names:
        _warming.update(names)
        threading.Thread(target=_warm, args=(names,), name="aicode-lexers", daemon=True).start()


def _warm(names: list[str]) -> None:
    for name in names:
        _lexers[name] = _make(name)  # one dict store: atomic under the GIL
        _warming.discard(name)


def _make(name: str) -> Lexer | None:
    try:
        candidates = _candidates(name)
        if not candidates:
            return None
        ranked = [(cls.priority + (0 if "*" in pattern else 0.5), cls.__name__, cls)
                  for lexer_name, pattern in candidates if (cls := find_lexer_class(lexer_name)) is not None]
        if not ranked:
            return None
        cls = max(ranked, key=lambda item: (item[0], item[1]))[2]
        with _made:
            if cls not in _instances:
                # stripnl=False: leading blank lines must stay, or lines shift.
                _instances[cls] = cls(stripnl=False, ensurenl=False)
            return _instances[cls]
    except Exception:  # noqa: BLE001 - a lexer's own failure must not break the view
        return None


@lru_cache(maxsize=1)
def _patterns() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]], list[tuple[str, str]]]:
    """Pygments' file name patterns: by extension ("*.py"), whole names
    ("Dockerfile"), and the few other globs."""
    by_ext: dict[str, list[tuple[str, str]]] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    others: list[tuple[str, str]] = []
    for _module, lexer_name, _aliases, patterns, _mimes in LEXERS.values():
        for pattern in patterns:
            tail = pattern[2:]
            if pattern.startswith("*.") and not any(ch in tail for ch in "*?["):
                by_ext.setdefault(tail, []).append((lexer_name, pattern))
            elif not any(ch in pattern for ch in "*?["):
                by_name.setdefault(pattern, []).append((lexer_name, pattern))
            else:
                others.append((lexer_name, pattern))
    return by_ext, by_name, others


def _candidates(name: str) -> list[tuple[str, str]]:
    by_ext, by_name, others = _patterns()
    found = list(by_name.get(name, ()))
    for i, ch in enumerate(name):
        if ch == ".":
            found += by_ext.get(name[i + 1:], ())
    found += [(lexer_name, pattern) for lexer_name, pattern in others if fnmatch.fnmatchcase(name, pattern)]
    return found


class _Run:
    """One block being lexed: the token stream, and the spans of each line so far."""

    def __init__(self, lexer: Lexer, lines: list[str]) -> None:
        text = "\n".join(lines) + "\n"
        self.starts = [0]
        for line in lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.spans: list[list[Span]] = [[] for _ in lines]
        self.tokens: Iterator[tuple[int, _TokenType, str]] = lexer.get_tokens_unprocessed(text)
        self.offset = 0  # how far the stream got
        self.finished = False

    def ready(self, line: int) -> bool:
        return self.finished or self.offset >= self.starts[line + 1]

    def advance(self, until_line: int, deadline: float) -> None:
        count = 0
        starts, spans = self.starts, self.spans
        try:
            for index, ttype, value in self.tokens:
                end = index + len(value)
                name = category(ttype)
                if name is not None:
                    line = bisect.bisect_right(starts, index) - 1
                    while line < len(spans) and index < end:
                        stop = min(end, starts[line + 1] - 1)  # not the newline
                        if stop > index:
                            spans[line].append((index - starts[line], stop - starts[line], name))
                        index = starts[line + 1]
                        line += 1
                self.offset = max(self.offset, end)
                count += 1
                if self.ready(until_line) or (count % CHECK_EVERY == 0 and time.perf_counter() > deadline):
                    return
        except Exception:  # noqa: BLE001 - a lexer bug shows plain text, not an error
            pass
        self.finished = True


class Highlighter:
    """Token spans per (block, line), computed on demand.

    ``spans`` answers from what is done, lexing on the spot only while the
    current paint's allowance (``begin_paint``) lasts; what is left is noted, and
    ``work`` lexes towards it within a time budget per call. A block whose
    lexer is not made yet waits for ``warm`` to make it.
    """

    def __init__(self) -> None:
        self._runs: dict[BlockKey, _Run | None] = {}
        self._sources: dict[BlockKey, Source] = {}
        self._wanted: dict[BlockKey, int] = {}
        self._deadline = 0.0

    def clear(self) -> None:
        self._runs.clear()
        self._sources.clear()
        self._wanted.clear()

    @property
    def pending(self) -> bool:
        return bool(self._wanted)

    @property
    def waiting(self) -> bool:
        """Everything wanted waits for a lexer being made in the background."""
        return bool(self._wanted) and all(key not in self._runs and not lexer_known(self._sources[key][0])
                                          for key in self._wanted)

    def begin_paint(self, seconds: float) -> None:
        """A paint starts: it may lex for up to ``seconds``, and what it leaves
        is all that is wanted (lines scrolled past are not lexed for nothing)."""
        self._deadline = time.perf_counter() + seconds
        self._wanted.clear()
        self._sources.clear()

    def spans(self, key: BlockKey, line: int, path: str, source: Callable[[], list[str]]) -> list[Span] | None:
        """The spans of ``line`` of block ``key`` (a block of file ``path``,
        whose lines ``source`` gives); None while not lexed."""
        run = self._runs.get(key, _NO_LEXER)
        if run is _NO_LEXER:
            if not lexer_known(path) or time.perf_counter() > self._deadline:
                return self._want(key, line, path, source)  # (its lexer is for ``warm`` to make)
            run = self._start(key, path, source)
        if run is None or line >= len(run.spans):
            return []
        if not run.ready(line) and time.perf_counter() < self._deadline:
            run.advance(line, self._deadline)
        if run.ready(line):
            return run.spans[line]
        return self._want(key, line, path, source)

    def _want(self, key: BlockKey, line: int, path: str, source: Callable[[], list[str]]) -> None:
        self._sources.setdefault(key, (path, source))
        self._wanted[key] = max(line, self._wanted.get(key, 0))
        return None

    def _start(self, key: BlockKey, path: str, source: Callable[[], list[str]]) -> _Run | None:
        lexer, lines = lexer_for(path), source()
        run = self._runs[key] = _Run(lexer, lines) if lexer is not None and lines else None
        self._sources.pop(key, None)
        return run

    def work(self, budget_s: float | None) -> None:
        """Lex towards the wanted lines until ``budget_s`` is spent (None: all of it)."""
        deadline = float("inf") if budget_s is None else time.perf_counter() + budget_s
        for key, line in list(self._wanted.items()):
            run = self._runs.get(key, _NO_LEXER)
            if run is _NO_LEXER:
                path, source = self._sources[key]
                if budget_s is not None and not lexer_known(path):
                    continue  # ``warm`` is making its lexer
                run = self._start(key, path, source)
            if run is not None:
                run.advance(line, deadline)
            if run is None or run.ready(line):
                del self._wanted[key]
            if time.perf_counter() > deadline:
                return
