"""The Engines page: the Docker engines workspaces run on, each with its
state and load, and the forms to add or remove one."""
