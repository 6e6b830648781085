"""`zhijiao report`: one self-contained HTML page (inline SVG, no scripts or downloads) from the published file.

It shows only what the marts vouch for: a change where the two years are comparable, a rollup
always with its coverage ("1/17 市"), and bars that set like against like or say that they do not."""

from __future__ import annotations

import html
import math
import re
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from ..extraction.catalog import load_catalog
from .store import report_completeness

LEVELS = [("province", "省级"), ("city", "地市级"), ("county", "县区级"), ("school", "学校")]
# What a rollup's children are at each level, for "1/17 市".
CHILD_UNITS = {"province": "市", "city": "县区"}
HEADLINE = ["students_total", "enrollment_new", "graduates_total", "teachers_fulltime", "student_teacher_ratio",
            "employment_rate", "further_study_total", "equipment_value"]
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
UNLIKE = "#b8b8b8"  # bars that are not like for like with the others
ISSUE_NAMES = {
    "rate_out_of_range": "比率超出0–100", "negative_value": "数值为负", "period_out_of_range": "年份不合理",
    "subset_exceeds_whole": "部分大于整体", "conflicting_values": "来源数值不一致", "year_over_year_jump": "同比变化过大",
    "parts_do_not_add_up": "分项之和不等于总数", "rate_disagrees_with_counts": "比率与人数不符",
    "children_exceed_total": "下级之和超过本级", "needs_review": "待人工复核",
}
SEVERITY = {"held_back": "已暂扣", "review": "待复核"}
CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{border-bottom:2px solid #1f77b4;padding-bottom:.2rem;margin-top:2.2rem}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;vertical-align:top;white-space:nowrap}
th{background:#f0f4f8}td.l,th.l{text-align:left}.up{color:#2ca02c}.down{color:#d62728}.muted{color:#777;font-size:.85rem}
td.note{color:#8a5a00;text-align:left;font-size:.8rem;white-space:normal;min-width:14rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.chart{border:1px solid #e3e3e3;padding:.5rem;background:#fcfcfc;width:520px}
.caption{font-size:.78rem;color:#555;margin:.3rem 0 0;max-width:520px}
table.issues{width:100%;table-layout:fixed;font-size:.8rem}table.issues td{overflow-wrap:anywhere;text-align:left;white-space:normal}
table.issues td.n{text-align:right}
"""
BASIS = {"reported": "本级上报", "rollup": "下级汇总"}


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _fmt(value) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1000 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return html.escape(str(value))


def coverage_label(level: str, basis: str, covered, total) -> str:
    """本级上报, or 汇总 1/17 市 beside a rollup figure."""
    if basis != "rollup":
        return BASIS["reported"]
    if _missing(covered) or _missing(total):
        return BASIS["rollup"]
    if level == "county":  # how many schools a county has is not known, only those that report
        return f"汇总 {int(covered)} 校"
    return f"汇总 {int(covered)}/{int(total)} {CHILD_UNITS[level]}"


def like_for_like(level: str, basis: str, covered, total) -> bool:
    """An entity's own figure, or a rollup covering every child area of a city or province."""
    return basis == "reported" or (level != "county" and not _missing(covered) and covered == total)


def _table(frame: pd.DataFrame, headers: list[str], left: int = 1, css: str = "", widths: list[str] | None = None) -> str:
    cols = "".join(f'<col style="width:{w}">' for w in widths) if widths else ""
    head = "".join(f'<th class="{"l" if i < left else ""}">{html.escape(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for i, value in enumerate(row):
            css_cell = "l" if i < left else ""
            text = _fmt(value)
            if headers[i].startswith("变化") and not _missing(value):
                css_cell += " up" if value > 0 else " down" if value < 0 else ""
                text = f"{value:+.1f}%"
            elif headers[i] == "说明":
                css_cell = "note"
            cells.append(f'<td class="{css_cell}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{css}">{cols}<tr>{head}</tr>{"".join(body)}</table>'


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round axis ticks (1, 2 or 5 × 10^k apart) from below lo to above hi."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1)
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks, value = [], start
    while value < hi + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _text_width(text: str, size: float) -> float:
    """Rough width of a label: CJK characters are square, others half as wide."""
    return sum(size if ord(ch) > 0x2e80 else size * 0.6 for ch in text)


def _shorten(text: str, limit: int) -> str:
    """A label of at most limit characters, cut in the middle so the year and coverage stay."""
    return text if len(text) <= limit else text[: limit - 9] + "…" + text[-8:]


def _svg(title: str, width: int, height: int, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">'
            f'<text x="0" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>' + "".join(body) + "</svg>")


def bar_chart(title: str, bars: list[tuple[str, float, bool]], width: int = 520) -> str:
    """Horizontal bars on a value axis with a scale; bars that are not like for like are grey, and a
    caption says so."""
    bars = [(_shorten(label, 19), value, like) for label, value, like in bars]
    left = max((_text_width(label, 12) for label, _, _ in bars), default=60) + 12
    right, top, bar, gap = 16, 28, 18, 6
    plot = width - left - right
    ticks = nice_ticks(0, max((v for _, v, _ in bars), default=1))
    span = ticks[-1] or 1
    height = top + len(bars) * (bar + gap) + 30
    body = []
    for tick in ticks:
        x = left + plot * tick / span
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 26}" stroke="#e4e4e4"/>')
        body.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="10" text-anchor="middle" fill="#555">{_fmt(float(tick))}</text>')
    body.append(f'<line x1="{left}" y1="{height - 26}" x2="{width - right}" y2="{height - 26}" stroke="#999"/>')
    for i, (label, value, like) in enumerate(bars):
        y = top + i * (bar + gap)
        w = plot * value / span
        body.append(f'<text x="{left - 6}" y="{y + 13}" font-size="12" text-anchor="end">{html.escape(label)}</text>')
        body.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[0] if like else UNLIKE}"/>')
        inside = w > plot * 0.75
        body.append(f'<text x="{left + w + (-4 if inside else 4):.1f}" y="{y + 13}" font-size="11" '
                    f'text-anchor="{"end" if inside else "start"}" fill="{"#fff" if inside and like else "#222"}">{_fmt(value)}</text>')
    likes = [like for _, _, like in bars]
    if all(likes):
        caption = "各条均为本级上报（或覆盖全部下级的汇总），可以相互比较；各实体取其最新年度。"
    elif not any(likes):
        caption = "注意：各条均为覆盖不全的下级汇总，覆盖范围各不相同，彼此不可比较，仅示数量级。"
    else:
        caption = "灰色条为覆盖不全的下级汇总，与蓝色条（本级上报）不可比较。"
    return f'<div class="chart">{_svg(title, width, height, body)}<p class="caption">{caption}</p></div>'


def line_chart(title: str, series: dict[str, list[tuple[int, float, bool]]], width: int = 520) -> str:
    """One line per entity over the years, on a y-axis with a scale. A segment joins two years only
    when they are comparable (points: year, value, comparable with the previous point)."""
    years = sorted({y for points in series.values() for y, _, _ in points})
    values = [v for points in series.values() for _, v, _ in points]
    if not years or not values:
        return ""
    left, right, top, plot_height = 64, 16, 34, 170
    lo, hi = min(0.0, min(values)), max(values)
    ticks = nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    span_x = max(len(years) - 1, 1)
    base = top + plot_height

    def xy(year, value):
        x = left + (width - left - right) * (years.index(year) / span_x if len(years) > 1 else 0.5)
        return x, base - plot_height * (value - lo) / ((hi - lo) or 1)

    # The legend sits under the axis labels, in as many rows as it needs, so it never covers them.
    entries, rows, x = [], 0, left
    for name in sorted(series):
        item = _text_width("● " + name, 11) + 18
        if x + item > width and x > left:
            rows, x = rows + 1, left
        entries.append((name, x, rows))
        x += item
    height = base + 24 + (rows + 1) * 16 + 4
    body = []
    for tick in ticks:
        _, y = xy(years[0], tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        body.append(f'<text x="{left - 6}" y="{y + 3:.1f}" font-size="10" text-anchor="end" fill="#555">{_fmt(float(tick))}</text>')
    body.append(f'<line x1="{left}" y1="{top - 6}" x2="{left}" y2="{base}" stroke="#999"/>')
    body.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#999"/>')
    for year in years:
        x, _ = xy(year, lo)
        body.append(f'<text x="{x:.1f}" y="{base + 14}" font-size="11" text-anchor="middle">{year}年</text>')
    for i, (name, lx, row) in enumerate(entries):
        color = PALETTE[i % len(PALETTE)]
        points = sorted(series[name])
        for (y0, v0, _), (y1, v1, comparable) in zip(points, points[1:]):
            if comparable:
                (x0, p0), (x1, p1) = xy(y0, v0), xy(y1, v1)
                body.append(f'<line x1="{x0:.1f}" y1="{p0:.1f}" x2="{x1:.1f}" y2="{p1:.1f}" stroke="{color}" stroke-width="2"/>')
        for year, value, _ in points:
            px, py = xy(year, value)
            body.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{color}"/>')
        body.append(f'<text x="{lx:.1f}" y="{base + 34 + row * 16}" font-size="11" fill="{color}">● {html.escape(name)}</text>')
    caption = "线段只连接口径相同、可以比较的相邻年度；未连线的点之间口径或覆盖范围不同。"
    return f'<div class="chart">{_svg(title, width, height, body)}<p class="caption">{caption}</p></div>'


def _level_section(level: str, label: str, frame: pd.DataFrame, names: dict[str, str]) -> list[str]:
    out = [f"<h2>{label}年度比较</h2>"]
    charts = []
    for code in HEADLINE[:3]:
        rows = frame[frame["indicator"] == code]
        if rows.empty:
            continue
        latest = rows.sort_values("period_year").groupby("entity_id").tail(1).sort_values("value", ascending=False)
        bars = [(f"{r.entity_name}（{r.period_year}，{r.coverage}）" if r.basis == "rollup" else f"{r.entity_name}（{r.period_year}）",
                 float(r.value), bool(r.like)) for r in latest.itertuples()]
        charts.append(bar_chart(f"{names[code]} · 最新年度", bars))
        if rows["period_year"].nunique() > 1:
            series = {f"{name}（{g['entity_id'].iloc[0]}）" if rows.groupby("entity_name")["entity_id"].nunique()[name] > 1 else name:
                      [(int(r.period_year), float(r.value), r.comparable is True) for r in g.itertuples()]
                      for (name, _), g in rows.groupby(["entity_name", "entity_id"])}
            charts.append(line_chart(f"{names[code]} · 趋势", series))
    out.append('<div class="charts">' + "".join(charts) + "</div>")
    table = frame[frame["indicator"].isin(HEADLINE)].copy()
    table["indicator"] = table["indicator"].map(names)
    table["rank"] = [f"{int(r)}/{int(p)}" if not _missing(r) else "" for r, p in zip(table["rank_in_level"], table["peers_in_level"])]
    table = table.sort_values(["entity_name", "entity_id", "indicator", "period_year"])[
        ["entity_name", "indicator", "period_year", "value", "coverage", "prev_period_year", "prev_value", "pct_change", "rank",
         "not_comparable_reason"]]
    out.append(f"<h3>主要指标（截至 {frame['period_year'].max()} 年）</h3>")
    out.append('<p class="muted">变化只在两年可比时给出（同为本级上报，或同一组下级的汇总）；否则“说明”写明原因。'
               "排名只在口径相同的同级实体之间。</p>")
    out.append(_table(table, ["实体", "指标", "年度", "数值", "口径/覆盖", "上期年度", "上期数值", "变化（%）", "同级排名", "说明"], left=2))
    return out


def _chinese_codes(text: str, names: dict[str, str]) -> str:
    """Indicator codes in an issue's detail (training_stations changed …) in Chinese."""
    return re.sub(r"\b[a-z][a-z_]+[a-z]\b", lambda m: names.get(m.group(0), m.group(0)), text or "")


def build_report(published: Path) -> str:
    if not published.exists():
        raise FileNotFoundError(f"{published} does not exist yet; run `make run` (or `zhijiao refresh`) first.")
    catalog = load_catalog()
    # Every catalog indicator has a Chinese name, components (which appear in issues) included.
    names = {ind.code: f"{ind.name_zh}（{ind.unit}）" for ind in catalog}
    with duckdb.connect(str(published), read_only=True) as con:
        comparison = con.execute("select * from yearly_comparison").df()
        issues = con.execute(
            "select rule, severity, entity_name, period_year, indicator, value, source_file, page, detail "
            "from data_quality_issues where status = 'open' order by severity, rule, entity_name, indicator").df()
        documents = con.execute("select source_file, status, subject, fact_count, reason from documents order by source_file").df()
        provinces = con.execute("select entity_name, period_year, cities_covered, cities_total, basis from province_year order by 1, 2").df()
    comparison["coverage"] = [coverage_label(*a) for a in zip(comparison["level"], comparison["basis"],
                                                              comparison["children_covered"], comparison["children_total"])]
    comparison["like"] = [like_for_like(*a) for a in zip(comparison["level"], comparison["basis"],
                                                         comparison["children_covered"], comparison["children_total"])]
    comparison["comparable"] = comparison["comparable"].astype(object).where(comparison["comparable"].notna(), None)
    out = [f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>职业教育质量年度报告数据仓库 · 年度比较</title>"
           f"<style>{CSS}</style></head><body>",
           "<h1>职业教育质量年度报告 · 年度比较</h1>",
           f'<p class="muted">生成时间 {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · 数据来源 {html.escape(published.name)} · '
           f"{len(documents)} 份报告文件</p>"]
    out.append("<h2>覆盖情况</h2>")
    provinces["coverage"] = [f"{c}/{t} 市" for c, t in zip(provinces["cities_covered"], provinces["cities_total"])]
    provinces["basis"] = provinces["basis"].map(BASIS)
    out.append(_table(provinces[["entity_name", "period_year", "coverage", "basis"]], ["省", "年度", "有数据的地市", "口径"], left=1))
    levels = comparison.groupby(["level", "period_year"])["entity_id"].nunique().unstack(fill_value=0)
    levels = levels.reindex([code for code, _ in LEVELS if code in levels.index])
    levels.insert(0, "层级", [dict(LEVELS)[code] for code in levels.index])
    out.append(_table(levels.reset_index(drop=True), ["层级"] + [f"{y}年" for y in levels.columns[1:]], left=1))
    for level, label in LEVELS:
        frame = comparison[comparison["level"] == level]
        if not frame.empty:
            out.extend(_level_section(level, label, frame, names))
    out.append("<h2>待处理的数据质量问题</h2>")
    if issues.empty:
        out.append("<p>无。</p>")
    else:
        issues["rule"] = issues["rule"].map(lambda r: ISSUE_NAMES.get(r, r))
        issues["severity"] = issues["severity"].map(SEVERITY)
        summary = issues.groupby(["rule", "severity"]).size().reset_index(name="n").sort_values("n", ascending=False)
        out.append(_table(summary, ["规则", "级别", "条数"], left=2))
        issues["indicator"] = issues["indicator"].map(lambda c: names.get(c, c))
        issues["detail"] = issues["detail"].map(lambda text: _chinese_codes(text, names))
        issues["source"] = [f"{f} 第{int(p)}页" if not _missing(p) else f for f, p in zip(issues["source_file"], issues["page"])]
        table = issues[["rule", "severity", "entity_name", "period_year", "indicator", "value", "source", "detail"]]
        out.append(_table(table, ["规则", "级别", "实体", "年度", "指标", "数值", "来源", "详情"], left=8, css="issues",
                          widths=["10%", "6%", "13%", "5%", "14%", "7%", "15%", "30%"]))
    out.append("<h2>报告完整性（核心指标）</h2>")
    out.append(_table(pd.DataFrame(report_completeness(published), columns=["report", "file"]),
                      ["报告", "文件"], left=2))
    out.append("<h2>报告文件</h2>")
    out.append(_table(documents, ["文件", "状态", "对象", "事实数", "说明"], left=3))
    out.append("</body></html>")
    return "\n".join(out)


def write_report(published: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(published), encoding="utf-8")
    return out
