"""Opening the history database: WAL, foreign keys, integrity check, migrations with a backup first."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout
from sqlalchemy import Engine, create_engine, event

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration. Checked against Alembic by a test; lets start-up skip importing
# Alembic (a third of a second) when the database is already up to date.
HEAD_REVISION = "0003"
MIGRATE_WAIT_S = 120  # an upgrade copies the database aside first: allow for a large one
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A history database that cannot be opened; the file is left as it was."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(message)


class DatabaseCorruptError(DatabaseError):
    pass


class DatabaseTooNewError(DatabaseError):
    pass


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 15, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def _check_file(path: Path) -> None:
    """Refuse files that are not SQLite or fail SQLite's quick check, before anything writes to them."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseCorruptError(
            path, f"{path} is not a Rehearse database (not an SQLite file). It was left untouched."
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorruptError(path, f"{path} is damaged ({exc}). It was left untouched.") from None
    if not result or result[0] != "ok":
        raise DatabaseCorruptError(
            path, f"{path} is damaged ({result[0] if result else 'no answer'}). It was left untouched."
        )


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _stored_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.exec_driver_sql(
            "select 1 from sqlite_master where type='table' and name='alembic_version'"
        ).first()
        if not has_table:
            return None
        row = conn.exec_driver_sql("select version_num from alembic_version").first()
        return row[0] if row else None


def migrate(engine: Engine, path: Path) -> None:
    """Bring the schema to head. An existing database is copied aside first; a newer one is refused."""
    if _stored_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseTooNewError(
                path,
                f"{path} was written by a newer version of Rehearse (schema {current}). Update Rehearse, or start a new database.",
            ) from None
        backup = path.with_name(f"{path.name}.before-{head}.bak")
        if not backup.exists():
            engine.dispose()
            shutil.copy2(path, backup)
            if os.name == "posix":
                os.chmod(backup, 0o600)
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _make_private(path: Path) -> None:
    """Create the database file 0600 before SQLite first opens it, and tighten what an older version left.

    SQLite gives its -wal and -shm files the mode of the database file, so a file created with
    the default umask (0644) would make the history's newest writes readable by other users.
    """
    if os.name != "posix":
        return
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for extra in (
        path,
        path.with_name(f"{path.name}-wal"),
        path.with_name(f"{path.name}-shm"),
        *path.parent.glob(f"{path.name}.before-*.bak"),
    ):
        if extra.exists() and extra.stat().st_mode & 0o077:
            os.chmod(extra, 0o600)


def open_database(path: Path) -> Engine:
    """An engine on an up-to-date database at `path`; raises DatabaseError with a message to show."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_file(path)
    _make_private(path)
    engine = make_engine(path)
    try:
        # Two processes opening a new data folder at once (the window and `rehearse history`, say)
        # would both create the tables, and the second would call a good database corrupt.
        with FileLock(f"{path}.migrate.lock", mode=0o600, thread_local=False, timeout=MIGRATE_WAIT_S):
            migrate(engine, path)
    except Timeout:
        engine.dispose()
        raise DatabaseError(
            path, f"{path} is being upgraded by another Rehearse process; try again in a minute."
        ) from None
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3 errors surface wrapped by SQLAlchemy
        engine.dispose()
        raise DatabaseCorruptError(path, f"{path} could not be opened: {exc}") from None
    if os.name == "posix":
        os.chmod(path, 0o600)
    return engine


def beside(path: Path) -> Path:
    """Where to start a fresh database next to one that cannot be used."""
    return path.with_name(f"{path.stem}-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
