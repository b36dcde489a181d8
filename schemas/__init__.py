"""Marshmallow schemas: resource bodies, query arguments and envelopes."""
