"""Catalog-driven rules over tables: row labels, column headers, section rows and captions → facts."""

from __future__ import annotations

import re

from ..reports.model import TableBlock
from ..reports.tables import UNIT_CELL, is_numeric_cell
from .catalog import Catalog, Indicator
from .context import ReportContext, bare_unit
from .divisions import short_name
from .levels import level_of
from .periods import caption_year, year_of_label
from .scope import alias_hits, names_a_larger_area, qualified, top_level
from .units import parse_cell, to_canonical

# Suffixes allowed after an alias in a table label, by indicator kind.
LABEL_SUFFIX = {
    "person": ("人数", "总人数", "总数", "数", "数量", "人次", "获", "获取人数", "获得人数", "获证人数", ""),
    "count": ("数", "数量", "总数", "个数", "总量", ""),
    "rate": ("比例", "教师比例", "占比", "率", "比", ""),
    "ratio": ("数", "值", ""),
    "money": ("值", "总值", "金额", "总额", "数", ""),
}

# Row labels that keep a column-oriented table about the report's own entity.
OWN_ROW = re.compile(r"^(?:中职|中等职业学校|中等职业教育|全日制)?(?:合计|总计|全市|全区|全县|全省|总体|人数|数量|数值|数据|比例|情况|统计|指标值)?$")

# The row that totals a section ("中职总计"): with a section indicator, only it is the entity's own.
TOTAL_ROW = re.compile(r"^(?:中职|中等职业学校|中等职业教育|全市|全区|全县|全省|全州)?(?:合计|总计|小计|总数|全部)$")

# A year or school-year span in a header ("2023年", "2023—2024学年"), removed to see what else it says.
YEAR_TEXT = re.compile(r"(?:19|20)\d\d\s*(?:[-—–~至]\s*(?:19|20)?\d\d)?\s*(?:学年度|学年|年度|年)?")
CAPTION_UNIT = re.compile(r"单位\s*[：:]\s*([^）)，,；;\s]{1,6})")

SKIP_ROW = re.compile(r"变化|增减|增幅|同比|差值|增长率|变动|较上年|比上年")

UNIT_HEADER = re.compile(r"^(?:单位|计量单位)$")

INDEX_HEADER = re.compile(r"^(?:序号?|编号|No\.?)$", re.IGNORECASE)

PAREN_UNIT = re.compile(r"[（(]\s*([^（）()]{1,8}?)\s*[)）]")

COUNT_GROUP = re.compile(r"^(?:学生|教师|教职工|人员|师资|毕业生)?(?:人数|数|数量|情况)$")

BARE_YEAR = re.compile(r"^(?:19|20)\d\d$")

YEAR_COLUMN_OK = re.compile(r"^(?:数量|数值|数据|值|合计|总计|本年|当年|指标值|数|人数)?$")
# The header of a column that holds the row indicator's own value, and the kinds it may hold:
# "实际执行（万元）", "金额", "满意度"; "比例（%）" beside a count holds its share.
OWN_VALUE_COLUMN = {
    re.compile(r"^(?:本年|当年|本期)?(?:实际执行|实际完成|实际|执行|完成|实有)(?:数|值|额|金额|人数)?$"): None,
    re.compile(r"^(?:金额|数额|资金|总额|投入)$"): ("money",),
    re.compile(r"^(?:满意度|满意率)$"): ("rate",),
}
SHARE_COLUMN = re.compile(r"^(?:所?占[\u4e00-\u9fff]{0,8}?)?(?:比例|占比|比重|百分比)$")
# A column of head counts: a rate's label there names the count, not the rate ("高级职称教师 | 68 | 25.66%").
HEADCOUNT_COLUMN = re.compile(r"^(?:人数|数量|人次|数)$")
# "项目 | 人次 | 金额（万元）": beside an amount, the count of those it reached.
COUNT_COLUMN = re.compile(r"^(?:受助|资助|享受)?(?:人次|人数)$")
# A value cell that carries its unit ("1.9万元", "779752册"): a data row, not a header.
VALUE_WITH_UNIT = re.compile(r"^\d[\d,，]*(?:\.\d+)?(?:万|亿)?(?:人次|人|名|元|所|个|册|项|门|台|%|％)$")
# Columns beside the value that are not it: plans, budgets, benchmarks, other areas' averages.
NOT_OWN_VALUE = re.compile(r"目标|计划|预算|预计|规划|全国|平均|标准|要求|增减|变化|增长|同比|排名|位次|差")
# A column named for the report's own area or school ("浙江省 | 全国平均").
OWN_AREA_COLUMN = re.compile(r"^(?:全市|全区|全县|全省|全州|本市|本区|本县|本省|本校|我校|全校|学校)$")


