"""One misread report never blocks the rest: a report whose figures fail a blocking gate is set aside
(quarantined) with its reason and the others publish; a release line takes it back; a failure that
rests on no report, or on every report, blocks publication and keeps the last publication.
Each case is a real refresh through Dagster, dbt and GX on real PDFs."""

import json
import shutil

import duckdb
import pytest
from conftest import RAW
from pdf_factory import city_report

from orchestration.cli import main
from orchestration.paths import EXPECTATIONS_DIR
from orchestration.quality.quarantine import quarantine_limit

HEADER = "source_file,entity,period_year,indicator,action,corrected_value,reviewer,note\n"
XINXIANG = "001_cbbc57b736b8bf1c.pdf"
# Plausible alone, so the line loads, but more full-time teachers than the city has staff (2652).
TOO_MANY_TEACHERS = f"{XINXIANG},新乡市,2023,teachers_fulltime,accept_value,2900,wang,typo?"


def _samples(env) -> None:
    for pdf in RAW.glob("*.pdf"):
        shutil.copy(pdf, env / "raw")


def _overrides(env, monkeypatch, *lines: str) -> None:
    path = env / "overrides.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    monkeypatch.setenv("ZHIJIAO_OVERRIDES_FILE", str(path))


def _published(env, sql: str) -> list[tuple]:
    with duckdb.connect(str(env / "warehouse" / "published.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
def test_a_report_failing_a_gate_is_set_aside_alone_then_released(warehouse_env, monkeypatch, capsys):
    _samples(warehouse_env)
    _overrides(warehouse_env, monkeypatch, TOO_MANY_TEACHERS)
    assert main(["refresh"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # rich wraps the summary's tables
    assert "Set aside by the gates: 1 report(s)" in out and XINXIANG in out
    assert "staff_total 2652 < teachers_fulltime 2900" in out

    documents = _published(warehouse_env, "select source_file, quarantined, quarantine_reason from documents")
    assert [d[0] for d in documents if d[1]] == [XINXIANG]
    reason = next(d[2] for d in documents if d[1])
    assert "city_year: 新乡市 2023" in reason and "release" in reason
    # The others publish; nothing of the set-aside report reaches a mart.
    assert _published(warehouse_env, "select count(*) from school_year "
                                     "where entity_name like '延津%'")[0][0] >= 1
    assert _published(warehouse_env, "select count(*) from city_year where entity_name = '四平市'")[0][0] >= 1
    assert _published(warehouse_env, "select count(*) from city_year "
                                     "where entity_name = '新乡市' and period_year = 2023 "
                                     "and basis = 'reported'") == [(0,)]
    assert _published(warehouse_env, f"select count(*) from facts where source_file = '{XINXIANG}' "
                                     "and (is_chosen or not quarantined)") == [(0,)]
    issues = _published(warehouse_env, f"select status, detail from data_quality_issues "
                                       f"where rule = 'quarantined' and source_file = '{XINXIANG}'")
    assert issues and {s for s, _ in issues} == {"quarantined"}
    assert all("gx_city_year" in d and "2900" in d for _, d in issues)

    # Released, the report publishes but for the two figures the failing row rests on.
    _overrides(warehouse_env, monkeypatch, TOO_MANY_TEACHERS,
               f"{XINXIANG},,,,release,,wang,the rest is right")
    assert main(["refresh"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "2 fact(s) of this released report set aside" in out
    assert _published(warehouse_env, "select students_total, staff_total, teachers_fulltime "
                                     "from city_year where entity_name = '新乡市' "
                                     "and period_year = 2023") == [(45100, None, None)]
    assert _published(warehouse_env, "select count(*) from documents where quarantined") == [(0,)]


@pytest.mark.slow
def test_a_failure_resting_on_no_report_blocks_and_keeps_the_publication(warehouse_env, monkeypatch, capsys):
    _samples(warehouse_env)
    assert main(["refresh"]) == 0
    published = warehouse_env / "warehouse" / "published.duckdb"
    before = published.resolve().read_bytes()
    # A stricter suite whose table-level rule (a row count) no report can be blamed for.
    suites = warehouse_env / "suites"
    shutil.copytree(EXPECTATIONS_DIR, suites)
    suite = json.loads((suites / "yearly_comparison.json").read_text(encoding="utf-8"))
    suite["expectations"].append({"type": "expect_table_row_count_to_be_between",
                                  "kwargs": {"min_value": 0, "max_value": 10},
                                  "meta": {"notes": "at most 10 rows"}})
    (suites / "yearly_comparison.json").write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("ZHIJIAO_EXPECTATIONS_DIR", str(suites))
    assert main(["refresh", "--force"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "rest on no report" in out and "at most 10 rows" in out
    assert published.resolve().read_bytes() == before


@pytest.mark.slow
def test_a_report_that_would_leave_nothing_is_not_set_aside(warehouse_env, monkeypatch, capsys):
    shutil.copy(RAW / XINXIANG, warehouse_env / "raw")
    _overrides(warehouse_env, monkeypatch, TOO_MANY_TEACHERS)
    assert main(["refresh"]) == 1
    assert "would set aside 1 of 1 reports" in " ".join(capsys.readouterr().out.split())


def test_the_quarantine_limit_is_a_share_with_a_floor_and_never_everything():
    assert quarantine_limit(1) == 0
    assert quarantine_limit(5) == 3
    assert quarantine_limit(100) == 10
    assert quarantine_limit(10_000) == 1_000


@pytest.mark.slow
def test_a_new_years_report_of_a_sample_area_publishes_as_its_own_and_is_compared(warehouse_env, capsys):
    """新乡市 2024 beside the samples: a title that names no place, and 其中公办学校 on a line of its own
    (once read as the subject, which put a school rollup in the city's place and blocked publication)."""
    _samples(warehouse_env)
    city_report(warehouse_env / "raw" / "xinxiang_2024.pdf", "新乡市", "河南省", 2024,
                title="中等职业教育质量年度报告（2024年）", break_before=("其中",))
    assert main(["refresh"]) == 0, capsys.readouterr().out
    assert _published(warehouse_env, "select subject, admin_code, quarantined from documents "
                                     "where source_file = 'xinxiang_2024.pdf'") == [("新乡市", "410700", False)]
    assert _published(warehouse_env, "select basis, students_total from city_year "
                                     "where entity_id = '410700' "
                                     "and period_year = 2024") == [("reported", 46820)]
    [(comparable, change)] = _published(warehouse_env, """
        select comparable, abs_change from yearly_comparison
        where entity_id = '410700' and indicator = 'students_total' and period_year = 2024""")
    assert comparable and change == 46820 - 45100


@pytest.mark.slow
def test_a_rollup_never_sets_a_part_above_its_whole_and_keeps_the_parts_coverage(warehouse_env, capsys):
    """Three schools of one county: one states staff and teachers, two teachers alone. The county's
    rollup carries all three schools' teachers (510) and no staff figure (260 would be one school's,
    below its part): consistent by construction, no gate can fail on it, and nothing is set aside."""
    from pdf_factory import ReportWriter, school_report

    raw = warehouse_env / "raw"
    school_report(raw / "a.pdf", "辉县市职业中等专业学校", 2023, 3000, 260, 240, 900, 96.0, 95.0)
    for name, school, students, teachers in [("b.pdf", "辉县市第二职业高级中学", 2000, 150),
                                             ("c.pdf", "辉县市卫生职业中专学校", 1500, 120)]:
        writer = ReportWriter(raw / name, f"{school}质量年度报告（2023年）")
        writer.heading("一、学校基本情况")
        writer.paragraph(f"2023年，学校全日制学历教育在校生{students}人，专任教师{teachers}人。")
        writer.save()
    assert main(["refresh"]) == 0, capsys.readouterr().out
    assert "Set aside" not in capsys.readouterr().out
    [(teachers, staff, ratio)] = _published(warehouse_env, """
        select teachers_fulltime, staff_total, student_teacher_ratio from county_year
        where entity_name = '辉县市' and period_year = 2023""")
    assert (teachers, staff) == (510, None) and ratio == pytest.approx(6500 / 510, abs=0.01)
