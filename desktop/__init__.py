"""AICode Manager: run Claude Code safely in containers on your own Docker engine."""

__version__ = "0.1.0"
