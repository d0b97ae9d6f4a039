"""The Docker engine: images, one warm container per workspace, exec, reconcile.

docker-py is imported lazily (it costs ~0.1 s), so commands that need no
engine never pay for it.
"""
