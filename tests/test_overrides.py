"""Steward overrides answer back: dismiss and accept_value on every kind of issue keep the issue listed
with its new status, the refresh lists what it applied, and a line that matches nothing is an error."""

import shutil

import duckdb
from conftest import RAW

from orchestration.cli import main

HEADER = "source_file,entity,period_year,indicator,action,corrected_value,reviewer,note\n"
XINXIANG, SIPING, LIANGZHOU = "001_cbbc57b736b8bf1c.pdf", "002_cdd6aeb71386346d.pdf", "004_146eca4c6556580a.pdf"


def _refresh(env, monkeypatch, capsys, files: list[str], lines: list[str]) -> tuple[int, str]:
    """A refresh of these sample files with these override lines: its exit code and output."""
    for name in files:
        shutil.copy(RAW / name, env / "raw")
    path = env / "overrides.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    monkeypatch.setenv("ZHIJIAO_OVERRIDES_FILE", str(path))
    code = main(["refresh"])
    return code, capsys.readouterr().out


def test_dismiss_and_correct_keep_the_issue_with_its_status(warehouse_env, monkeypatch, capsys):
    code, out = _refresh(warehouse_env, monkeypatch, capsys, [XINXIANG, LIANGZHOU], [
        f"{XINXIANG},新乡市,2023,direct_employment_total,accept_value,5349,wang,parts add up to 5349",
        f"{LIANGZHOU},凉州区,2022,employment_tertiary_industry_share,dismiss,,wang,the report rounds differently",
        f"{LIANGZHOU},凉州区,2022,training_stations,dismiss,,li,new campus opened",
        f"{LIANGZHOU},凉州区,2022,graduates_total,dismiss,,li,2603 is the audited figure",
    ])
    assert code == 0, out
    published = warehouse_env / "warehouse" / "published.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        status = dict(con.execute("select rule, status from data_quality_issues where (entity_name, indicator) in "
                                  "(('新乡市', 'direct_employment_total'), ('凉州区', 'employment_tertiary_industry_share'), "
                                  "('凉州区', 'training_stations'), ('凉州区', 'graduates_total'))").fetchall())
        # 2602 was held for review (needs_review) beside 2603; dismissed, it is published and conflicts.
        assert status == {"parts_do_not_add_up": "corrected", "rate_disagrees_with_counts": "dismissed",
                          "year_over_year_jump": "dismissed", "conflicting_values": "dismissed", "needs_review": "dismissed"}
        # The correction reaches the marts; a dismissal keeps the figure as extracted.
        assert con.execute("select direct_employment_total from city_year where entity_name = '新乡市' "
                           "and period_year = 2023").fetchone() == (5349,)
        assert con.execute("select graduates_total from county_year where entity_name = '凉州区' "
                           "and period_year = 2022").fetchone() == (2603,)
        assert con.execute("select count(*) from data_quality_issues where status = 'open'").fetchone()[0] >= 1
    applied = [line for line in out.splitlines() if line.startswith("Override applied:")]
    assert len(applied) == 4, out
    assert any("accept_value 新乡市 2023 direct_employment_total" in line and "5342 → 5349" in line for line in applied)
    assert any("dismiss 凉州区 2022 employment_tertiary_industry_share" in line and "dismissed" in line for line in applied)


def test_an_override_that_matches_nothing_names_its_line(warehouse_env, monkeypatch, capsys):
    code, out = _refresh(warehouse_env, monkeypatch, capsys, [LIANGZHOU], [
        f"{LIANGZHOU},凉州区,2022,graduates_total,dismiss,,li,",
        f"{LIANGZHOU},凉洲区,2022,students_total,accept_value,10266,li,misspelt entity",
    ])
    assert code == 1
    assert "line 3" in out and "凉洲区" in out and "matches no extracted fact" in out and "凉州区 2022" in out
    assert "line 2" not in out and "Traceback" not in out
    assert not (warehouse_env / "warehouse" / "published.duckdb").exists()


def test_overrides_answer_reconciliation_and_review_issues(warehouse_env, monkeypatch, capsys):
    """children_exceed_total (the city's report below its schools' sum) and needs_review (a statement
    held back because the report states the figure otherwise too) are answered like any other issue,
    and stay listed with their status."""
    code, out = _refresh(warehouse_env, monkeypatch, capsys, [SIPING], [
        f"{SIPING},四平市,2020,teachers_fulltime,dismiss,,wang,the schools also count part-time teachers",
        f"{SIPING},四平市,2020,majors_total,accept_value,80,wang,the city's count left out merged majors",
        f"{SIPING},四平市,2020,schools_total,accept_value,6,wang,3 are the schools of one admission platform",
    ])
    assert code == 0, out
    with duckdb.connect(str(warehouse_env / "warehouse" / "published.duckdb"), read_only=True) as con:
        issues = con.execute("select rule, indicator, status, value from data_quality_issues "
                             "where entity_name = '四平市' and indicator in "
                             "('teachers_fulltime', 'majors_total', 'schools_total') order by all").fetchall()
        assert issues == [("children_exceed_total", "majors_total", "corrected", 56),
                          ("children_exceed_total", "teachers_fulltime", "dismissed", 710),
                          ("needs_review", "schools_total", "corrected", 3)]
        # The correction reaches the marts and the reconciliation; the dismissal keeps the city's figure.
        assert con.execute("select majors_total, teachers_fulltime, schools_total from city_year "
                           "where entity_name = '四平市' and period_year = 2020").fetchone() == (80, 710, 6)
        assert con.execute("select reported_value, children_exceed_total from reconciliation "
                           "where entity_name = '四平市' and period_year = 2020 "
                           "and indicator = 'majors_total'").fetchone() == (80, False)
    applied = [line for line in out.splitlines() if line.startswith("Override applied:")]
    assert len(applied) == 3, out
    assert any("accept_value 四平市 2020 majors_total" in line and "→ 80" in line
               and "children_exceed_total" in line for line in applied), applied
    assert any("accept_value 四平市 2020 schools_total" in line and "needs_review" in line
               for line in applied), applied
