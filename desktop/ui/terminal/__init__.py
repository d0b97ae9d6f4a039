"""The embedded terminal: xterm.js in a QWebEngineView on a TTY in a workspace's container."""
