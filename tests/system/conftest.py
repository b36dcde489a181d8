"""Fixtures of the system tests: a client of a live server, and a scripted server."""

from tests.system.client_support import api, scripted  # noqa: F401 (fixtures, found by name)