def _strip_label(text: str) -> str:
    text = re.sub(r"^(?:其中[：:]?|包括[：:]?|含[：:]?)", "", text)
    text = re.sub(r"[（(][^（）()]*(?:[)）]|$)", "", text)  # a cell cut short may lose its closing bracket
    text = re.sub(r"[\s*＊#※]", "", text)
    # A two-level header flattened ("在校生数（人）全日制"): the full-time total is the indicator.
    return re.sub(r"(?<!非)(?:全日制|合计|总计)$", "", text) if len(text) > 4 else text


def caption_indicator(catalog: Catalog, caption: str) -> Indicator | None:
    """The one indicator a table caption names, when its unit (单位：所) agrees."""
    if not caption:
        return None
    text = YEAR_TEXT.sub("", caption)
    found = {catalog[h.code].code for h in top_level(alias_hits(catalog, text)) if not qualified(text, h.start, alias_hits(catalog, text))}
    unit = CAPTION_UNIT.search(caption)
    if len(found) != 1:
        return None
    ind = catalog[found.pop()]
    if unit and to_canonical(1, unit.group(1), ind.unit) is None:
        return None
    return ind


def _looks_like_unit(text: str) -> bool:
    return bool(re.fullmatch(r"(?:万|亿)?(?:人次|人|名|所|个|册|元|%|％|‰|台|门|项)?(?:/\s*(?:生|人))?|[:：]|万元/生|个/生|册/\s*生", text.replace(" ", ""))) and bool(text.strip())


def _label_unit(text: str) -> str:
    for m in PAREN_UNIT.finditer(text):
        if _looks_like_unit(m.group(1)):
            return m.group(1).replace(" ", "")
    return ""


def match_label(catalog: Catalog, label: str) -> Indicator | None:
    """The indicator a table label names: an alias with only scope words before it and a kind-suitable suffix."""
    text = _strip_label(label)
    if not text:
        return None
    hits = alias_hits(catalog, text)
    for h in sorted(hits, key=lambda h: (h.end - h.start), reverse=True):
        ind = catalog[h.code]
        suffix = text[h.end :]
        kind = "person" if ind.unit in ("人", "人次") else ind.kind
        if suffix not in LABEL_SUFFIX.get(kind, ("",)):
            continue
        if qualified(text, h.start, hits):
            continue
        return ind
    return None


def _fill_right(row: list[str]) -> list[str]:
    out, last = [], ""
    for cell in row:
        last = cell or last
        out.append(cell or last)
    return out


def _canonical_table_unit(unit: str) -> str:
    unit = unit.replace("％", "%").replace(" ", "")
    if re.fullmatch(r"[—\-－/／~～]+|无", unit):
        return ""  # "生师比 | — | 17.45": no unit given
    return {":": ":1", "：": ":1", "比": ":1"}.get(unit, unit)


