"""Rehearse: practise interview answers out loud, fully offline."""

__version__ = "0.1.0"
APP_NAME = "Rehearse"
APP_ID = "io.github.rehearse.Rehearse"
