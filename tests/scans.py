"""Scanned copies of PDFs, as a bureau receives them: each page rendered at 150–200 dpi, tilted a
little, with grain and JPEG artefacts, saved as an image-only PDF. And a born-digital report
whose data table is a picture.

Rendering Chinese needs a CJK font on the machine (Debian's fonts-noto-cjk, installed by
`make debian-packages`): pdfium draws nothing for a font it cannot find. Pages are rendered in a
spawned process, since parsing installs a metrics-only stand-in CJK font process-wide.
"""

from __future__ import annotations

import io
import multiprocessing
import random
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _render_scan(source: str, target: str, dpi: int, seed: int) -> str:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    pages = []
    document = pdfium.PdfDocument(source)
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            image = image.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, expand=False, fillcolor=255)
            image = image.filter(ImageFilter.GaussianBlur(0.4))
            pixels = np.asarray(image, dtype=np.int16) + noise.normal(0, 9, (image.height, image.width))
            image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=rng.randint(55, 75))
            pages.append(Image.open(io.BytesIO(buffer.getvalue())))
    finally:
        document.close()
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return target


def _in_fresh_process(function, *args):
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def scanned_copy(source: Path, target: Path, dpi: int = 170, seed: int = 0) -> Path:
    """An image-only PDF of every page of `source`."""
    if not CJK_FONT.exists():
        raise RuntimeError(f"{CJK_FONT} is missing: run `make debian-packages` (fonts-noto-cjk)")
    return Path(_in_fresh_process(_render_scan, str(source), str(target), dpi, seed))


def _table_picture(rows: list[list[str]], dpi: int = 200):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(CJK_FONT), size=round(10.5 * dpi / 72))
    widths = [round(w * dpi / 72) for w in (150, 90, 90)]
    row_height = round(24 * dpi / 72)
    image = Image.new("L", (sum(widths) + 4, row_height * len(rows) + 4), 255)
    draw = ImageDraw.Draw(image)
    for r, row in enumerate(rows):
        x = 2
        for width, cell in zip(widths, row):
            draw.rectangle((x, 2 + r * row_height, x + width, 2 + (r + 1) * row_height), outline=0, width=2)
            draw.text((x + 12, 2 + r * row_height + row_height // 4), cell, font=font, fill=0)
            x += width
    return image


def report_with_table_picture(path: Path, title: str, prose: list[str], caption: str,
                              rows: list[list[str]]) -> Path:
    """A born-digital report (text layer in STSong-Light) whose data table is pasted as a picture."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("STSong-Light", 20)
    c.drawString(72, height - 90, title)
    c.setFont("STSong-Light", 11)
    y = height - 140
    for line in prose:
        c.drawString(72, y, line)
        y -= 20
    c.drawString(72, y - 10, caption)
    picture = _table_picture(rows)
    shown_width = picture.width * 72 / 200
    shown_height = picture.height * 72 / 200
    c.drawImage(ImageReader(picture), 72, y - 24 - shown_height, shown_width, shown_height)
    c.save()
    return Path(path)
