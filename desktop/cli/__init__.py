"""The headless ``aicode`` command: the same core the desktop app drives."""
