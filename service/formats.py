"""Importing this module registers the Markdown and CSV renderers with representations."""

from service import csv_render, markdown, markdown_score

REGISTERED = (csv_render, markdown, markdown_score)
