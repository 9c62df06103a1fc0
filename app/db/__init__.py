"""History in SQLite through SQLAlchemy 2; schema changes through Alembic. No Qt here."""
