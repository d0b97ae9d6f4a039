"""A task's patch on the host: parsed, checked against hostile paths and the
tree, applied all or nothing by an isolated git.
"""
