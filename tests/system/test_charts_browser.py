"""The charts are drawn: headless Chromium loads the pages that show them, and a screenshot of
each chart has real content (not a blank box, not a broken image)."""

import struct
import tempfile
import zlib
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from tests.system.test_browser import browser, chrome, open_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow  # a live server and Chromium

PAGES = (
    ("/framings", "/trajectory.svg"),
    ("/assumptions/a3", "/assumptions/a3/credence.svg"),
    ("/controls/h20-licence-reversal-2025-07/score", "/trajectory.svg"),
)


def png_pixels(png: bytes) -> bytes:
    """The decompressed scanlines of a PNG (filter bytes included): enough to tell a drawn
    chart from a blank one without an imaging library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data = 8, b""
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return zlib.decompress(data)


@pytest.mark.parametrize("path, chart", PAGES)
def test_the_chart_is_drawn(chrome, live_server, path, chart):  # noqa: F811
    open_page(chrome, live_server, path)
    image = chrome.find_element(By.CSS_SELECTOR, f'figure.chart img[src^="{chart}"]')
    chrome.execute_script("arguments[0].scrollIntoView()", image)
    chrome.execute_script("arguments[0].loading = 'eager'", image)
    loaded = "return arguments[0].complete && arguments[0].naturalWidth"
    for _ in range(50):
        if chrome.execute_script(loaded, image):
            break
        chrome.implicitly_wait(0.1)
    assert chrome.execute_script("return arguments[0].naturalWidth", image) >= 400
    assert image.size["width"] >= 300 and image.size["height"] >= 150
    png = image.screenshot_as_png
    saved = Path(tempfile.gettempdir()) / f"framings-chart-{chart.strip('/').replace('/', '-')}.png"
    saved.write_bytes(png)
    # A blank box compresses to a handful of byte values; a chart has lines, dots and text.
    assert len(set(png_pixels(png))) > 40, saved
