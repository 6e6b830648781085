"""`zhijiao report`: one self-contained HTML page (inline SVG, no scripts or downloads) from the published file."""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from ..extraction.catalog import load_catalog

LEVELS = [("province", "省级"), ("city", "地市级"), ("county", "县区级"), ("school", "学校")]
HEADLINE = ["students_total", "enrollment_new", "graduates_total", "teachers_fulltime", "student_teacher_ratio",
            "employment_rate", "further_study_total", "equipment_value"]
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
ISSUE_NAMES = {
    "rate_out_of_range": "比率超出0–100", "negative_value": "数值为负", "period_out_of_range": "年份不合理",
    "subset_exceeds_whole": "部分大于整体", "conflicting_values": "来源数值不一致", "year_over_year_jump": "同比变化过大",
    "parts_do_not_add_up": "分项之和不等于总数", "rate_disagrees_with_counts": "比率与人数不符",
}
CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{border-bottom:2px solid #1f77b4;padding-bottom:.2rem;margin-top:2.2rem}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th{background:#f0f4f8}td.l,th.l{text-align:left}.up{color:#2ca02c}.down{color:#d62728}.muted{color:#777;font-size:.85rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{border:1px solid #e3e3e3;padding:.5rem;background:#fcfcfc}
"""


BASIS = {"reported": "本级上报", "rollup": "下级汇总"}


def _fmt(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() or abs(value) >= 1000 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return html.escape(str(value))


def _table(frame: pd.DataFrame, headers: list[str], left: int = 1) -> str:
    head = "".join(f'<th class="{"l" if i < left else ""}">{html.escape(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for i, value in enumerate(row):
            css = "l" if i < left else ""
            text = _fmt(value)
            if isinstance(value, float) and headers[i].startswith("变化") and not pd.isna(value):
                css += " up" if value > 0 else " down" if value < 0 else ""
                text = f"{value:+.1f}%"
            cells.append(f'<td class="{css}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def bar_chart(title: str, labels: list[str], values: list[float], width: int = 520) -> str:
    """Horizontal bars, one per entity."""
    bar, gap, left = 18, 6, 190
    height = 30 + len(labels) * (bar + gap)
    top = max(values) if values else 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
             f'<text x="0" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 26 + i * (bar + gap)
        w = 0 if not top else (width - left - 70) * value / top
        parts.append(f'<text x="{left - 6}" y="{y + 13}" font-size="12" text-anchor="end">{html.escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 13}" font-size="11">{_fmt(value)}</text>')
    parts.append("</svg>")
    return '<div class="chart">' + "".join(parts) + "</div>"


def line_chart(title: str, series: dict[str, list[tuple[int, float]]], width: int = 520, height: int = 240) -> str:
    """One line per entity over the years."""
    years = sorted({y for points in series.values() for y, _ in points})
    values = [v for points in series.values() for _, v in points]
    if not years or not values:
        return ""
    left, right, top, bottom = 60, 20, 28, 40
    lo, hi = min(0, min(values)), max(values) or 1
    span_x = max(len(years) - 1, 1)

    def xy(year, value):
        x = left + (width - left - right) * (years.index(year) / span_x if len(years) > 1 else 0.5)
        y = height - bottom - (height - top - bottom) * (value - lo) / ((hi - lo) or 1)
        return x, y

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
             f'<text x="0" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="{top + 4}" font-size="10" text-anchor="end">{_fmt(float(hi))}</text>']
    for year in years:
        x, _ = xy(year, lo)
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 14}" font-size="11" text-anchor="middle">{year}年</text>')
    for i, (name, points) in enumerate(sorted(series.items())):
        color = PALETTE[i % len(PALETTE)]
        coords = [xy(y, v) for y, v in sorted(points)]
        if len(coords) > 1:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in coords)}"/>')
        for x, y in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
        parts.append(f'<text x="{left + 4 + (i % 3) * 150}" y="{height - 8 - (i // 3) * 12}" font-size="11" fill="{color}">● {html.escape(name)}</text>')
    parts.append("</svg>")
    return '<div class="chart">' + "".join(parts) + "</div>"


def build_report(published: Path) -> str:
    if not published.exists():
        raise FileNotFoundError(f"{published} does not exist yet; run `make run` (or `zhijiao refresh`) first.")
    catalog = load_catalog()
    names = {ind.code: f"{ind.name_zh}（{ind.unit}）" for ind in catalog.published()}
    with duckdb.connect(str(published), read_only=True) as con:
        comparison = con.execute("select * from yearly_comparison").df()
        issues = con.execute("select rule, severity, status, entity_name, period_year, indicator, value, source_file, page, detail "
                             "from data_quality_issues where status = 'open' order by severity, entity_name, indicator").df()
        documents = con.execute("select source_file, status, subject, fact_count, reason from documents order by source_file").df()
        provinces = con.execute("select entity_name, period_year, cities_covered, cities_total, basis from province_year order by 1, 2").df()
    out = [f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>职业教育质量年度报告数据仓库 · 年度比较</title>"
           f"<style>{CSS}</style></head><body>",
           "<h1>职业教育质量年度报告 · 年度比较</h1>",
           f'<p class="muted">生成时间 {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · 数据来源 {html.escape(published.name)} · '
           f"{len(documents)} 份报告文件</p>"]
    out.append("<h2>覆盖情况</h2>")
    provinces["basis"] = provinces["basis"].map(BASIS)
    comparison["basis"] = comparison["basis"].map(BASIS)
    out.append(_table(provinces, ["省", "年度", "覆盖地市数", "地市总数", "口径"], left=1))
    levels = comparison.groupby(["level", "period_year"])["entity_name"].nunique().reset_index()
    levels["level"] = levels["level"].map(dict(LEVELS))
    out.append(_table(levels, ["层级", "年度", "实体数"], left=1))
    for level, label in LEVELS:
        frame = comparison[comparison["level"] == level]
        if frame.empty:
            continue
        out.append(f"<h2>{label}年度比较</h2>")
        charts = []
        latest = frame["period_year"].max()
        for code in HEADLINE[:3]:
            snap = frame[(frame["indicator"] == code)].sort_values("period_year").groupby("entity_name").tail(1)
            if len(snap):
                snap = snap.sort_values("value", ascending=False)
                charts.append(bar_chart(f"{names[code]} · 最新年度", [f"{e}（{y}）" for e, y in zip(snap["entity_name"], snap["period_year"])],
                                        snap["value"].tolist()))
            trend = frame[frame["indicator"] == code]
            if trend["period_year"].nunique() > 1:
                series = {e: list(zip(g["period_year"], g["value"])) for e, g in trend.groupby("entity_name")}
                charts.append(line_chart(f"{names[code]} · 趋势", series))
        out.append('<div class="charts">' + "".join(charts) + "</div>")
        table = frame[frame["indicator"].isin(HEADLINE)].copy()
        table["indicator"] = table["indicator"].map(names)
        table = table.sort_values(["entity_name", "indicator", "period_year"])[
            ["entity_name", "indicator", "period_year", "value", "prev_period_year", "prev_value", "pct_change", "rank_in_level", "peers_in_level", "basis"]]
        out.append(f"<h3>主要指标（截至 {latest} 年）</h3>")
        out.append(_table(table, ["实体", "指标", "年度", "数值", "上期年度", "上期数值", "变化（%）", "同级排名", "同级数", "口径"], left=2))
    out.append("<h2>待处理的数据质量问题</h2>")
    if issues.empty:
        out.append("<p>无。</p>")
    else:
        issues["rule"] = issues["rule"].map(lambda r: ISSUE_NAMES.get(r, r))
        issues["severity"] = issues["severity"].map({"held_back": "已暂扣", "review": "待复核"})
        issues["indicator"] = issues["indicator"].map(lambda c: names.get(c, c))
        out.append(_table(issues, ["规则", "级别", "状态", "实体", "年度", "指标", "数值", "文件", "页码", "说明"], left=6))
    out.append("<h2>报告文件</h2>")
    out.append(_table(documents, ["文件", "状态", "对象", "事实数", "说明"], left=3))
    out.append("</body></html>")
    return "\n".join(out)


def write_report(published: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(published), encoding="utf-8")
    return out
