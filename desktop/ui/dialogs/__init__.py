"""Dialogs and the pieces only dialogs use: first run, settings, add or edit a
workspace, the close question.
"""
