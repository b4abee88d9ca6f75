"""Make static/favicon.ico from static/favicon.svg: Chromium draws the SVG at 16, 32 and 48
pixels and the PNGs are packed into one ICO file (PNG-in-ICO, which every current browser
reads). Run it after changing the logo: ``.venv/bin/python scripts/make_favicon.py``."""

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parents[1] / "static"
SIZES = (16, 32, 48)


def render_pngs(svg: str) -> list[bytes]:
    """The SVG as a PNG at each of ``SIZES``, transparent around the rounded square."""
    pngs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0;background:transparent}svg{display:block;"
                f"width:{size}px;height:{size}px}}</style>{svg}"
            )
            pngs.append(page.screenshot(omit_background=True))
            page.close()
        browser.close()
    return pngs


def ico(pngs: list[bytes]) -> bytes:
    """An ICO file holding ``pngs`` (in ``SIZES`` order)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in zip(SIZES, pngs, strict=True):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        data += png
    return header + entries + data


if __name__ == "__main__":
    svg = (STATIC / "favicon.svg").read_text(encoding="utf-8")
    (STATIC / "favicon.ico").write_bytes(ico(render_pngs(svg)))
    print(f"wrote {STATIC / 'favicon.ico'}")
