"""Comparisons analysts can trust (#13): stable identities, honest rollups, like-for-like changes.

Each case is a real refresh of the samples plus test PDFs of its own kind, through Dagster, dbt and GX."""

import os
import shutil

import duckdb
from conftest import RAW
from pdf_factory import ReportWriter, school_report
from test_yearly import city_report_2024

from orchestration.cli import main


def q(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def county_report(path, title, students, staff, teachers, graduates, cover_lines=()):
    """A county's own report (全区…): students, graduates, staff and full-time teachers."""
    writer = ReportWriter(path, title)
    for line in cover_lines:
        writer.paragraph(line)
    writer.heading("一、基本情况")
    writer.paragraph(f"2023年，全区中等职业学校在校生{students}人，毕业生{graduates}人。"
                     f"全区中等职业学校教职工{staff}人，其中专任教师{teachers}人。")
    return writer.save()


def samples_into(raw):
    for pdf in RAW.glob("*.pdf"):
        shutil.copy(pdf, raw)


def published(env):
    return env / "warehouse" / "published.duckdb"


def test_two_districts_that_share_a_name_stay_apart(warehouse_env):
    raw = warehouse_env / "raw"
    samples_into(raw)
    # 福州's 鼓楼区 has more full-time teachers (300) than 南京's has staff (200): keyed by name, that
    # was a false subset_exceeds_whole, and two students_total a false conflicting_values.
    county_report(raw / "fz_gulou.pdf", "福州市鼓楼区中等职业教育质量年度报告（2023年）", 4210, 350, 300, 1300)
    county_report(raw / "nj_gulou.pdf", "南京市鼓楼区中等职业教育质量年度报告（2023年）", 2650, 200, 180, 800)
    assert main(["refresh"]) == 0
    db = published(warehouse_env)

    assert q(db, "select entity_id, admin_code, city_name, students_total, teachers_fulltime from county_year "
                 "where entity_name = '鼓楼区' order by entity_id") == [
        ("320106", "320106", "南京市", 2650, 180), ("350102", "350102", "福州市", 4210, 300)]
    assert q(db, "select count(*) from data_quality_issues where entity_name = '鼓楼区'") == [(0,)]
    # Each rollup lands in its own city, as one county report of that city's counties.
    cities = q(db, "select entity_name, entity_id, basis, value, children_covered, children_total, rollup_of from area_indicator_year "
                   "where level = 'city' and indicator = 'students_total' and entity_id in ('320100', '350100') order by entity_id")
    assert [c[:5] for c in cities] == [("南京市", "320100", "rollup", 2650, 1), ("福州市", "350100", "rollup", 4210, 1)]
    assert all(c[5] > 1 and c[6] == "1 county report" for c in cities)
    assert q(db, "select count(*) from area_indicator_year where entity_id = '410204'") == [(0,)]  # 开封市鼓楼区
    assert q(db, "select count(*) from facts where entity_name = '鼓楼区' and entity_id not in ('320106', '350102')") == [(0,)]
    _assert_comparison_keys_are_unique(db)


def test_two_districts_told_apart_by_their_issuing_bodies_and_a_third_left_for_review(warehouse_env):
    raw = warehouse_env / "raw"
    county_report(raw / "fz_gulou.pdf", "鼓楼区中等职业教育质量年度报告（2023年）", 4210, 350, 300, 1300,
                  cover_lines=["福州市鼓楼区教育局", "2024年1月"])
    county_report(raw / "nj_gulou.pdf", "鼓楼区中等职业教育质量年度报告（2023年）", 2650, 200, 180, 800,
                  cover_lines=["南京市鼓楼区教育局", "2024年1月"])
    # Nothing in this one says which 鼓楼区: no silent guess, a needs_review issue.
    county_report(raw / "bare_gulou.pdf", "鼓楼区中等职业教育质量年度报告（2023年）", 1000, 100, 80, 300)
    assert main(["refresh"]) == 0
    db = published(warehouse_env)
    assert q(db, "select entity_id, entity_name, city_name, students_total from county_year order by 1") == [
        ("320106", "鼓楼区", "南京市", 2650), ("350102", "鼓楼区", "福州市", 4210), (":鼓楼区", "鼓楼区", None, 1000)]
    assert q(db, "select entity_id, students_total from city_year order by 1") == [("320100", 2650), ("350100", 4210)]
    issues = q(db, "select rule, severity, entity_id, source_file from data_quality_issues")
    assert issues == [("needs_review", "review", ":鼓楼区", "bare_gulou.pdf")]


def test_a_rollup_is_not_compared_with_a_report_until_the_city_reports_again(warehouse_env):
    raw = warehouse_env / "raw"
    samples_into(raw)
    school_report(raw / "yanjin_2024.pdf", "延津县职业中等专业学校", 2024, 4300, 370, 340, 1250, 97.5, 96.1)
    assert main(["refresh"]) == 0
    db = published(warehouse_env)
    sql = ("select value, prev_value, basis, prev_basis, comparable, not_comparable_reason, abs_change, pct_change, rank_in_level "
           "from yearly_comparison where entity_name = '新乡市' and indicator = 'students_total' and period_year = 2024")
    [(value, prev, basis, prev_basis, comparable, reason, abs_change, pct_change, rank)] = q(db, sql)
    assert (value, prev, basis, prev_basis, comparable) == (4300, 45100, "rollup", "reported", False)
    assert reason == "2024 is a rollup of 1 school; 2023 is 新乡市's own report"
    assert (abs_change, pct_change, rank) == (None, None, None)
    # The rollup says how much of the city it covers, and no review flag claims a 90% fall.
    assert q(db, "select children_covered, children_total from area_indicator_year "
                 "where entity_name = '新乡市' and period_year = 2024 and indicator = 'students_total'") == [(1, 12)]
    assert q(db, "select count(*) from data_quality_issues where entity_name = '新乡市' and rule = 'year_over_year_jump'") == [(0,)]
    # The school itself is compared like for like.
    assert q(db, "select comparable, abs_change from yearly_comparison where entity_name = '延津县职业中等专业学校' "
                 "and indicator = 'students_total' and period_year = 2024") == [(True, 84.0)]

    city_report_2024(raw / "xinxiang_2024.pdf")
    assert main(["refresh"]) == 0
    assert q(db, sql) == [(46000, 45100, "reported", "reported", True, None, 900.0, 2.0, 1)]
    _assert_comparison_keys_are_unique(db)


def _assert_comparison_keys_are_unique(db):
    assert q(db, "select level, entity_id, indicator, period_year from yearly_comparison group by all having count(*) > 1") == []


def test_yearly_comparison_is_unique_on_level_entity_id_indicator_and_year(refreshed):
    _assert_comparison_keys_are_unique(refreshed["published"])


def test_a_provinces_rate_is_never_built_from_two_statements(refreshed):
    # 新乡市 states 初次就业 6187 and 12242 graduates, but no employment rate: 50.54% is no one's figure.
    db = refreshed["published"]
    assert q(db, "select employment_rate from province_year where entity_name = '河南省' and period_year = 2023") == [(None,)]
    assert q(db, "select count(*) from area_indicator_year where entity_name = '河南省' and period_year = 2023 "
                 "and indicator = 'employment_rate'") == [(0,)]
    # Rates that are rolled up use the same sources for both parts (a blocking dbt test checks every one).
    assert q(db, "select value, source_ids from area_indicator_year where entity_name = '武威市' and period_year = 2022 "
                 "and indicator = 'employment_rate'") == [(97.23, "620602")]


def test_province_rows_say_how_much_they_cover_and_unlike_years_are_not_compared(refreshed):
    db = refreshed["published"]
    assert q(db, "select basis, children_covered, children_total from area_indicator_year "
                 "where entity_name = '河南省' and period_year = 2023 and indicator = 'students_total'") == [("rollup", 1, 17)]
    # 甘肃省 2023 is 庆阳市's report, 2022 was 凉州区's: not the same province twice.
    [(comparable, reason, pct)] = q(db, "select comparable, not_comparable_reason, pct_change from yearly_comparison "
                                        "where entity_name = '甘肃省' and indicator = 'students_total' and period_year = 2023")
    assert comparable is False and pct is None
    assert reason == "2023 is a rollup of 1 city report; 2022 is a rollup of 1 county report"


def test_reconciliation_sets_an_areas_report_beside_its_childrens_sum(refreshed):
    db = refreshed["published"]
    assert q(db, "select reported_value, rollup_value, gap, children_covered, children_total, children_exceed_total "
                 "from reconciliation where entity_name = '新乡市' and period_year = 2023 and indicator = 'students_total'") == [
        (45100, 4216, -40884, 1, 12, False)]
    # 四平市's six schools count more full-time teachers (797) than the city's report (710): a review issue.
    issues = q(db, "select severity, entity_id, detail from data_quality_issues "
                   "where rule = 'children_exceed_total' and entity_name = '四平市' and indicator = 'teachers_fulltime'")
    assert len(issues) == 1 and issues[0][:2] == ("review", "220300") and "797" in issues[0][2] and "710" in issues[0][2]


def test_counts_are_integers_in_the_marts_and_exports(refreshed, tmp_path, monkeypatch):
    db = refreshed["published"]
    types = dict(q(db, "select column_name, data_type from information_schema.columns where table_name = 'city_year'"))
    assert types["students_total"] == "BIGINT" and types["employment_rate"] == "DOUBLE" and types["equipment_value"] == "DOUBLE"
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    assert main(["export", "--format", "csv", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "school_year.csv").read_text(encoding="utf-8")
    assert ",4216," in text and "4216.0" not in text


def test_every_mart_row_carries_an_entity_id(refreshed):
    db = refreshed["published"]
    for table in ("facts", "school_year", "county_year", "city_year", "province_year", "yearly_comparison",
                  "data_quality_issues", "area_indicator_year", "reconciliation"):
        assert q(db, f"select count(*) from {table} where entity_id is null") == [(0,)], table
        columns = {r[0] for r in q(db, f"select column_name from information_schema.columns where table_name = '{table}'")}
        assert {"entity_id", "entity_name"} <= columns and "entity" not in columns, table
    assert q(db, "select entity_id from school_year where entity_name = '延津县职业中等专业学校' limit 1") == [("410726:延津县职业中等专业学校",)]


def test_school_codes_and_uncertain_subjects_reach_the_marts(tmp_path):
    """The dbt side of report metadata that recognition fills (documents.school_code, review_reason):
    a real dbt build on the samples' facts, with those two fields set as the recognition step would."""
    from orchestration.defs.transform.dbt import dbt_resource
    from orchestration.intake.inventory import inventory
    from orchestration.intake.workers import process_all
    from orchestration.warehouse.overrides import load_overrides
    from orchestration.warehouse.store import frames, load_raw

    db = tmp_path / "build.duckdb"
    documents, facts = frames(process_all(inventory(RAW), None, workers=1))
    documents.loc[documents["file_name"] == "000_ad8fa0dc1b023aac.pdf", "school_code"] = "4141010726"
    documents.loc[documents["file_name"] == "004_146eca4c6556580a.pdf", "review_reason"] = "凉州区 is named without its city"
    load_raw(db, {"documents": documents, "facts": facts, "fact_overrides": load_overrides()})
    os.environ["ZHIJIAO_BUILD_DB"] = str(db)
    assert dbt_resource.cli(["build"], target_path=tmp_path / "target", raise_on_error=False).wait().is_successful()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select distinct entity_id from school_year where entity_name = '延津县职业中等专业学校'").fetchall() == [("4141010726",)]
        assert con.execute("select count(*) from facts where entity_name = '延津县职业中等专业学校' and entity_id <> '4141010726'").fetchone() == (0,)
        flagged = con.execute("select severity, entity_id, source_file, detail from data_quality_issues where rule = 'needs_review' "
                              "and severity = 'review'").fetchall()
    assert flagged == [("review", "620602", "004_146eca4c6556580a.pdf",
                        "report subject 凉州区 (620602) is uncertain: 凉州区 is named without its city")]


def test_the_html_report_shows_only_comparable_changes_and_coverage(refreshed, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIJIAO_WAREHOUSE_DIR", str(refreshed["dir"]))
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    # Coverage beside rollup figures; the reason in place of a change across bases.
    assert "河南省（2023，汇总 1/17 市）" in page and "汇总 1/17 市" in page
    assert "2023 is a rollup of 1 city report; 2022 is a rollup of 1 county report" in page
    # Bars of partial rollups say plainly that they do not compare.
    assert "彼此不可比较" in page
    # Axes with scales (tick labels), and Chinese names in place of codes in the issues.
    assert ">10,000</text>" in page and ">40,000</text>" in page
    assert "实训工位数（个） changed 211.65%" in page and "training_stations" not in page


def test_gates_block_a_change_across_bases_and_a_rollup_without_coverage(refreshed):
    from orchestration.quality.gates import validate
    from orchestration.warehouse.store import read_table

    comparison = read_table(refreshed["build"], "yearly_comparison")
    assert validate("yearly_comparison", comparison).success
    unlike = comparison.index[comparison["comparable"] == False][0]  # noqa: E712 (a nullable boolean column)
    comparison.loc[unlike, "pct_change"] = -90.45
    result = validate("yearly_comparison", comparison)
    assert not result.success and any("pct_change" in f for f in result.failures)

    areas = read_table(refreshed["build"], "area_indicator_year")
    assert validate("area_indicator_year", areas).success
    rollup = areas.index[areas["basis"] == "rollup"][0]
    areas.loc[rollup, "children_covered"] = areas.loc[rollup, "children_total"] + 1
    result = validate("area_indicator_year", areas)
    assert not result.success and any("children_total vs children_covered" in f for f in result.failures)
