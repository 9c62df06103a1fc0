"""Application services: the use cases (practise, save, review, compare, progress, packs, export).

The GUI and the CLI call these; they use the core's rules and reach storage only through the
core's ports (app.core.ports), built here from the SQLite adapter (app.db) by default.
"""
