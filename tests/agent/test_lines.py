from __future__ import annotations

import random

import pytest

from desktop.agent.lines import DEFAULT_MAX_LINE, Line, LineSplitter


def split_all(data: bytes, sizes: list[int], max_line: int = DEFAULT_MAX_LINE) -> list[Line]:
    splitter = LineSplitter(max_line)
    out: list[Line] = []
    pos = 0
    for size in sizes:
        out += splitter.feed(data[pos:pos + size])
        pos += size
    out += splitter.feed(data[pos:])
    return out + splitter.close()


def test_lines_complete_across_chunks() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b'{"a"') == []
    assert splitter.feed(b': 1}\n{"b": 2}\n{"c"') == [Line('{"a": 1}', 0, 8), Line('{"b": 2}', 0, 8)]
    assert splitter.pending == 4
    assert splitter.close() == [Line('{"c"', 0, 4)]
    assert splitter.close() == []


def test_multibyte_character_split_between_chunks() -> None:
    data = "Grüße ✓ 🎉\n".encode()
    for cut in range(1, len(data)):
        lines = split_all(data, [cut])
        assert [line.text for line in lines] == ["Grüße ✓ 🎉"], cut


def test_one_byte_chunks() -> None:
    data = "a\nbé\n\nc".encode()
    assert [line.text for line in split_all(data, [1] * len(data))] == ["a", "bé", "", "c"]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert split_all(b"ok \xff\xfe end\n", [4]) == [Line("ok \ufffd\ufffd end", 0, 9)]


def test_crlf_line_ends() -> None:
    assert [line.text for line in split_all(b"one\r\ntwo\r\n", [4])] == ["one", "two"]


def test_line_over_the_cap_is_cut_and_counted() -> None:
    data = b"x" * 100 + b"\nnext\n"
    for sizes in ([1] * 106, [7] * 15, [50, 60]):
        lines = split_all(data, sizes, max_line=10)
        assert lines == [Line("x" * 10, 90, 100), Line("next", 0, 4)]
        assert lines[0].truncated and not lines[1].truncated


def test_memory_stays_bounded_by_the_cap() -> None:
    splitter = LineSplitter(max_line=1000)
    for _ in range(500):
        assert splitter.feed(b"y" * 4096) == []
        assert len(splitter._buf) <= 1000
    assert splitter.pending == 500 * 4096
    [line] = splitter.feed(b"\n")
    assert line.length == 500 * 4096 and len(line.text) == 1000


def test_two_megabyte_line_kept_whole_under_default_cap() -> None:
    big = b"z" * (2 * 1024 * 1024)
    lines = split_all(big + b"\n", [65536] * 33)
    assert len(lines) == 1 and not lines[0].truncated and len(lines[0].text) == len(big)


@pytest.mark.parametrize("seed", range(20))
def test_random_chunking_matches_splitlines(seed: int) -> None:
    rng = random.Random(seed)
    data = "\n".join(rng.choice(["", "ascii", "ümlaut", "日本語", "🎉🎉", "\r"]) * rng.randint(0, 5)
                     for _ in range(30)).encode()
    sizes = [rng.randint(1, 9) for _ in range(len(data))]
    expected = data.split(b"\n")
    if expected[-1] == b"":
        expected.pop()
    got = [line.text for line in split_all(data, sizes)]
    assert got == [e.removesuffix(b"\r").decode() for e in expected]


def test_cap_must_be_positive() -> None:
    with pytest.raises(ValueError):
        LineSplitter(0)
