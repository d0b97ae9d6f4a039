"""The main window's actions and menus: every main action has a shortcut."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenuBar

from desktop.ui.look import icons
from desktop.ui.look.theme import ThemeMode


def _action(window: QMainWindow, text: str, shortcuts: list[str | QKeySequence.StandardKey] = (), icon: str = "",
            tip: str = "") -> QAction:
    action = QAction(text, window)
    keys = [QKeySequence(k) for k in shortcuts]
    if keys:
        action.setShortcuts(keys)
    if icon:
        action.setIcon(icons.icon(icon))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    window.addAction(action)  # shortcuts work even while the menu bar is hidden
    return action


class Actions:
    def __init__(self, w: QMainWindow) -> None:
        self.add_folder = _action(w, "Add Workspace from &Folder…", ["Ctrl+O"], "folder",
                                  "Add a project folder as a workspace")
        self.add_git = _action(w, "Add Workspace from &Git URL…", ["Ctrl+Shift+O"], "git",
                               "Clone a git repository into a new workspace")
        self.settings = _action(w, "&Settings…", [QKeySequence.StandardKey.Preferences, "Ctrl+,"], "settings")
        self.engines = _action(w, "&Engines…", ["Ctrl+Shift+E"], "engine",
                               "The Docker engines workspaces run on: their state and load; add or remove one")
        self.welcome = _action(w, "Set-up &Checks…", [], "info", "Check the engine, the agent image and the API key")
        self.quit = _action(w, "&Quit", [QKeySequence.StandardKey.Quit, "Ctrl+Q"])

        self.run = _action(w, "&Run", ["Ctrl+Return", "Ctrl+Enter"], "play", "Run the prompt as a new task")
        self.follow_up = _action(w, "&Follow Up", ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"], "reply",
                                 "Continue the selected task with the prompt")
        self.cancel = _action(w, "&Cancel Task", ["Esc", "Ctrl+."], "stop", "End the selected task")
        self.stop_turn = _action(w, "&Stop Turn", ["Ctrl+Shift+."], "pause",
                                 "Stop the running agent's current turn: it waits for your message, the task goes on")
        self.apply = _action(w, "&Apply Selected Changes", ["Ctrl+Shift+A"], "apply",
                             "Write the ticked part of the task's change into the workspace")
        self.discard = _action(w, "&Discard Changes…", [], "trash", "Set the task's change aside (it is saved)")
        # Not Ctrl+Shift+Z: in the prompt box that is redo, and the box would win.
        self.undo = _action(w, "&Undo Apply", ["Ctrl+Alt+Z"], "reply", "Take the applied change back out of the files")
        self.commit = _action(w, "C&ommit Applied Changes…", ["Ctrl+Shift+K"], "git",
                              "Commit the files Apply wrote to the folder's git repository")
        self.open_changes = _action(w, "Open Changes in &Window", ["Ctrl+Shift+D"], "external",
                                    "Show the task's change in a window of its own")
        self.compare = _action(w, "Co&mpare with Another Task…", [], "list",
                               "Show how this task's end state differs from another task's")
        self.start_from = _action(w, "&New Task from Here…", ["Ctrl+Shift+N"], "play",
                                  "Run the next prompt as a new task that starts from this task's end state")
        self.copy_transcript = _action(w, "Copy &Transcript", ["Ctrl+Shift+C"], "copy")

        self.history = _action(w, "&History", ["Ctrl+H"], "history", "Search past tasks")
        self.details = _action(w, "Workspace &Details", ["Ctrl+I"], "box", "Container state, limits and live usage")
        self.details.setCheckable(True)
        self.focus_workspaces = _action(w, "Go to &Workspaces", ["Ctrl+1"])
        self.focus_tasks = _action(w, "Go to T&asks", ["Ctrl+2"])
        self.focus_transcript = _action(w, "Go to Tra&nscript", ["Ctrl+3"])
        self.focus_changes = _action(w, "Go to C&hanges", ["Ctrl+4"])
        self.focus_prompt = _action(w, "Go to &Prompt", ["Ctrl+L"])
        self.jump_latest = _action(w, "&Follow Latest Activity", ["Ctrl+End"], "arrow-down")
        self.themes = QActionGroup(w)
        self.theme_actions: dict[ThemeMode, QAction] = {}
        for mode, text in ((ThemeMode.SYSTEM, "Match &System"), (ThemeMode.LIGHT, "&Light"), (ThemeMode.DARK, "&Dark")):
            action = QAction(text, w, checkable=True)
            action.setData(mode.value)
            self.themes.addAction(action)
            self.theme_actions[mode] = action
        self.about = _action(w, "&About AICode Manager")

    def build_menus(self, bar: QMenuBar) -> None:
        file = bar.addMenu("&File")
        file.addActions([self.add_folder, self.add_git])
        file.addSeparator()
        file.addActions([self.settings, self.engines, self.welcome])
        file.addSeparator()
        file.addAction(self.quit)
        task = bar.addMenu("&Task")
        task.addActions([self.run, self.follow_up, self.stop_turn, self.cancel])
        task.addSeparator()
        task.addActions([self.start_from, self.compare])
        task.addSeparator()
        task.addActions([self.apply, self.discard, self.undo, self.commit, self.open_changes])
        task.addSeparator()
        task.addAction(self.copy_transcript)
        view = bar.addMenu("&View")
        view.addActions([self.history, self.details])
        view.addSeparator()
        view.addActions([self.focus_workspaces, self.focus_tasks, self.focus_transcript, self.focus_changes,
                         self.focus_prompt, self.jump_latest])
        view.addSeparator()
        theme = view.addMenu("T&heme")
        theme.addActions(list(self.theme_actions.values()))
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.welcome, self.about])
