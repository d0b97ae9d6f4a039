"""Use cases shared by the CLI and the GUI: the only layer they call."""
