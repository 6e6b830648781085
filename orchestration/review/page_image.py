"""A report page as a PNG with the words of a snippet highlighted, rendered by pdfium."""

from __future__ import annotations

import io
from pathlib import Path

from ..reports.text import squeezed

SCALE = 1.6  # ~115 dpi: the page fits a screen and its small print stays legible
HIGHLIGHT, OUTLINE = (255, 214, 0, 110), (214, 110, 0, 255)


def snippet_boxes(textpage, snippet: str) -> list[tuple[float, float, float, float]]:
    """pdfium's boxes (left, bottom, right, top in points) of the snippet's characters on the page,
    matched without white space, so a snippet copied across a line break is found."""
    target = squeezed(snippet)
    if not target:
        return []
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # pdfium generated text that does not map one to one: read char by char
        text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
    kept = [i for i, char in enumerate(text) if not char.isspace()]
    start = "".join(text[i] for i in kept).find(target)
    if start < 0:
        return []
    return [textpage.get_charbox(kept[k]) for k in range(start, start + len(target))]


def render_page(path: Path, number: int, snippet: str = "") -> bytes:
    """Page `number` (from 1) of the PDF as PNG bytes, the snippet's characters boxed in yellow."""
    import pypdfium2
    from PIL import ImageDraw

    document = pypdfium2.PdfDocument(str(path))
    try:
        page = document[number - 1]
        image = page.render(scale=SCALE).to_pil().convert("RGB")
        height = page.get_height()
        draw = ImageDraw.Draw(image, "RGBA")
        for left, bottom, right, top in snippet_boxes(page.get_textpage(), snippet):
            box = [left * SCALE - 1, (height - top) * SCALE - 1,
                   right * SCALE + 1, (height - bottom) * SCALE + 1]
            draw.rectangle(box, fill=HIGHLIGHT, outline=OUTLINE)
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
