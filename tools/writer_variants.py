"""Writer-exported versions of the gold reports, scored against gold (needs LibreOffice; tests do not).

    .venv/bin/python tools/writer_variants.py [--ruled] [--seeds DIR --gold DIR] OUT_DIR

Each seed text becomes an HTML document (headings, paragraphs, tables without borders unless
--ruled) that LibreOffice Writer exports to PDF with embedded subset CJK fonts.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from variants import _blocks  # noqa: E402

from orchestration.extraction.evaluate import load_gold, score, totals  # noqa: E402
from orchestration.extraction.extract import extract_report  # noqa: E402
from orchestration.reports.pdf import parse_pdf  # noqa: E402


def to_html(seed_text: str, ruled: bool) -> str:
    parts = ['<html><head><meta charset="utf-8"><style>body{font-family:"Noto Serif CJK SC";font-size:11pt}'
             "td{padding:2pt 8pt}</style></head><body>"]
    blocks = list(_blocks(seed_text))
    parts.append(f"<h1>{html.escape(blocks[0][1])}</h1>")
    for kind, payload in blocks[1:]:
        if kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in payload)
            parts.append(f'<table border="{1 if ruled else 0}" cellspacing="0">{rows}</table>')
        elif kind == "heading":
            parts.append(f"<h3>{html.escape(payload)}</h3>")
        else:
            parts.append(f"<p>{html.escape(payload)}</p>")
    return "".join(parts) + "</body></html>"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="where the HTML and exported PDFs go")
    parser.add_argument("--ruled", action="store_true", help="draw table borders")
    parser.add_argument("--seeds", type=Path, default=REPO / "tests" / "seeds", help="report texts (default tests/seeds)")
    parser.add_argument("--gold", type=Path, default=REPO / "tests" / "gold", help="their gold facts (default tests/gold)")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        parser.error("LibreOffice is not installed: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    ruled, out = args.ruled, args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    scores = []
    for seed in sorted(args.seeds.glob("*.txt")):
        page = out / f"{seed.stem}.html"
        page.write_text(to_html(seed.read_text(encoding="utf-8"), ruled), encoding="utf-8")
        # Writer's own HTML import: the web export (writer_web_pdf_Export) leaves the first page blank.
        subprocess.run(["soffice", "--headless", "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export",
                        "--outdir", str(out), str(page)],
                       check=True, capture_output=True, timeout=300)
        pdf = out / f"{seed.stem}.pdf"
        parsed = parse_pdf(pdf)
        s = score(seed.stem, extract_report(parsed, pdf.name), load_gold(args.gold / f"{seed.stem}.csv"))
        scores.append(s)
        methods = sorted({t.method for t in parsed.tables})
        print(f"{seed.stem}: {parsed.page_count} pages, tables {methods}, recall {s.recall:.3f}, precision {s.precision:.3f}")
        for m in s.misses:
            print(f"   MISS {m['entity']} {m['period_year']} {m['indicator']}={m['value']}  «{m['snippet']}»")
        for w in s.wrong:
            print(f"   WRONG {w['entity']} {w['period_year']} {w['indicator']}={w['value']} [{w['rule']}] «{w['snippet'][:70]}»")
    recall, precision = totals(scores)
    print(f"all: recall {recall:.3f}, precision {precision:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
