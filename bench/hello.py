"""The baseline every HTTP figure is a ratio against: the smallest Flask JSON endpoint.

Served by the same gunicorn settings as Framings (bench/serve.py), so a ratio measures what
Framings adds on top of Flask, gunicorn and the load generator on this machine.
"""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def hello():
    return jsonify(hello="world")
