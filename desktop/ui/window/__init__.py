"""The main window and its panels: workspaces, tasks, the task header, prompt,
the review of a task's change (around the diff viewer of ``desktop.ui.review``),
history, container usage.
"""
