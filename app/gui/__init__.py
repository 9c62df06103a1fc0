"""The PySide6 desktop app: a thin layer over app.core; long work runs off the GUI thread."""
