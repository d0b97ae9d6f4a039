"""The secrets the app knows, and where each one goes."""

from __future__ import annotations

import enum

# The keyring "service": every secret is stored as (SERVICE, name).
SERVICE = "aicode-manager"


class SecretName(enum.StrEnum):
    ANTHROPIC_API_KEY = "anthropic-api-key"
    CLAUDE_OAUTH_TOKEN = "claude-oauth-token"  # from `claude setup-token`
    AUDIT_HMAC_KEY = "audit-hmac-key"  # the app's own; never shown or set by people

    @property
    def internal(self) -> bool:
        return self is SecretName.AUDIT_HMAC_KEY

    @property
    def env_var(self) -> str | None:
        """The variable Claude Code reads it from inside the container."""
        return _ENV_VARS.get(self)


_ENV_VARS = {
    SecretName.ANTHROPIC_API_KEY: "ANTHROPIC_API_KEY",
    SecretName.CLAUDE_OAUTH_TOKEN: "CLAUDE_CODE_OAUTH_TOKEN",
}

USER_SECRETS: tuple[SecretName, ...] = tuple(s for s in SecretName if not s.internal)


def parse_name(name: str) -> SecretName:
    """``name`` as a SecretName, or a ValueError listing the valid names."""
    try:
        return SecretName(name)
    except ValueError:
        valid = ", ".join(s.value for s in SecretName)
        raise ValueError(f"unknown secret {name!r}; known: {valid}") from None
