"""The GUI's bridge to the services: the controllers that call them off the GUI
thread, stream readers, view data and signal payloads, and the binding that
wires views to controllers.
"""
