"""The WSGI entry point gunicorn serves."""

from service import create_app

app = create_app()
