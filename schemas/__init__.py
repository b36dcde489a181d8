"""Marshmallow schemas: resource bodies, query arguments, envelopes and answers (a module per
resource group); timeutil, the one parser and writer of timestamps. Imports nothing from service
(and no Flask, no store).
"""
