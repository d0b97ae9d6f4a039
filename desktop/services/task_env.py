"""What a task's exec gets in its environment: credentials and settings.

Only the exec that runs claude sees these; the container's configuration
(what `docker inspect` shows) holds none of them.
"""

from __future__ import annotations

from desktop.domain import Workspace
from desktop.secrets import SecretName, SecretStore
from desktop.services.errors import UserError
from desktop.snapshots.exclusions import Exclusions

# Set in the app's own environment to send the model's requests (through the
# app's proxy) to another endpoint: a gateway, or the tests' fake API.
BASE_URL_VARIABLE = "AICODE_ANTHROPIC_BASE_URL"


def credential_environment(secrets: SecretStore) -> dict[str, str]:
    """The variable that carries the stored API key (or else the OAuth token)."""
    key = secrets.get(SecretName.ANTHROPIC_API_KEY)
    if key:
        return {"ANTHROPIC_API_KEY": key}
    token = secrets.get(SecretName.CLAUDE_OAUTH_TOKEN)
    if token:
        return {"CLAUDE_CODE_OAUTH_TOKEN": token}
    raise UserError(
        "No Anthropic API key or Claude Code token is stored: "
        "run 'aicode secret set anthropic-api-key' (or enter it in Settings)"
    )


EXCLUDE_VARIABLE = "AICODE_EXCLUDE"


def secret_variables(secrets: SecretStore, workspace: Workspace) -> dict[str, str]:
    """The workspace's variables marked secret, from the keyring. The user
    asked for them in the container; everything stored or shown masks them."""
    values = {}
    for name in workspace.secret_env:
        value = secrets.env_value(workspace.id, name)
        if not value:
            raise UserError(f"The secret variable {name} of workspace '{workspace.name}' is not in the keyring: "
                            f"store it again with 'aicode workspace set {workspace.name} --secret-env {name}'")
        values[name] = value
    return values


def exec_environment(workspace: Workspace, agent: dict[str, str],
                     secret: dict[str, str] | None = None) -> dict[str, str]:
    """The workspace's variables (plain, then ``secret``), then the app's:
    ``agent`` holds the placeholder credential and the proxy's address
    (services.egress), which a workspace variable cannot override."""
    env = dict(workspace.env)
    env.update(secret or {})
    env.update({"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_AUTOUPDATER": "1"})
    env.update(agent)
    # For the task script's git: what does not travel is not the agent's change either.
    env[EXCLUDE_VARIABLE] = Exclusions(workspace.excluded).git_patterns()
    return env
