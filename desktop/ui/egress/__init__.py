"""The agent's way out: a workspace's egress mode, its allowlist, the requests
its agent was refused, and the badge of a task whose agent was refused."""
