"""The agent's way out: the credential proxy and the egress allowlist."""
