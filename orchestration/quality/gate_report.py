"""The gate report stewards open after a refresh: one static HTML page listing each gate (a GX suite
on a table) with its failed expectations, their counts of bad rows and sample values. Plain HTML
with its style inline: it opens offline, unlike GX's data docs, which fetch their scripts from a CDN."""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

from ..paths import write_text_atomic
from .gates import GateResult

STYLE = """
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #17663a; font-weight: 600; } .fail { color: #b3261e; font-weight: 600; }
code { font-size: .92em; background: #f6f6f6; padding: 0 .2em; } details { margin: .4em 0 1em; }
"""


def _e(value) -> str:
    return html.escape(str(value))


def _gate_section(result: GateResult) -> str:
    failed = [o for o in result.outcomes if not o.success]
    passed = [o for o in result.outcomes if o.success]
    verdict = "pass" if result.success else "FAIL"
    parts = [f'<h2 id="{_e(result.table)}">{_e(result.table)} <span class="{verdict.lower()}">{verdict}</span></h2>',
             f"<p>{result.evaluated} expectations on {result.row_count} rows; {len(failed)} failed. "
             f"Suite: <code>expectations/{_e(result.table)}.json</code></p>"]
    if failed:
        parts.append("<table><tr><th>expectation</th><th>column</th><th>bad rows</th><th>sample values</th><th>rule</th></tr>")
        for o in failed:
            count = "?" if o.unexpected_count is None else o.unexpected_count
            parts.append(f"<tr><td><code>{_e(o.expectation)}</code></td><td>{_e(o.column)}</td><td class=n>{count}</td>"
                         f"<td>{_e(', '.join(map(str, o.sample[:10])))}</td><td>{_e(o.note)}</td></tr>")
        parts.append("</table>")
    if passed:
        parts.append(f"<details><summary>{len(passed)} passed expectations</summary><table>"
                     "<tr><th>expectation</th><th>column</th><th>rule</th></tr>")
        parts.extend(f"<tr><td><code>{_e(o.expectation)}</code></td><td>{_e(o.column)}</td><td>{_e(o.note)}</td></tr>"
                     for o in passed)
        parts.append("</table></details>")
    return "\n".join(parts)


def render(results: list[GateResult], when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    failed = [r for r in results if not r.success]
    rows = "\n".join(
        f'<tr><td><a href="#{_e(r.table)}">{_e(r.table)}</a></td><td class="{"pass" if r.success else "fail"}">'
        f'{"pass" if r.success else "FAIL"}</td><td class=n>{r.evaluated}</td>'
        f"<td class=n>{sum(not o.success for o in r.outcomes)}</td><td class=n>{r.row_count}</td></tr>"
        for r in results)
    verdict = ("every gate passed: the refresh may publish" if not failed
               else f"{len(failed)} gate(s) failed: the refresh does not publish, and the last published data stays")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>zhijiao gate report 质量闸门报告</title>
<style>{STYLE}</style></head><body>
<h1>Gate report 质量闸门报告</h1>
<p>Great Expectations suites run on the build of {_e(when.strftime("%Y-%m-%d %H:%M UTC"))}: {_e(verdict)}.</p>
<table><tr><th>gate (table)</th><th>result</th><th>expectations</th><th>failed</th><th>rows</th></tr>
{rows}
</table>
{"".join(_gate_section(r) for r in results)}
</body></html>
"""


def write_gate_report(results: list[GateResult], out_dir: Path) -> Path:
    """out_dir/index.html, replaced atomically."""
    path = out_dir / "index.html"
    write_text_atomic(path, render(results))
    return path