class TableExtractor:
    def __init__(self, ctx: ReportContext):
        self.ctx = ctx
        self.catalog = ctx.catalog

    def run(self, tables: list[TableBlock]) -> None:
        for table in tables:
            self._table(table)

    def _table(self, table: TableBlock) -> None:
        self._prev_was_header = False
        # A table of all levels (普通高校, 普通高中, 中等职业学校 …): the 中职 row or column is the one.
        self._levels_table = any(level_of(cell) == "other" for row in table.rows for cell in row)
        header_rows: list[list[str]] = []
        last_label = ""
        width = max(len(r) for r in table.rows)
        for row in table.rows:
            row = row + [""] * (width - len(row))
            numeric = [j for j, c in enumerate(row) if is_numeric_cell(c) or VALUE_WITH_UNIT.match(c.replace(' ', ''))]
            values_from = min((j for j in numeric if j > 0), default=None)
            if values_from is not None:
                # A count that looks like a year ("红山区 5 6820 1985 96.4") is a value when it
                # follows other values or stands under a year's header ("万元 | 1980 | 2360" under
                # 2022年 | 2023年); before them it labels the row ("1 | 2021 | 3000").
                year_headers = {j for j, h in enumerate(self._headers(header_rows, width)) if year_of_label(h.replace(" ", ""))}
                numeric = sorted(set(numeric) | {j for j, c in enumerate(row) if (j > values_from or j in year_headers)
                                                 and BARE_YEAR.match(c.replace(" ", ""))})
            index_cols = self._index_columns(header_rows, row)
            data_cols = [j for j in numeric if j not in index_cols]
            if not data_cols:
                unit_col = self._unit_column(header_rows)
                started = bool(header_rows) and not self._prev_was_header
                unit_cell = (unit_col is not None and row[unit_col]) or any(UNIT_CELL.match(c) for c in row)
                if (unit_cell and header_rows) or (started and sum(1 for c in row if c) < 3):
                    continue  # a data row whose value is text ("高职填报"), not a new header
                if header_rows and self._prev_was_header:
                    header_rows.append(row)
                else:
                    header_rows = [row]
                self._prev_was_header = True
                continue
            self._prev_was_header = False
            pairs = self._label_value_pairs(row, data_cols, index_cols)
            if pairs:
                # "指标 | 数值 | 指标 | 数值": each label with the numbers after it, as a row of its own.
                for cols in pairs:
                    headers = [[r[c] if c < len(r) else "" for c in cols] for r in header_rows]
                    self._row(table, [row[c] for c in cols], headers, list(range(1, len(cols))), set(), "")
                continue
            self._row(table, row, header_rows, data_cols, index_cols, last_label)
            label = self._row_label(row, header_rows, data_cols, index_cols)
            last_label = label or last_label

    _prev_was_header = False
    _levels_table = False

    def _label_value_pairs(self, row, data_cols, index_cols) -> list[list[int]]:
        """The columns of each label and its numbers, when a row holds several indicator labels each
        followed by its value ("全日制在校生（人） 3,468 专任教师（人） 236"); [] for any other row."""
        labels = [j for j, c in enumerate(row) if c and j not in data_cols and j not in index_cols]
        if len(labels) < 2 or labels[0] > min(data_cols) or not any(j > min(data_cols) for j in labels):
            return []
        if any(match_label(self.catalog, row[j]) is None for j in labels):
            return []
        bounds = labels + [len(row)]
        pairs = [[j, *[c for c in data_cols if j < c < bounds[k + 1]]] for k, j in enumerate(labels)]
        return pairs if all(len(cols) > 1 for cols in pairs) else []

    @staticmethod
    def _index_columns(header_rows, row) -> set[int]:
        cols = set()
        if header_rows:
            for j, cell in enumerate(header_rows[0]):
                if INDEX_HEADER.match(cell.replace(" ", "")):
                    cols.add(j)
        elif row and re.fullmatch(r"\d{1,3}", row[0] or "") and len(row) > 2:
            cols.add(0)
        return cols

    def _headers(self, header_rows, width) -> list[str]:
        if not header_rows:
            return [""] * width
        filled = [_fill_right(r) for r in header_rows[:-1]] + [header_rows[-1]]
        return ["".join(r[j] for r in filled if j < len(r)) for j in range(width)]

    def _own_value_column(self, header: str, ind: Indicator) -> bool:
        """Whether a column, by its header, holds the row indicator's own value."""
        if YEAR_COLUMN_OK.match(header) or SHARE_COLUMN.match(header):
            return True
        if NOT_OWN_VALUE.search(header):
            return False
        if OWN_AREA_COLUMN.match(header) and not names_a_larger_area(header, len(header), self.ctx.entity):
            return True
        if header in (self.ctx.entity.name, short_name(self.ctx.entity.name)):
            return True
        if level_of(header) == "vocational":
            return True  # "指标 | 小学 | 初中 | 中等职业学校": the 中职 column of a table of all levels
        return any(pattern.match(header) and (kinds is None or ind.kind in kinds) for pattern, kinds in OWN_VALUE_COLUMN.items())

    def _unit_column(self, header_rows) -> int | None:
        for r in header_rows:
            for j, cell in enumerate(r):
                if UNIT_HEADER.match(cell.replace(" ", "")):
                    return j
        return None

    def _row_label(self, row, header_rows, data_cols, index_cols) -> str:
        unit_col = self._unit_column(header_rows)
        first = min(data_cols)
        return "".join(c for j, c in enumerate(row[:first]) if j not in index_cols and j != unit_col)

    def _row(self, table, row, header_rows, data_cols, index_cols, last_label) -> None:
        headers = self._headers(header_rows, len(row))
        unit_col = self._unit_column(header_rows)
        label = self._row_label(row, header_rows, data_cols, index_cols)
        if SKIP_ROW.search(label):
            return
        if not label and last_label and unit_col is not None:
            label = last_label  # a sub-row that only changes the unit
        if names_a_larger_area(label, len(label), self.ctx.entity):
            return  # a row for the province in a city's table ("全省"): a benchmark
        label_year = year_of_label(_strip_label(label)) if label else None
        # In a table of all levels, a row named for 中职 says whose the row is, not what it counts
        # (中等职业学校 is also an alias of the school count): its measure is the column's or caption's.
        level_row = self._levels_table and level_of(label) == "vocational"
        named = label and label_year is None and not level_row
        label_ind = match_label(self.catalog, label) if named else None
        year_cols = [j for j in data_cols if year_of_label(headers[j].replace(" ", "")) is not None]
        entity = self.ctx.entity
        snippet_row = "\t".join(c for c in row if c)
        label_cols = [j for j in range(min(data_cols)) if j not in index_cols and j != unit_col]
        section = (match_label(self.catalog, headers[label_cols[0]]) if label_cols else None) or caption_indicator(
            self.catalog, table.caption)
        caption_unit = CAPTION_UNIT.search(table.caption)
        # A year of the caption's own is the period of every row with none in its label or column.
        default_year = caption_year(table.caption) or self.ctx.body_year
        for j in data_cols:
            header = headers[j]
            col_year = year_of_label(re.sub(r"^.*?((?:19|20)\d\d.*)$", r"\1", header)) if header else None
            if label_ind is not None:
                ind = label_ind
                qualifier = YEAR_TEXT.sub("", header)
                if year_cols and j not in year_cols:
                    continue
                if "生均" in qualifier:
                    if not ind.per_student_code:
                        continue
                    ind = self.catalog[ind.per_student_code]
                elif (COUNT_COLUMN.match(_strip_label(qualifier)) or ind.kind == "rate" and HEADCOUNT_COLUMN.match(
                        _strip_label(qualifier))) and ind.count_code:
                    ind = self.catalog[ind.count_code]
                elif ind.kind == "rate" and HEADCOUNT_COLUMN.match(_strip_label(qualifier)):
                    continue
                elif SHARE_COLUMN.match(_strip_label(qualifier)) and ind.kind != "rate":
                    if not ind.share_code:
                        continue
                    ind = self.catalog[ind.share_code]
                elif not self._own_value_column(_strip_label(qualifier), ind):
                    continue
                year = col_year or label_year or default_year
            else:
                head_text = YEAR_TEXT.sub("", header)
                ind = match_label(self.catalog, head_text) if head_text else None
                if ind is None and len(header_rows) > 1 and j < len(header_rows[-1]) and header_rows[-1][j] \
                        and COUNT_GROUP.match(_strip_label(_fill_right(header_rows[-2])[j])):
                    # A grouped header that only says what is counted ("教师数（人）" over "专任教师"): the
                    # lower cell names the column. A group that scopes ("普通高中") or is a rate whose
                    # parts these are ("毕业率" over "毕业人数") does not let it.
                    ind = match_label(self.catalog, YEAR_TEXT.sub("", header_rows[-1][j]))
                if ind is None and j > 0 and SHARE_COLUMN.match(_strip_label(head_text)):
                    # "双师型教师 | 占比": the share of the count in the column before.
                    before = match_label(self.catalog, YEAR_TEXT.sub("", headers[j - 1]))
                    ind = self.catalog[before.share_code] if before is not None and before.share_code else None
                if ind is None and not _strip_label(head_text) and section is not None:
                    # A year column of a section ("在校生 | 2015年 | 2016年"): only its total row.
                    if label_year is None and not TOTAL_ROW.match(_strip_label(label)) and not level_row:
                        continue
                    ind = section
                if ind is None:
                    continue
                year = label_year or col_year or default_year
                stripped = _strip_label(label)
                own_row = level_row or OWN_ROW.match(stripped) or TOTAL_ROW.match(stripped)
                if label_year is None and not own_row:
                    # A row about a school or a place of the area ("三台县刘营职业高级中学", "襄垣县") is
                    # that one's, whatever other label cells say of it (区属, 民办); a row about
                    # anything else (a major, a sub-group) is no fact.
                    entity = next(filter(None, (self.ctx.row_entity_of(row[c]) for c in label_cols if row[c])), None)
                    if entity is None:
                        continue
            q = parse_cell(row[j])
            if q is None:
                continue
            unit = (q.unit or _canonical_table_unit(row[unit_col] if unit_col is not None else "") or _label_unit(header)
                    or _label_unit(label) or (caption_unit.group(1) if caption_unit else ""))
            unit = _canonical_table_unit(unit)
            if ind.code == "student_teacher_ratio" and unit in (":1", ""):
                unit = ":1" if q.unit == ":1" or unit == ":1" else ""
            value = to_canonical(q.number, unit, ind.unit) if unit else to_canonical(q.number, bare_unit(ind), ind.unit)
            if value is None and unit in ("万元",) and ind.unit == "元/生":
                value = to_canonical(q.number, "万元/生", ind.unit)
            if value is None:
                continue
            if not ind.in_context(header + label):
                continue
            self.ctx.add(entity, table.page, year, ind, value, snippet_row, "table", f"table.{table.method}", q)
