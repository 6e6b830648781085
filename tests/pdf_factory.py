"""Make test PDFs with reportlab's built-in CID font STSong-Light (no font files needed)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 72, WIDTH - 72, HEIGHT - 72, 72
BODY = 10.5


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = char
        else:
            line += char
    if line:
        lines.append(line)
    return lines


class ReportWriter:
    """A small report: a cover title, paragraphs, and tables (ruled or borderless), with a running
    header and page numbers on every page like real exports."""

    def __init__(self, path: Path, title: str, header: str | None = None, encrypt: str | None = None):
        self.path = Path(path)
        self.canvas = canvas.Canvas(str(self.path), pagesize=A4, encrypt=encrypt)
        self.canvas.setTitle(title)
        self.header = header if header is not None else title
        self.page = 1
        self.y = TOP
        self.canvas.setFont(FONT, 22)
        for line in _wrap(title, 22, RIGHT - LEFT):
            self.canvas.drawCentredString(WIDTH / 2, self.y - 60, line)
            self.y -= 30
        self.y -= 80

    def _decorate(self) -> None:
        self.canvas.setFont(FONT, 9)
        if self.header:
            self.canvas.drawCentredString(WIDTH / 2, HEIGHT - 40, self.header)
        self.canvas.drawCentredString(WIDTH / 2, 36, f"- {self.page} -")

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self._decorate()
            self.canvas.showPage()
            self.page += 1
            self.y = TOP

    def heading(self, text: str) -> "ReportWriter":
        self._need(30)
        self.y -= 8
        self.canvas.setFont(FONT, 14)
        self.canvas.drawString(LEFT, self.y, text)
        self.y -= 22
        return self

    def paragraph(self, text: str, break_before: tuple[str, ...] = ()) -> "ReportWriter":
        """A paragraph wrapped at the text width; a line also breaks before each of `break_before`
        (where a justified layout happened to break it)."""
        pieces = [text]
        for phrase in break_before:
            head, found, tail = pieces[-1].partition(phrase)
            if found:
                pieces[-1:] = [head, phrase + tail]
        lines = [line for k, piece in enumerate(pieces)
                 for line in _wrap(("　　" if k == 0 else "") + piece, BODY, RIGHT - LEFT)]
        for line in lines:
            self._need(BODY * 1.8)
            self.canvas.setFont(FONT, BODY)
            self.canvas.drawString(LEFT, self.y, line)
            self.y -= BODY * 1.8
        self.y -= 4
        return self

    def table(self, rows: list[list[str]], ruled: bool = True, widths: list[float] | None = None) -> "ReportWriter":
        cols = max(len(r) for r in rows)
        widths = widths or [(RIGHT - LEFT) / cols] * cols
        height = 20
        self._need(height * min(len(rows), 3))
        for row in rows:
            self._need(height)
            x = LEFT
            self.canvas.setFont(FONT, 9)
            for width, cell in zip(widths, row + [""] * (cols - len(row))):
                if ruled:
                    self.canvas.rect(x, self.y - 6, width, height, stroke=1, fill=0)
                self.canvas.drawString(x + 4, self.y, cell)
                x += width
            self.y -= height
        if not ruled:
            self.canvas.line(LEFT, self.y + height - 6, RIGHT, self.y + height - 6)
        self.y -= 10
        return self

    def wrapped_table(self, rows: list[list[str]], widths: list[float], size: float = 9) -> "ReportWriter":
        """A borderless table as Writer sets one: a cell too long for its column wraps, and the row's
        other cells are centred against it, so the lines of one row overlap vertically."""
        pitch = size * 0.72  # Writer's wrapped CJK lines sit closer than the font's height
        for row in rows:
            cells = [_wrap(cell, size, width - 8) or [""] for width, cell in zip(widths, row)]
            height = max(len(c) for c in cells) * pitch + size
            self._need(height)
            x = LEFT
            self.canvas.setFont(FONT, size)
            for width, lines in zip(widths, cells):
                top = self.y - (height - len(lines) * pitch) / 2
                for k, line in enumerate(lines):
                    self.canvas.drawString(x + 4, top - k * pitch, line)
                x += width
            self.y -= height + size * 0.8
        self.y -= 10
        return self

    def save(self) -> Path:
        self._decorate()
        self.canvas.save()
        return self.path


def school_report(path: Path, school: str, year: int, students: int, staff: int, teachers: int,
                  graduates: int, employment_rate: float, satisfaction: float, ruled: bool = True) -> Path:
    """A school report in the usual shape: prose plus an indicator table."""
    writer = ReportWriter(path, f"{school}质量年度报告（{year}年）")
    writer.heading("一、学校基本情况")
    writer.paragraph(
        f"{year}年，学校全日制学历教育在校生{students}人，{year}年毕业生{graduates}人。学校全体教职工{staff}人，"
        f"其中专任教师{teachers}人。"
    )
    writer.heading("二、学生发展")
    writer.paragraph(f"毕业生就业率为{employment_rate}%，在校生满意度{satisfaction}%。")
    writer.table([
        ["序号", "指标", "单位", f"{year}年"],
        ["1", "全日制在校生人数", "人", str(students)],
        ["2", "教职工总数", "人", str(staff)],
        ["", "其中：专任教师总数", "人", str(teachers)],
    ], ruled=ruled)
    return writer.save()


def plain_pdf(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    c.setFont(FONT, 12)
    y = TOP
    for line in lines:
        c.drawString(LEFT, y, line)
        y -= 20
    c.save()
    return Path(path)


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A 'scan': shapes and no text layer."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        for i in range(40):
            c.rect(LEFT + (i % 8) * 50, BOTTOM + (i // 8) * 80, 40, 60, fill=1)
        c.showPage()
    c.save()
    return Path(path)


def impossible_report(path: Path) -> Path:
    """A school report whose numbers cannot all be true: a rate above 100, a negative rate, and
    more full-time teachers than staff."""
    writer = ReportWriter(path, "原阳县职业教育中心质量年度报告（2023年）")
    writer.heading("一、学校基本情况")
    writer.paragraph("2023年，学校全日制学历教育在校生2500人。学校全体教职工300人，其中专任教师500人。")
    writer.heading("二、学生发展")
    writer.paragraph("毕业生就业率为189.2%，家长满意度-3%，在校生满意度96.5%。")
    return writer.save()


def long_report(path: Path, pages: int) -> Path:
    writer = ReportWriter(path, "测试县职业中等专业学校质量年度报告（2023年）")
    for i in range(pages * 40):
        writer.paragraph(f"第{i}段。学校坚持立德树人，推进产教融合。")
    return writer.save()


# Hostile files: each is small on disk and would cost a parser gigabytes or a stack overflow.

def _raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF written object by object (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def huge_dense_page(path: Path, side_pt: float = 14400, lines: int = 1400, chars_per_line: int = 700,
                    size: float = 10) -> Path:
    """One page 5 m square (the largest PDF allows) packed with text: ~1 M chars in a few hundred KB.
    With an A4 side and a tiny font, a page of ordinary size that still takes a lot of memory to read.
    Each line starts one char further into the phrase: pdfium drops a text object that repeats the one
    just above it."""
    c = canvas.Canvas(str(path), pagesize=(side_pt, side_pt), pageCompression=1)
    c.setFont(FONT, size)
    phrase = "学校在校生人数毕业生就业率"
    text = (phrase * (chars_per_line // 13 + 2))
    for i in range(lines):
        c.drawString(size, side_pt - size - i * size, text[i % 13:][:chars_per_line])
    c.save()
    return Path(path)


def compression_bomb(path: Path, compressed_mb: float = 1.0) -> Path:
    """A one-page PDF whose content stream is ~1 MB compressed and ~1 GB inflated."""
    import zlib

    squeezer = zlib.compressobj(9)
    block = b" " * (16 << 20)
    body = bytearray(squeezer.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n"))
    while len(body) < compressed_mb * (1 << 20):
        body += squeezer.compress(block)
    body += squeezer.flush()
    return _raw_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        _stream(bytes(body), b"/Filter /FlateDecode"),
    ])


def deep_page_tree(path: Path, depth: int = 5000) -> Path:
    """A page tree `depth` levels deep: each Pages node's only kid is the next one, the leaf a page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = level + 2
        parent = b"/Parent %d 0 R " % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>" % (parent, number + 1))
    page = depth + 2
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << >> >>"
                   % (page - 1, page + 1))
    objects.append(_stream(b"BT ET"))
    return _raw_pdf(path, objects)


