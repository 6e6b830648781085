"""Build the round-9c blind set: four short documents written in the manner of real writers
(real places, made-up but internally consistent values), with no sources consulted.

Run from anywhere:  .venv/bin/python tests/dev_sets/round9c/make_round9c.py
Writes pdf/<doc>.pdf and gold/<doc>.csv next to this file, then checks that every gold snippet occurs
in the PDF's text (pdfplumber, whitespace ignored). Judgement calls and distractors: NOTES.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from blind_set import H, P, T, BlindSet  # noqa: E402, F401

ROUND = BlindSet(HERE)
doc = ROUND.doc

# ---------------------------------------------------------------------------------------------
# 1. 龙泉市中等职业学校 — 2024 report on the national template. "2023学年" is the school year that
#    starts in autumn 2023 → 2024; the two-column teacher table gives one fact per 学年.
LQ = "龙泉市中等职业学校"
doc(
    "r9c_longquan_school_2024",
    "龙泉市中等职业学校中等职业教育质量年度报告（2024）",
    [
        H("一、学校概况"),
        P("龙泉市中等职业学校是龙泉市人民政府举办的公办全日制中等职业学校，浙江省中职教育“双高”建设单位。"
          "学校坐落于龙泉市剑池街道，占地面积146亩，立足龙泉青瓷、宝剑两大传统产业和生态旅游业办学。"
          "青瓷宝剑技艺、旅游服务与管理为省级品牌专业。2023学年，"
          "全日制在校生2186人，当年招收新生768人，巩固率保持在98%以上。"),
        H("二、学生发展"),
        P("学校坚持“就业有优势、升学有通道”。2024届毕业生652人，毕业去向落实率98.62%，"
          "较上届提高2.4个百分点；其中升入高一级学校431人，升学比例66.1%，"
          "直接就业的毕业生主要服务于本地青瓷企业和文旅单位。"),
        P("学校推进“岗课赛证”融通，学生在丽水市中职技能大赛中获奖数位居全市前列。"),
        H("三、教师队伍"),
        P("学校持续实施“青蓝工程”和“大师进校园”计划，聘请青瓷、宝剑非遗传承人担任产业导师。"
          "2023学年生师比为13.01:1。力争到2026年，“双师型”教师占专业课教师比例达到85%。"),
        P("表3-1 近两学年专任教师情况"),
        T([["项目", "2022学年", "2023学年"],
           ["专任教师（人）", "162", "168"],
           ["“双师型”教师占比（%）", "78.4", "80.4"],
           ["研究生学历教师（人）", "17", "21"]],
          ruled=True, widths=[170, 100, 100]),
        H("四、经费投入"),
        P("市财政足额落实中职学校生均拨款制度。2024年，学校生均财政拨款达2.31万元，"
          "高于全省中职学校平均水平；新增实训设备投入主要用于青瓷烧制和智慧旅游实训中心建设。"),
    ],
    [
        (LQ, "school", 2024, "students_total", "2186", "全日制在校生2186人"),
        (LQ, "school", 2024, "enrollment_new", "768", "当年招收新生768人"),
        (LQ, "school", 2024, "graduates_total", "652", "2024届毕业生652人"),
        (LQ, "school", 2024, "employment_rate", "98.62", "毕业去向落实率98.62%"),
        (LQ, "school", 2024, "further_study_total", "431", "升入高一级学校431人"),
        (LQ, "school", 2024, "further_study_share", "66.1", "升学比例66.1%"),
        (LQ, "school", 2024, "student_teacher_ratio", "13.01", "2023学年生师比为13.01:1"),
        (LQ, "school", 2023, "teachers_fulltime", "162", "专任教师（人） 162 168"),
        (LQ, "school", 2024, "teachers_fulltime", "168", "专任教师（人） 162 168"),
        (LQ, "school", 2023, "teachers_dual_qualified_share", "78.4", "“双师型”教师占比（%） 78.4 80.4"),
        (LQ, "school", 2024, "teachers_dual_qualified_share", "80.4", "“双师型”教师占比（%） 78.4 80.4"),
        (LQ, "school", 2024, "funding_per_student", "23100", "学校生均财政拨款达2.31万元"),
    ],
    header="龙泉市中等职业学校 · 质量年度报告",
)

# ---------------------------------------------------------------------------------------------
# 2. 博白县职业中等专业学校 — report titled 2021 that describes 2020 ("截至2020年8月31日",
#    "2020年秋季学期", "2020届"); the funding table is in 万元; the 2000元 standard is national policy.
BB = "博白县职业中等专业学校"
doc(
    "r9c_bobai_school_2021",
    "博白县职业中等专业学校质量年度报告（2021年）",
    [
        H("1 学校情况"),
        P("博白县职业中等专业学校创办于1985年，是广西壮族自治区示范特色中等职业学校。"
          "截至2020年8月31日，学校有全日制在校生4512人；2020年秋季学期招收新生1630人，"
          "比上年增加96人。学校开设电子商务、汽车运用与维修、学前教育等专业。"),
        H("2 学生发展"),
        P("2020届毕业生1384人，受疫情影响，学校开展“线上双选会”12场，毕业生就业率为96.53%，"
          "对口就业率82.4%。毕业生主要流向玉林市及珠三角地区的制造、商贸企业。"),
        H("3 教师队伍"),
        P("学校有专任教师231人，“双师型”教师119人；"
          "具有高级专业技术职务的专任教师64人，占专任教师总数的27.7%。"),
        H("4 经费保障"),
        P("学校严格落实国家资助政策，国家助学金标准为每生每年2000元。2020年各项资助资金情况如下。"),
        T([["项目", "金额（万元）"],
           ["免学费资金", "1051.2"],
           ["国家助学金", "318.6"]],
          ruled=True, widths=[160, 120]),
    ],
    [
        (BB, "school", 2020, "students_total", "4512", "学校有全日制在校生4512人"),
        (BB, "school", 2020, "enrollment_new", "1630", "2020年秋季学期招收新生1630人"),
        (BB, "school", 2020, "graduates_total", "1384", "2020届毕业生1384人"),
        (BB, "school", 2020, "employment_rate", "96.53", "毕业生就业率为96.53%"),
        (BB, "school", 2020, "matched_employment_rate", "82.4", "对口就业率82.4%"),
        (BB, "school", 2020, "teachers_fulltime", "231", "学校有专任教师231人"),
        (BB, "school", 2020, "teachers_dual_qualified", "119", "“双师型”教师119人"),
        (BB, "school", 2020, "teachers_senior_title_share", "27.7", "占专任教师总数的27.7%"),
        (BB, "school", 2020, "tuition_waiver_amount", "1051.2", "免学费资金 1051.2"),
        (BB, "school", 2020, "state_grant_amount", "318.6", "国家助学金 318.6"),
    ],
)

# ---------------------------------------------------------------------------------------------
# 3. 邳州市 — county-level city 教育局 report titled 2022 describing 2021; two-year table;
#    徐州市 average, a 2025 target and deltas are distractors; the training sentence has no number.
PZ = "邳州市"
doc(
    "r9c_pizhou_county_2022",
    "邳州市中等职业教育质量年度报告（2022年度）",
    [
        H("一、基本情况"),
        P("2021年，全市共有中等职业学校5所（不含技工学校），其中公办学校3所、民办学校2所。"
          "全市中职在校生1.92万人，较上年增加0.06万人。"),
        P("表1 2020—2021年全市中职学校招生与毕业情况（单位：人）"),
        T([["指标", "2020年", "2021年"],
           ["招生数", "6408", "6820"],
           ["毕业生数", "5512", "5870"]],
          ruled=True, widths=[140, 110, 110]),
        H("二、师资建设"),
        P("全市中职学校有专任教师1046人，“双师型”教师占专业课教师的62.5%，生师比18.36:1。"
          "按照《邳州市职业教育提质培优行动计划》，到2025年“双师型”教师比例达到70%以上。"),
        H("三、经费投入与社会服务"),
        P("2021年全市中职生均财政拨款13860元，仍低于徐州市平均水平（15200元）。"
          "各学校积极面向退役军人、农民工和企业职工开展技能培训。"),
    ],
    [
        (PZ, "county", 2021, "schools_total", "5", "全市共有中等职业学校5所（不含技工学校）"),
        (PZ, "county", 2021, "students_total", "19200", "全市中职在校生1.92万人"),
        (PZ, "county", 2020, "enrollment_new", "6408", "招生数 6408 6820"),
        (PZ, "county", 2021, "enrollment_new", "6820", "招生数 6408 6820"),
        (PZ, "county", 2020, "graduates_total", "5512", "毕业生数 5512 5870"),
        (PZ, "county", 2021, "graduates_total", "5870", "毕业生数 5512 5870"),
        (PZ, "county", 2021, "teachers_fulltime", "1046", "全市中职学校有专任教师1046人"),
        (PZ, "county", 2021, "teachers_dual_qualified_share", "62.5", "“双师型”教师占专业课教师的62.5%"),
        (PZ, "county", 2021, "student_teacher_ratio", "18.36", "生师比18.36:1"),
        (PZ, "county", 2021, "funding_per_student", "13860", "全市中职生均财政拨款13860元"),
    ],
    header="邳州市教育局",
)

# ---------------------------------------------------------------------------------------------
# 4. 兴化市 — local news item (January 2025) on the county's 2024 report; one school-level fact;
#    the provincial average and the year-on-year rise are distractors.
XH = "兴化市"
XZ = "江苏省兴化中等专业学校"
doc(
    "r9c_xinghua_news_2025",
    "我市发布2024年度中等职业教育质量报告",
    [
        P("本报讯（记者 陈静 通讯员 周文）1月16日，记者从市教育局获悉，《兴化市中等职业教育质量年度报告"
          "（2024）》日前正式发布。报告显示，2024年，全市3所中等职业学校共有在校生9460人，"
          "职业教育办学规模保持稳定。"),
        P("在人才培养方面，全市2024届中职毕业生3012人，毕业去向落实率98.9%，其中升学2317人，"
          "升学人数比上年增加186人。全市中职学校“双师型”教师占比达83.6%，高于全省平均水平（78.2%）。"),
        P("服务地方方面，各校围绕不锈钢制品、健康食品、绿色能源等本地产业，全年开展社会培训1.36万人次。"
          "其中，江苏省兴化中等专业学校在2024年江苏省职业学校技能大赛中获一等奖7个，创历史最好成绩。"),
        P("市教育局相关负责人表示，下一步将深化产教融合，推动中职、高职、本科贯通培养。"),
    ],
    [
        (XH, "county", 2024, "schools_total", "3", "全市3所中等职业学校"),
        (XH, "county", 2024, "students_total", "9460", "共有在校生9460人"),
        (XH, "county", 2024, "graduates_total", "3012", "全市2024届中职毕业生3012人"),
        (XH, "county", 2024, "employment_rate", "98.9", "毕业去向落实率98.9%"),
        (XH, "county", 2024, "further_study_total", "2317", "其中升学2317人"),
        (XH, "county", 2024, "teachers_dual_qualified_share", "83.6", "“双师型”教师占比达83.6%"),
        (XH, "county", 2024, "training_headcount", "13600", "全年开展社会培训1.36万人次"),
        (XZ, "school", 2024, "provincial_awards_first", "7", "获一等奖7个"),
    ],
    header="兴化日报",
)


if __name__ == "__main__":
    ROUND.build()
