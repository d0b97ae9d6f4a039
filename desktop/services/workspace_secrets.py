"""A workspace's variables marked secret (security finding 3): their values
live in the OS keyring, one entry per workspace and name; the workspace row
holds the names only. The agent gets them like any variable, and every
Masker the app makes hides them.

A name is plain or secret, never both. Marking a plain variable secret moves
its value to the keyring; nothing is moved without being asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from desktop.domain import Workspace
from desktop.secrets.masking import MIN_SECRET_LENGTH
from desktop.services.context import AppContext
from desktop.services.errors import UserError

_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class SecretPlan:
    """What saving a workspace does to the keyring."""

    names: tuple[str, ...]  # the workspace's secret variables after the save
    write: Mapping[str, str] = field(repr=False)  # name -> value to store (new, changed, or moved from plain)
    drop: tuple[str, ...]  # entries to remove (no longer secret, or no longer there)
    moved: tuple[str, ...] = ()  # plain variables whose values go to the keyring


def check_secret_value(name: str, value: str) -> str:
    if "\x00" in value:
        raise UserError(f"The value of {name} contains a NUL character")
    # A short value cannot be masked without hiding ordinary words as well.
    if len(value) < MIN_SECRET_LENGTH:
        raise UserError(f"The secret value of {name} needs at least {MIN_SECRET_LENGTH} characters "
                        "(shorter ones cannot be masked in output): keep it a plain variable")
    return value


def plan_secrets(stored: Workspace | None, env: Mapping[str, str], wanted: Iterable[str],
                 given: Mapping[str, str]) -> SecretPlan:
    """``wanted``: the secret variables' names beside the plain ``env``;
    ``given``: new values. A name without a new value keeps its stored one,
    or, if it was a plain variable of ``stored``, its plain value moves to the
    keyring."""
    names: list[str] = []
    for name in wanted:
        if not _ENV_KEY.match(name):
            raise UserError(f"{name!r} is not a valid environment variable name")
        if name in env:
            raise UserError(f"{name} is given both as a plain and as a secret variable: choose one")
        if name not in names:
            names.append(name)
    unknown = set(given) - set(names)
    if unknown:
        raise UserError(f"{', '.join(sorted(unknown))}: a value was given for a variable that is not secret")
    before_secret = set(stored.secret_env) if stored else set()
    before_plain = stored.env if stored else {}
    write: dict[str, str] = {}
    moved: list[str] = []
    for name in names:
        if given.get(name):
            write[name] = check_secret_value(name, given[name])
        elif name in before_secret:
            continue
        elif name in before_plain:
            write[name] = check_secret_value(name, before_plain[name])
            moved.append(name)
        else:
            raise UserError(f"No value was given for the secret variable {name}")
    drop = tuple(sorted(before_secret - set(names)))
    return SecretPlan(tuple(names), write, drop, tuple(moved))


def store_values(ctx: AppContext, workspace_id: str, values: Mapping[str, str]) -> None:
    for name, value in values.items():
        ctx.secrets.set_env_value(workspace_id, name, value)
    if values:
        ctx.secrets_changed()


def forget_values(ctx: AppContext, workspace_id: str, names: Iterable[str]) -> None:
    """``drop_values`` when another error is on its way: that one is the news."""
    try:
        drop_values(ctx, workspace_id, names)
    except Exception:  # noqa: BLE001 - the caller re-raises the first error
        pass


def drop_values(ctx: AppContext, workspace_id: str, names: Iterable[str]) -> None:
    names = list(names)
    for name in names:
        ctx.secrets.delete_env_value(workspace_id, name)
    if names:
        ctx.secrets_changed()


def changed_variables(before: Workspace, env: Mapping[str, str] | None, secret: Mapping[str, str] | None,
                      unset: Iterable[str] | None) -> tuple[dict[str, str], tuple[str, ...]]:
    """``workspace set``'s variables: ``env`` replaces the plain ones (a
    secret named there becomes plain), ``secret`` marks names secret (with a
    value, or "" to keep or move the current one), ``unset`` removes names."""
    plain = dict(before.env) if env is None else dict(env)
    secret_names = [n for n in before.secret_env if env is None or n not in env]
    for name in unset or ():
        if name not in plain and name not in secret_names:
            raise UserError(f"The workspace has no variable {name}")
        plain.pop(name, None)
        if name in secret_names:
            secret_names.remove(name)
    for name in secret or {}:
        plain.pop(name, None)
        if name not in secret_names:
            secret_names.append(name)
    return plain, tuple(secret_names)
