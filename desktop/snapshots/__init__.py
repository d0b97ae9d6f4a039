"""The agent's copy of a workspace: which files to send into its container.

The user's folder is never mounted into the container. At a task's start the
app sends the files that changed since the last snapshot (all of them the
first time) into the container's volume, where the task script commits them
as the task's base. An unchanged folder costs one directory walk.
"""
