"""Running Claude Code: the command line of a run and the parsing of its stream-json."""
