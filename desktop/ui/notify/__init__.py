"""Telling the person: the tray icon and desktop notifications."""
