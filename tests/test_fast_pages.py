"""The fast reader (pdfium chars and ruling lines, pdfplumber's algorithms) gives the facts of the
reference reader (pdfplumber on every page), on the samples and on other producers' layouts."""

import pytest
from conftest import GOLD, RAW, REPO
from pdf_factory import school_report
from variants import STYLES, render

from orchestration.extraction.extract import extract_report
from orchestration.reports.pdf import parse_pdf


def _facts(pdf, fast: bool) -> list[dict]:
    parsed = parse_pdf(pdf, fast_text=fast)
    return [fact.__dict__ for fact in extract_report(parsed, pdf.name, include_components=True)]


def _assert_same_facts(pdf) -> None:
    reference, fast = _facts(pdf, False), _facts(pdf, True)
    assert reference, f"{pdf.name}: no facts to compare"
    assert fast == reference, [(f, r) for f, r in zip(fast, reference) if f != r][:3]


@pytest.mark.parametrize("pdf", sorted(RAW.glob("*.pdf")), ids=lambda p: p.stem[:3])
def test_samples_give_identical_facts(pdf):
    _assert_same_facts(pdf)


@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
def test_other_layouts_give_identical_facts(style, tmp_path):
    seed = sorted((GOLD.parent / "seeds").glob("*.txt"))[0]
    _assert_same_facts(render(seed.read_text(encoding="utf-8"), tmp_path / f"{seed.stem}.pdf", style))


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "borderless"])
def test_generated_reports_give_identical_facts(ruled, tmp_path):
    pdf = school_report(tmp_path / "school.pdf", "延津县职业中等专业学校", 2024, 4300, 330, 290, 1300, 98.1, 97.2,
                        ruled=ruled)
    _assert_same_facts(pdf)


@pytest.mark.parametrize("pdf", sorted(RAW.glob("*.pdf")), ids=lambda p: p.stem[:3])
def test_fast_reader_reads_non_embedded_cjk_pages_itself(pdf):
    """STSong-Light is not embedded: pdfium measures it with the stand-in font, whatever fonts the
    machine has, so no page falls back to pdfplumber."""
    import pdfplumber
    
    from orchestration.reports.fast_pages import FastPageReader
    from orchestration.reports.font_descents import DeclaredDescents

    with pdfplumber.open(pdf) as document:
        reader, descents = FastPageReader(pdf, len(document.pages)), DeclaredDescents()
        try:
            fallbacks = [i + 1 for i, page in enumerate(document.pages)
                         if reader.page(i, descents.of_page(page)) is None]
        finally:
            reader.close()
    assert fallbacks == []


# LibreOffice Writer exports with embedded subset Noto CJK fonts: a space on its own is a text
# object of one blank glyph, which pdfium's text page lists as an inferred space.
WRITER_EXPORTS = sorted((REPO / "tests" / "dev_sets" / "round3" / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("pdf", WRITER_EXPORTS[::3], ids=lambda p: p.stem[:3])
def test_writer_exports_give_identical_facts(pdf):
    _assert_same_facts(pdf)


def test_blank_glyph_spaces_are_read_by_pdfium():
    import pdfplumber

    from orchestration.reports.fast_pages import FastPageReader
    from orchestration.reports.font_descents import DeclaredDescents

    pdf = WRITER_EXPORTS[0]
    with pdfplumber.open(pdf) as document:
        reader, descents = FastPageReader(pdf, len(document.pages)), DeclaredDescents()
        try:
            pages = [(reader.page(i, descents.of_page(page)), page.chars)
                     for i, page in enumerate(document.pages)]
        finally:
            reader.close()
    assert all(fast is not None for fast, _ in pages)
    for fast, reference in pages:
        assert [c["text"] for c in fast.chars] == [c["text"] for c in reference]
    assert any(c["text"] == " " for fast, _ in pages for c in fast.chars)


def test_shipped_stand_in_font_is_the_one_the_builder_makes():
    """pdfium measures non-embedded CJK text with the shipped stand-in; rebuild it with
    `python -m orchestration.reports.pdfium_fonts` when build_stand_in_font changes."""
    from orchestration.reports.pdfium_fonts import STAND_IN_PATH, build_stand_in_font

    assert STAND_IN_PATH.read_bytes() == build_stand_in_font()


def test_a_hyphen_pdfium_joins_across_lines_sends_the_page_to_pdfplumber(tmp_path):
    """pdfium's text buffer has U+FFFE for a line-end hyphen where its char says 0x2: the page text
    read in one call must not hide it."""
    import pdfplumber
    from reportlab.pdfgen import canvas

    from orchestration.reports.fast_pages import FastPageReader
    from orchestration.reports.font_descents import DeclaredDescents

    pdf = tmp_path / "hyphen.pdf"
    page = canvas.Canvas(str(pdf))
    page.setFont("Helvetica", 12)
    page.drawString(72, 700, "The school built a new infor-")
    page.drawString(72, 686, "mation centre in the year.")
    page.save()
    with pdfplumber.open(pdf) as document:
        reader = FastPageReader(pdf, 1)
        try:
            assert reader.page(0, DeclaredDescents().of_page(document.pages[0])) is None
        finally:
            reader.close()
