"""`zhijiao review`: the steward's review page on 127.0.0.1 (starlette, served by uvicorn). It lists
the open items, shows each one's PDF page with the snippet highlighted, the value and the runner-up,
and writes the steward's decision to overrides/fact_overrides.csv; the next refresh applies it.
Everything is served from here (inline CSS, no scripts from elsewhere): it works offline."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import duckdb
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import ZhijiaoError
from ..paths import published_db_path
from .decisions import ACTIONS, record
from .items import KINDS, Item, filtered, open_items, report_path, runner_up
from .page_image import render_page

CSS = """
body{font-family:"Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;
vertical-align:top;font-size:14px}th{background:#f4f4f4}.msg{padding:8px;background:#e8f5e9}
.err{padding:8px;background:#fdecea;white-space:pre-wrap}.page{border:1px solid #999;max-width:100%}
form.decide{margin:6px 0;padding:8px;border:1px solid #ccc;background:#fafafa}label{margin-right:10px}
.cols{display:flex;gap:20px}.cols>div{flex:1}
"""


def catalog_codes() -> list[str]:
    from ..extraction.catalog import load_catalog

    return [ind.code for ind in load_catalog().published()]


def _e(value) -> str:
    return "" if value is None else html.escape(str(value))


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
                        f"<title>{_e(title)}</title>"
                        f"<style>{CSS}</style></head><body>{body}</body></html>", status_code=status)


def _items() -> list[Item]:
    return open_items(published_db_path())


def _filters(items: list[Item], chosen: dict) -> str:
    def select(name: str, values) -> str:
        options = "".join(f"<option value='{_e(v)}'{' selected' if chosen.get(name) == v else ''}>"
                          f"{_e(v)}</option>"
                          for v in sorted(set(values)))
        return f"<label>{name} <select name='{name}'><option value=''>all</option>{options}</select></label>"

    return ("<form method='get' action='/'>" + select("file", [i.source_file for i in items])
            + select("indicator", [i.indicator for i in items]) + select("rule", [i.rule for i in items])
            + select("kind", [i.kind for i in items]) + "<button type='submit'>filter</button></form>")


def index(request: Request) -> HTMLResponse:
    try:
        items = _items()
    except FileNotFoundError as exc:
        return _page("zhijiao review", f"<p class='err'>{_e(exc)}</p>", 503)
    except duckdb.Error as exc:  # a publication older than report_coverage, say
        return _page("zhijiao review", f"<p class='err'>The published warehouse cannot be read for review "
                     f"({_e(exc)}); run <code>make run</code> (zhijiao refresh) and reload.</p>", 503)
    chosen = {k: request.query_params.get(k, "") for k in ("file", "indicator", "rule", "kind")}
    shown = filtered(items, **chosen)
    message = request.query_params.get("done", "")
    rows = "".join(
        f"<tr><td>{_e(KINDS[i.kind])}</td><td>{_e(i.source_file)}</td><td>{_e(i.page)}</td>"
        f"<td>{_e(i.entity)}</td><td>{_e(i.period_year)}</td><td>{_e(i.indicator)}</td>"
        f"<td>{_e(_number(i.value))}</td><td>{_e(i.rule)}</td>"
        f"<td><a class='open' href='/item/{i.item_id}'>review</a></td></tr>" for i in shown)
    body = (f"<h1>待复核 · Review ({len(shown)} of {len(items)} open items)</h1>"
            + (f"<p class='msg'>{_e(message)}</p>" if message else "") + _filters(items, chosen)
            + "<table><tr><th>kind</th><th>file</th><th>page</th><th>entity</th><th>year</th>"
            f"<th>indicator</th><th>value</th><th>rule</th><th></th></tr>{rows}</table>"
            "<p>Decisions go to overrides/fact_overrides.csv; run <code>make run</code> to apply them.</p>")
    return _page("zhijiao review", body)


def _number(value) -> str:
    if value is None or value != value:
        return ""
    return f"{value:g}"


def _find(item_id: str) -> Item | None:
    return next((i for i in _items() if i.item_id == item_id), None)


def _forms(item: Item) -> str:
    def form(button: str, fields: str = "") -> str:
        return (f"<form class='decide' method='post' action='/item/{item.item_id}'>"
                f"<input type='hidden' name='action' value='{button}'>{fields}"
                "<label>reviewer <input name='reviewer' required></label>"
                f"<label>note <input name='note'></label><button type='submit' name='go' value='{button}'>"
                f"{button}</button></form>")

    if item.kind == "missing":
        codes = "".join(f"<option value='{c}'{' selected' if c == item.indicator else ''}>{c}</option>"
                        for c in catalog_codes())
        fields = (f"<label>indicator <select name='indicator'>{codes}</select></label>"
                  f"<label>page <input name='page' size='4' required></label>"
                  f"<label>value <input name='value' size='10' required></label>"
                  f"<label>entity <input name='entity' value='{_e(item.entity)}'></label>"
                  f"<label>year <input name='year' size='6' value='{_e(item.period_year)}'></label>"
                  "<label>snippet (copied from the page) <input name='snippet' size='40' required></label>")
        return form("add", fields)
    out = []
    if item.kind == "quarantined":
        out.append(form("release"))  # the whole report
        out.append(form("release_fact"))  # this figure alone
    else:
        out.append(form("accept" if item.kind == "held_for_review" else "dismiss"))
    out.append(form("correct", f"<label>corrected value <input name='value' size='10' required></label>"))
    return "".join(out)


def _item_page(item: Item, error: str = "", status: int = 200, shown_page: int | None = None) -> HTMLResponse:
    path = report_path(published_db_path(), item.source_file)
    page = shown_page or item.page or 1  # a missing figure: the steward leafs through the report
    query = urlencode({"file": item.source_file, "page": page,
                       "snippet": item.snippet if page == item.page else ""})
    image = (f"<form method='get'><label>page <input name='page' size='4' value='{page}'></label>"
             f"<button type='submit'>show</button></form>"
             f"<img class='page' alt='page {page} of {_e(item.source_file)}' src='/page.png?{query}'>")
    second = runner_up(path, item) if path else ""
    facts = (f"<table><tr><th>file</th><td>{_e(item.source_file)}</td></tr>"
             f"<tr><th>page</th><td>{_e(item.page)}</td></tr><tr><th>entity</th><td>{_e(item.entity)}</td>"
             f"</tr><tr><th>year</th><td>{_e(item.period_year)}</td>"
             f"</tr><tr><th>indicator</th><td>{_e(item.indicator)}</td></tr><tr><th>value</th>"
             f"<td class='value'>{_e(_number(item.value))}</td></tr><tr><th>runner-up</th>"
             f"<td class='runner-up'>{_e(second or '—')}</td></tr>"
             f"<tr><th>rule</th><td>{_e(item.rule)}</td></tr>"
             f"<tr><th>why</th><td>{_e(item.detail)}</td></tr>"
             f"<tr><th>snippet</th><td>{_e(item.snippet)}</td></tr>"
             "</table>")
    body = (f"<p><a href='/'>← all items</a></p>"
            f"<h1>{_e(KINDS[item.kind])}: {_e(item.entity)} {_e(item.indicator)}</h1>"
            + (f"<p class='err'>{_e(error)}</p>" if error else "")
            + f"<div class='cols'><div>{facts}{_forms(item)}</div><div>{image}</div></div>")
    return _page(f"{item.entity} {item.indicator}", body, status)


async def item_view(request: Request) -> Response:
    item = _find(request.path_params["item_id"])
    if item is None:
        return _page("not found", "<p class='err'>No such open item (decided already?). "
                     "<a href='/'>back</a></p>", 404)
    if request.method == "GET":
        shown = request.query_params.get("page", "")
        return _item_page(item, shown_page=int(shown) if shown.isdigit() and int(shown) > 0 else None)
    # The page's forms post url-encoded fields; the standard library reads them (starlette's own
    # form parser needs python-multipart for nothing more).
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8"),
                                         keep_blank_values=True).items()}
    action = ACTIONS.get(form.get("action", ""))
    if action is None:
        return _item_page(item, f"unknown decision «{form.get('action')}»", 400)
    line = {"source_file": item.source_file, "entity": form.get("entity") or item.entity,
            "period_year": form.get("year") or item.period_year or "",
            "indicator": form.get("indicator") or item.indicator,
            "action": action, "corrected_value": form.get("value", ""), "reviewer": form.get("reviewer", ""),
            "note": form.get("note", ""), "page": form.get("page", ""), "snippet": form.get("snippet", "")}
    if form.get("action") == "release":  # the whole report; release_fact keeps the figure's key
        line.update(entity="", period_year="", indicator="")
    try:
        record(line, published_db_path())
    except (ZhijiaoError, ValueError) as exc:
        return _item_page(item, getattr(exc, "message", None) or str(exc), 400)
    done = (f"{action} {line['entity']} {line['period_year']} {line['indicator']} written; "
            "run make run to apply it.")
    return RedirectResponse("/?" + urlencode({"done": done}), status_code=303)


def page_png(request: Request) -> Response:  # sync: starlette runs it on a thread, the page stays live
    name = Path(request.query_params.get("file", "")).name  # a report of raw/, never a path elsewhere
    path = report_path(published_db_path(), name)
    if path is None:
        return Response(f"{name} is not a loaded report in raw/", status_code=404, media_type="text/plain")
    try:
        number = int(request.query_params.get("page", "1"))
        png = render_page(path, number, request.query_params.get("snippet", ""))
    except Exception as exc:  # a bad page number, a file gone, pdfium failing: all one answer
        return Response(f"cannot render page of {name}: {exc}", status_code=404, media_type="text/plain")
    return Response(png, media_type="image/png")


def make_app() -> Starlette:
    return Starlette(routes=[Route("/", index), Route("/item/{item_id}", item_view, methods=["GET", "POST"]),
                             Route("/page.png", page_png)])


def serve(port: int) -> None:
    import uvicorn

    uvicorn.run(make_app(), host="127.0.0.1", port=port, log_level="warning")
