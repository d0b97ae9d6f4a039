"""A workspace's secret variables planned before anything is written: which
values go to the keyring (new, replaced, moved from plain), which entries go,
and what is refused (security finding 3)."""

from __future__ import annotations

import pytest

from desktop.domain import NetworkMode, SourceKind, Workspace
from desktop.services.errors import UserError
from desktop.services.workspace_secrets import changed_variables, plan_secrets

STORED = Workspace(id="w", name="w", source_kind=SourceKind.FOLDER, source_path="/p", git_url=None, image="i",
                   cpus=1.0, memory="1g", network=NetworkMode.BRIDGE, env={"PLAIN": "plain-value-1"},
                   secret_env=("TOKEN",))


def test_finding_3_a_plain_variable_marked_secret_moves_and_a_stored_one_is_kept() -> None:
    plan = plan_secrets(STORED, {}, ("TOKEN", "PLAIN"), {})
    assert plan.names == ("TOKEN", "PLAIN") and dict(plan.write) == {"PLAIN": "plain-value-1"}
    assert plan.moved == ("PLAIN",) and plan.drop == ()
    assert "plain-value-1" not in repr(plan)


def test_a_new_value_replaces_and_an_unmarked_secret_is_dropped() -> None:
    plan = plan_secrets(STORED, {"TOKEN": "now-plain"}, ("NEW",), {"NEW": "brand-new-value"})
    assert dict(plan.write) == {"NEW": "brand-new-value"} and plan.drop == ("TOKEN",) and plan.moved == ()


@pytest.mark.parametrize(("env", "names", "given", "said"), [
    ({}, ("1X",), {"1X": "long-enough-1"}, "not a valid"),
    ({"A": "1"}, ("A",), {"A": "long-enough-1"}, "both as a plain and as a secret"),
    ({}, ("A",), {"A": "short"}, "at least 8"),
    ({}, ("A",), {"A": "with\x00nul-value"}, "NUL"),
    ({}, ("A",), {}, "No value was given"),
    ({}, (), {"A": "long-enough-1"}, "not secret"),
])
def test_what_cannot_be_stored_is_refused_with_the_reason(env: dict, names: tuple, given: dict, said: str) -> None:
    with pytest.raises(UserError, match=said) as refused:
        plan_secrets(None, env, names, given)
    assert "long-enough-1" not in str(refused.value)


def test_set_marks_moves_and_unsets_one_variable_at_a_time() -> None:
    assert changed_variables(STORED, None, {"PLAIN": ""}, None) == ({}, ("TOKEN", "PLAIN"))
    assert changed_variables(STORED, None, None, ("TOKEN",)) == ({"PLAIN": "plain-value-1"}, ())
    # --env replaces the plain ones; a secret named there becomes plain.
    assert changed_variables(STORED, {"TOKEN": "x"}, None, None) == ({"TOKEN": "x"}, ())
    with pytest.raises(UserError, match="no variable NOPE"):
        changed_variables(STORED, None, None, ("NOPE",))
