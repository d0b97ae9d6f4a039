"""The main window and its panels: workspaces, tasks, the task header, prompt,
changes, history, container usage.
"""
