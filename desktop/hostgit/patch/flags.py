"""Which changes deserve a second look before they are applied, and why.

Paths are compared case-folded: on a case-insensitive file system
``.GitHub/Workflows/x.yml`` is a workflow too.
"""

from __future__ import annotations

from desktop.domain.review import Flag, FlagKind, visible
from desktop.hostgit.patch.model import SYMLINK_MODE, ChangeKind, PatchFile

EXECUTABLE_MODE = "100755"
LARGE_LINES = 1000
LARGE_BYTES = 1024 * 1024

_CI_PREFIXES = (".github/", ".gitlab/", ".circleci/", ".buildkite/", ".woodpecker/", ".forgejo/", ".gitea/")
_CI_FILES = (".gitlab-ci.yml", ".travis.yml", "jenkinsfile", "azure-pipelines.yml", "bitbucket-pipelines.yml",
             ".drone.yml", "appveyor.yml")
_GIT_FILES = (".gitattributes", ".gitmodules", ".gitignore", ".mailmap", ".git-blame-ignore-revs")
_AGENT_FOLDERS = (".claude", ".cursor", ".codex", ".gemini")
_AGENT_FILES = (".mcp.json", "claude.md", "claude.local.md", "agents.md", ".cursorrules", ".windsurfrules")
_EDITOR_PREFIXES = (".vscode/", ".idea/", ".devcontainer/", ".vim/", ".zed/")
_EDITOR_FILES = (".editorconfig", ".envrc", ".exrc", ".nvimrc", ".lvimrc")
_LOCK_FILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock",
               "poetry.lock", "pipfile.lock", "uv.lock", "pdm.lock", "cargo.lock", "gemfile.lock", "composer.lock",
               "go.sum", "flake.lock", "packages.lock.json", "gradle.lockfile", "mix.lock", "pubspec.lock")


def flags_of(item: PatchFile) -> tuple[Flag, ...]:
    found: list[Flag] = []
    for path in dict.fromkeys(item.read_paths):
        found += _by_path(path.casefold())
    found += _by_content(item)
    return tuple(dict.fromkeys(found))  # once each, in order


def _by_path(path: str) -> list[Flag]:
    name = path.rsplit("/", 1)[-1]
    top = path.split("/", 1)[0] + "/" if "/" in path else ""
    flags = []
    if top in _CI_PREFIXES or path in _CI_FILES:
        flags.append(Flag(FlagKind.CI, "CI configuration: it runs on your CI, with its secrets"))
    if name in _GIT_FILES:
        flags.append(Flag(FlagKind.GIT_CONFIG, "git configuration: it changes how git treats your files"))
    folders = path.split("/")[:-1]
    if any(f in _AGENT_FOLDERS for f in folders) or name in _AGENT_FILES or name.startswith(".aider"):
        flags.append(Flag(FlagKind.AGENT_CONFIG, "agent configuration: instructions or tools for the next agent"))
    if top in _EDITOR_PREFIXES or name in _EDITOR_FILES:
        flags.append(Flag(FlagKind.EDITOR_CONFIG, "editor configuration: it may run commands when the folder opens"))
    if name in _LOCK_FILES:
        flags.append(Flag(FlagKind.LOCK_FILE, "a lock file: it pins what your builds download"))
    return flags


def _by_content(item: PatchFile) -> list[Flag]:
    flags = []
    if item.new_mode == SYMLINK_MODE:
        target = visible(item.symlink_target or "")
        flags.append(Flag(FlagKind.SYMLINK, f"a symlink to {target}" if target else "a symlink"))
    if item.new_mode == EXECUTABLE_MODE and item.old_mode != EXECUTABLE_MODE:
        flags.append(Flag(FlagKind.EXECUTABLE, "executable: it can be run as a program"))
    if item.binary:
        flags.append(Flag(FlagKind.BINARY, "a binary file: its content cannot be read here"))
        if (item.new_size or 0) > LARGE_BYTES:
            flags.append(Flag(FlagKind.LARGE, f"a large file ({(item.new_size or 0) / LARGE_BYTES:.1f} MB)"))
    else:
        lines = (item.insertions or 0) + (item.deletions or 0)
        if lines > LARGE_LINES:
            flags.append(Flag(FlagKind.LARGE, f"a large change ({lines:,} lines)"))
        if item.kind is ChangeKind.MODIFIED and item.hunks and _whitespace_only(item):
            flags.append(Flag(FlagKind.WHITESPACE_ONLY, "only whitespace or line endings change"))
    return flags


def _whitespace_only(item: PatchFile) -> bool:
    removed = [line[1:] for h in item.hunks for line in h.lines if line.startswith(b"-")]
    added = [line[1:] for h in item.hunks for line in h.lines if line.startswith(b"+")]
    if not removed and not added:
        return False
    return [b"".join(line.split()) for line in removed] == [b"".join(line.split()) for line in added]


# The agent's git sent a text file as binary (an attributes file of its own):
# the review shows the text it writes instead, and says why.
HIDDEN_TEXT = Flag(FlagKind.HIDDEN_TEXT, "sent as binary by the agent: shown here as the text Apply writes")
