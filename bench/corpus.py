"""A synthetic corpus of school quality reports for the benchmark: varied schools, cities, years,
ruled and borderless tables, 10–60 pages each. Deterministic for a given size; PDFs are never committed."""

from __future__ import annotations

import csv
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from pdf_factory import ReportWriter  # noqa: E402

GENERATOR_VERSION = "1"

# Everyday report prose; numbers in it belong to no indicator, as in real reports.
FILLER = [
    "学校坚持立德树人根本任务，深化产教融合、校企合作，推进“三教”改革，全面提升人才培养质量。",
    "本年度组织教师参加国培、省培项目{n}人次，开展校本研修活动{m}场，教师信息化教学能力明显提升。",
    "学校与{m}家企业签订校企合作协议，共建校内外实训基地，开展订单培养和现代学徒制试点。",
    "围绕区域主导产业，学校动态调整专业结构，建成市级以上骨干专业{k}个，专业群对接产业链的能力不断增强。",
    "学校积极开展社会培训和技术服务，面向新型职业农民、退役军人和下岗职工开展技能培训，服务乡村振兴。",
    "学生在市级以上技能大赛中获奖{m}项，其中省级一等奖{k}项，以赛促教、以赛促学的成效进一步显现。",
    "学校落实国家资助政策，做到应助尽助，全年发放国家助学金和免学费资金，资助工作规范透明。",
    "学校加强党建引领，开展主题教育和师德师风建设，涌现出一批优秀教师和先进集体。",
    "学校建成智慧校园平台，开发数字化教学资源{n}个，线上线下混合式教学覆盖全部专业。",
    "学校持续改善办学条件，新建实训楼一栋，更新教学仪器设备，生均实训工位数稳步增加。",
]


def _counties() -> list[str]:
    with open(REPO / "dbt_project" / "seeds" / "admin_divisions.csv", encoding="utf-8") as handle:
        return [r["name"] for r in csv.DictReader(handle) if r["level"] == "county" and r["name"].endswith(("县", "区", "市"))
                and r["name"] not in ("市辖区",)]


def _filler(rng: random.Random) -> str:
    return "".join(
        rng.choice(FILLER).format(n=rng.randint(20, 900), m=rng.randint(3, 60), k=rng.randint(1, 9))
        for _ in range(rng.randint(2, 4))
    )


def report(path: Path, index: int, variant: int = 0) -> Path:
    """One school report; `variant` changes its figures (a new version of the same file)."""
    rng = random.Random(index * 1009 + variant)
    school = f"{rng.choice(COUNTIES)}职业中等专业学校"
    year = rng.choice([2020, 2021, 2022, 2023, 2024])
    pages = rng.randint(10, 60)
    ruled = index % 2 == 0
    students = rng.randint(800, 9000) + variant
    staff = rng.randint(80, 600)
    teachers = int(staff * rng.uniform(0.7, 0.95))
    graduates = int(students * rng.uniform(0.25, 0.35))
    writer = ReportWriter(path, f"{school}质量年度报告（{year}年）", header=f"{school}{year}年度质量报告")
    writer.heading("一、学校基本情况")
    writer.paragraph(
        f"{year}年，学校全日制学历教育在校生{students}人，毕业生{graduates}人。学校现有教职工{staff}人，"
        f"其中专任教师{teachers}人，“双师型”教师占专任教师比例为{rng.randint(40, 90)}%。"
    )
    section = 1
    while writer.page < pages:
        for _ in range(8):
            writer.paragraph(_filler(rng))
        if writer.page % 4 == 0:
            writer.table([
                ["序号", "指标", "单位", f"{year}年"],
                ["1", "全日制在校生人数", "人", str(students)],
                ["2", "教职工总数", "人", str(staff)],
                ["", "其中：专任教师总数", "人", str(teachers)],
                ["3", "毕业生人数", "人", str(graduates)],
                ["4", "毕业生就业率", "%", f"{rng.uniform(90, 99.5):.2f}"],
            ], ruled=ruled)
        if writer.page >= section * 6:
            section += 1
            writer.heading(f"{'二三四五六七八九十'[min(section, 10) - 2]}、{rng.choice(['人才培养', '服务贡献', '文化传承', '国际合作', '产教融合', '发展保障'])}")
    return writer.save()


COUNTIES = _counties()


def build(out_dir: Path, size: int) -> list[Path]:
    """Reports 0..size-1 in out_dir; files already there from the same generator are kept."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = out_dir / f".generator-v{GENERATOR_VERSION}"
    if not stamp.exists():
        for old in out_dir.glob("*.pdf"):
            old.unlink()
        stamp.touch()
    paths = []
    for i in range(size):
        path = out_dir / f"report_{i:04d}.pdf"
        if not path.exists():
            report(path, i)
        paths.append(path)
    return paths


REPO = Path(__file__).resolve().parent.parent


def repository_reports() -> list[Path]:
    """Every report PDF the repository holds (the samples in raw/, the dev sets and real_dev's copy
    under tests/): about a hundred files by many writers."""
    return sorted(REPO.glob("raw/*.pdf")) + sorted(REPO.glob("tests/**/*.pdf"))


def repository_corpus(out_dir: Path) -> list[Path]:
    """repository_reports() copied into out_dir, each named for where it came from
    (names repeat across sets)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in repository_reports():
        inside = source.parent.is_relative_to(REPO)
        where = source.parent.relative_to(REPO).as_posix().replace("/", "_") if inside else "real_dev"
        path = out_dir / f"{where}_{source.name}"
        if not path.exists() or path.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, path)
        paths.append(path)
    return paths
