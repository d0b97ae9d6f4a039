"""Cloning a repository on the host: addresses checked, progress, failures explained."""
