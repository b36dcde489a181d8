"""Marshmallow schemas: resource bodies, query arguments and envelopes; timeutil, the one
parser and writer of timestamps. Imports nothing from service (and no Flask, no store).
"""
