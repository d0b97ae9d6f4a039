"""What is wrong with a new workspace's source or name, for people: one sentence
a field, empty when it is fine. The rules are the services' (a folder too broad
to give an agent, a refused address, a name's characters); these only read text
and stat a path, so the dialog asks them as the person types."""

from __future__ import annotations

import os
from collections.abc import Iterable

from desktop.services.errors import UserError
from desktop.services.workspaces import check_folder, check_git_url, check_name


def folder_problem(text: str) -> str:
    path = text.strip()
    if not path:
        return "Choose the project folder."
    if not os.path.isdir(os.path.expanduser(path)):
        return "That folder does not exist."
    try:
        check_folder(path)
    except UserError as error:
        return _sentence(str(error))
    return ""


def url_problem(text: str) -> str:
    url = text.strip()
    if not url:
        return "Enter the repository's URL."
    try:
        check_git_url(url)
    except UserError as error:
        return _sentence(str(error))
    return ""


def name_problem(text: str, taken: Iterable[str], own: str = "") -> str:
    """``taken``: the other workspaces' names (compared ignoring case, as the store does);
    ``own``: the edited workspace's name, which it may keep."""
    name = text.strip()
    if not name:
        return "Give the workspace a name."
    try:
        check_name(name)
    except UserError as error:
        return _sentence(str(error))
    if name.lower() != own.lower() and any(name.lower() == t.lower() for t in taken):
        return f"A workspace named “{name}” already exists: choose another name."
    return ""


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."
