"""Charts as PNG, for wikis that hotlink only bitmaps (MediaWiki core shows gif, png and jpg
from other sites, never SVG). The SVG is the one drawing; librsvg's `rsvg-convert` (Debian's
librsvg2-bin, the converter MediaWiki uses for SVG too) rasterises it. It reads the SVG from
stdin and, as librsvg does by default, loads no file or URL outside it."""

import shutil
import subprocess

SCALE = "2"  # pixels per SVG unit: sharp on high-density screens
TIMEOUT = 30  # seconds


class NoConverter(RuntimeError):
    """rsvg-convert is not installed (Debian: librsvg2-bin)."""


def png_of(svg: str) -> bytes:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        raise NoConverter("rsvg-convert (librsvg2-bin) is not installed")
    done = subprocess.run(
        [converter, "--zoom", SCALE, "--background-color", "white", "--format", "png"],
        input=svg.encode("utf-8"),
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout
