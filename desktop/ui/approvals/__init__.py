"""What the agent asks while it works, as cards under the transcript: a tool to
allow (with its command or diff), a plan to approve, questions to answer, a
message to send after a stopped turn. ``preview`` is plain Python."""