def city_report(path: Path, city: str, province: str, year: int, schools: int = 24, public_schools: int = 15,
                students: int = 46820, enrolled: int = 18530, graduates: int = 12680, teachers: int = 2350,
                staff: int = 2790, dual_teacher_rate: float = 48.2, employment_rate: float = 96.3,
                title: str | None = None, opening: str | None = None,
                break_before: tuple[str, ...] = ()) -> Path:
    """A plain city-level quality report in prose, every figure of `year`: 全市共有中等职业学校N所，
    其中公办学校M所, then students, intake, graduates, staff, teachers and rates. `title` replaces
    "{city}中等职业教育质量年度报告（{year}年）" and `opening` the first paragraph (which names the city
    and its province); `break_before` breaks the schools' sentence onto a new line before each phrase.
    The default figures are within a few percent of raw/'s 新乡市 2023 report (no year-over-year jump)."""
    writer = ReportWriter(path, title if title is not None else f"{city}中等职业教育质量年度报告（{year}年）")
    writer.heading("一、基本情况")
    writer.paragraph(opening if opening is not None else f"{city}位于{province}，全市中等职业教育持续健康发展。")
    writer.paragraph(
        f"{year}年，全市共有中等职业学校{schools}所，其中公办学校{public_schools}所，民办学校{schools - public_schools}所。"
        f"全市中等职业学校在校生{students}人，招生{enrolled}人，毕业生{graduates}人。", break_before=break_before)
    writer.heading("二、教师队伍")
    writer.paragraph(f"全市中职学校教职工{staff}人，其中专任教师{teachers}人，双师型教师比例{dual_teacher_rate}%。")
    writer.heading("三、就业质量")
    writer.paragraph(f"{year}届毕业生就业率{employment_rate}%。")
    return writer.save()
