"""Bearer tokens: created by the CLI, shown once, stored only as a hash; roles editor and admin."""

import hashlib
import secrets

from flask import g, request
from flask_smorest import abort

from service import store
from service.web.db import get_db

ROLES = ("editor", "admin")
# An admin may do everything an editor may.
GRANTS = {"editor": {"editor"}, "admin": {"editor", "admin"}}


def new_token() -> str:
    return "fr_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough to make the stored form useless."""
    return hashlib.sha256(token.encode()).hexdigest()


def bearer() -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" and credentials.strip() else None


def authenticate() -> store.Token:
    """The caller's valid token (kept in g for the request), or a 401."""
    token = g.get("token")
    if token is not None:
        return token
    presented = bearer()
    token = store.token_by_hash(get_db(), hash_token(presented)) if presented else None
    if token is None:
        abort(
            401,
            message="A valid bearer token is required for this request.",
            headers={"WWW-Authenticate": 'Bearer realm="framings"'},
        )
    g.token = token
    return token


def require(role: str) -> store.Token:
    """The caller's token if it grants `role`: 401 without a valid token, 403 with too little."""
    token = authenticate()
    if role not in GRANTS[token.role]:
        abort(403, message=f"This needs the '{role}' role; the token has '{token.role}'.")
    g.token = token
    return token
