"""Database lifecycle: one connection per request, opened lazily, closed at teardown."""

from flask import Flask, current_app, g
from sqlite_utils import Database

from service import store


def get_db() -> Database:
    if "db" not in g:
        g.db = store.open_db(current_app.config["DATABASE"],
                             readonly=current_app.config.get("READ_ONLY", False))
    return g.db


def close_db(_error=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
