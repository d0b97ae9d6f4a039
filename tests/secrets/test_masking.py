"""Masking secret values in streamed text and in parsed events."""

from __future__ import annotations

import json
from urllib.parse import quote

from desktop.secrets import Masker
from desktop.secrets.masking import ANTHROPIC_MASK, MASK

API_KEY = "sk-ant-api03-" + "A1b2C3d4" * 10
TOKEN = "oat-token/with+odd=chars\"and\\quotes"


def test_known_values_are_masked_everywhere_in_a_line() -> None:
    masker = Masker([TOKEN])
    out = masker.mask(f"a {TOKEN} b {TOKEN}")
    assert TOKEN not in out
    assert out == f"a {MASK} b {MASK}"


def test_json_and_url_escaped_spellings_are_masked() -> None:
    masker = Masker([TOKEN])
    url = f"https://h/?t={quote(TOKEN, safe='')}"
    line = json.dumps({"cmd": f"curl -H 'x: {TOKEN}'", "url": url})
    out = masker.mask(line)
    assert json.dumps(TOKEN)[1:-1] not in out and quote(TOKEN, safe="") not in out
    assert out.count(MASK) == 2
    json.loads(out)  # masking keeps the JSON valid


def test_anthropic_keys_keep_only_the_prefix() -> None:
    out = Masker([API_KEY]).mask(f"key={API_KEY}.")
    assert out == f"key={ANTHROPIC_MASK}."


def test_unknown_anthropic_looking_keys_are_masked_too() -> None:
    stranger = "sk-ant-oat01-" + "z" * 30
    assert Masker().mask(f"[{stranger}]") == f"[{ANTHROPIC_MASK}]"
    # Too short to be a key: left alone.
    assert Masker().mask("sk-ant-short") == "sk-ant-short"


def test_short_values_are_ignored() -> None:
    masker = Masker(["abc", "1234567", ""])
    assert masker.mask("abc 1234567") == "abc 1234567"


def test_longer_value_wins_over_a_value_it_contains() -> None:
    masker = Masker(["secret-part", "secret-part-and-more"])
    assert masker.mask("x secret-part-and-more y") == f"x {MASK} y"


def test_regex_metacharacters_in_values_are_literal() -> None:
    masker = Masker(["a.b*c+d?(e)[f]"])
    assert masker.mask("a.b*c+d?(e)[f]") == MASK
    assert masker.mask("aXbbbcdde(f)") == "aXbbbcdde(f)"


def test_mask_obj_walks_nested_structures() -> None:
    masker = Masker([TOKEN])
    event = {
        "type": "tool_use",
        "input": {"command": f"echo {TOKEN}", "args": [TOKEN, 3, None, (f"x{TOKEN}",)]},
        TOKEN: True,
        "n": 1.5,
    }
    out = masker.mask_obj(event)
    assert TOKEN not in repr(out)
    assert out["input"]["args"] == [MASK, 3, None, (f"x{MASK}",)]
    assert out[MASK] is True and out["n"] == 1.5
    assert event["input"]["command"] == f"echo {TOKEN}"  # the original is untouched


def test_text_without_secrets_is_returned_as_is() -> None:
    line = "nothing to see here"
    assert Masker().mask(line) is line


def test_a_megabyte_line() -> None:
    masker = Masker([API_KEY, TOKEN, "0123456789abcdef" * 4])
    filler = "lorem ipsum dolor sit amet, " * 37_000  # ~1 MB
    line = filler + API_KEY + filler + TOKEN
    out = masker.mask(line)
    assert API_KEY not in out and TOKEN not in out
    assert len(out) == len(line) - len(API_KEY) - len(TOKEN) + len(ANTHROPIC_MASK) + len(MASK)
    assert masker.mask(filler) == filler


def test_finding_3_reveals_only_known_values_in_any_spelling() -> None:
    masker = Masker(["s3cret-value-1234"])
    assert masker.reveals("KEY=s3cret-value-1234\n")
    assert masker.reveals('{"key": "s3cret-value-1234"}')
    assert not masker.reveals("fake = 'sk-ant-api03-" + "x" * 30 + "'")  # a made-up key in code
    assert not Masker().reveals("s3cret-value-1234")
