"""The sentence shapes the prose rules recognise, as patterns over the text between a term and its
number, and around them. Each is a kind of statement, never one report's wording."""

from __future__ import annotations

import re

AFTER_OK = re.compile(r"^(?:$|[，。；;,、）)（(\s”’]|以上|左右|之间|其中|…|占)")
# Competitions of another level than the one an indicator's context names.
OTHER_LEVEL = re.compile(r"全国|国赛|国家级|世界|教学能力比赛|班主任能力比赛|教师[^，。]{0,6}比赛")
# Verbs that name the level a figure reached ("扩张至2400人", "下降至521人"), with the adverbs that
# may come before them ("大幅", "稳步"): the value, not a change.
REACHED_VERBS = ("调整", "增加", "减少", "提高", "提升", "下降", "降低", "上升", "增长", "扩张", "扩大", "缩减",
                 "回落", "攀升", "增", "降", "升", "减")
DEGREE_ADVERBS = ("大幅", "明显", "稳步", "进一步", "持续", "逐步", "显著", "逐年", "快速")
REACHED = (f"(?:{'|'.join(DEGREE_ADVERBS)})?(?:{'|'.join(sorted(REACHED_VERBS, key=len, reverse=True))})"
           "(?:到|至|为)")
# What may stand between an alias and its number: function words, parenthetical remarks, the
# level reached, and the year the clause states it for ("升学率在2019年为39.75%").
GAP_OK = re.compile(
    r"^(?:[\s“”]|[（(][^（）()]{0,20}[)）]|为|达到|达|是|了|已|在|支出|共计|共有|共|计|有|约|近|超过|总数|人数|数量|总量|数|"
    r"(?:19|20)\d\d\s*(?:学年|年度|年)|"
    r"的(?=有|为|是|达)|" + REACHED + r"|(?:通过|经)?(?:问卷|抽样)?(?:调查|测评|统计)(?:显示|结果)?|"
    r"合计|总计|平均|学生|总|人次|已达|累计|规模|总值|值|分别|均|都|全部|全年|年|资金|经费|金额|"
    r"继续(?:学习|深造)|的(?:学生|毕业生|专任教师|教师)(?:人数)?|全日制|中专|中职|新生|"
    r"(?:发放|拨付|落实|投入|安排|下达|到位)(?:资金|金额)?|等[\u4e00-\u9fff]{0,6}(?:学校|院校))*$"
)
# "…占专任教师的比例为", "具有高级职称的专任教师占比为", "具有高级专业技术职务的占".
INLINE_SHARE = re.compile(r"^(?:的(?:专任教师|专业课教师|教师|学生|毕业生)?)?(?:人数|数)?占[\u4e00-\u9fff“”]{0,12}?(?:的)?(?:比例|比重|比率|百分比)?(?:为|达到?|是)?$")
ALL_OF = re.compile(r"(?<![平人生])均|都|全部|皆")
# "比2018年的15045.53元": the number is the earlier year's value of the same indicator.
COMPARISON_BASE = re.compile(r"(?:比|较|与|同)(?P<when>(?:19|20)\d\d\s*年|上一?年|去年|上一?学年)(?:同期)?的?\s*$")
# "，2020年为7.14%": the clause restates the last indicator for another year.
YEAR_AGAIN = re.compile(r"^\s*(?:而|其中)?(?P<when>(?:19|20)\d\d\s*(?:年|学年|届)|上一?年|去年|上一?学年)\s*(?:为|是|达到?|有)?\s*$")
RESPECTIVELY = re.compile(r"分别")
UNIT_ONLY = re.compile(r"^\s*(?:共有|共|有|计|共计|为|达)?\s*$")
LISTED_TYPE = re.compile(r"^\s*(?:其中)?(?:中等职业学校|中等职业教育|中职学校|中职|中专|职业学校|职业高中)(?:为|有|共|共有)?\s*$")
# An enumeration that shares its prefix and suffix: 第一、二、三产业.
ENUMERATION = re.compile(r"(?P<prefix>第?)(?P<numerals>[一二三四五六七八九十](?:[、和及][一二三四五六七八九十])+)(?P<suffix>[\u4e00-\u9fff]{1,4}?)(?=人数|数|分别|的|$)")
SHARE_START = re.compile(r"^(?:其中)?(?:占|所占比例|占比|比例为|比重为)")
# "5所中等职业学校全日制在校生…": a count of schools that opens a statement of their figures.
SCHOOLS_AS_SUBJECT = re.compile(r"^所(?:中等职业学校|中职学校|中职校|中专学校|职业学校)(?:共有|共|有)?")
# "国家助学金惠及学生15.6万人次": after an amount's term, the count of those it reached.
BENEFICIARIES = re.compile(r"^(?:共|累计)?(?:惠及|资助|受助|覆盖|受益)(?:学生|人数)?(?:达|共|为)?$")
AMOUNT_START = re.compile(r"^(?:总)?(?:金额|资金|总额|资助金额|经费)|^(?:惠及|受益|资助|覆盖)")
PER_STUDENT_START = re.compile(r"^生均")
# What may trail a term that follows its number ("…中等职业学校等", "…直接就业了").
# "…进入高等教育阶段深造", and "1186名毕业生中" (the group a clause is about).
TERM_TAIL = re.compile(r"(?:(?:阶段)?(?:继续)?(?:深造|学习|就读)|等|了|中|。)+$")
# A clause that only gives the value of the term before it ("…进一步降低，为13.2:1").
VALUE_AFTER_COMMENT = re.compile(r"^\s*(?:为|是|达到?了?|" + REACHED + r")\s*$")
# "从2020年的1500人左右大幅扩张至2400人": the earlier year's figure, then the one it became.
FROM_YEAR = re.compile(r"从\s*(?:19|20)\d\d\s*(?:学年|年度|年)的?\s*(?=\d)")
CHANGED_TO = re.compile(r"^(?:左右|余|多|以上)?\s*" + REACHED + r"\s*$")
# "2020年这一数据大幅上升，达到了53.21%": a word that points back to the figure last stated.
ANAPHOR = re.compile(r"(?:这一|这个|该|此)(?:数据|数字|数值|比例|比率|比重|指标)")
# Words that make a figure per student (生均): "每位学生平均", "平均每生".
PER_STUDENT = re.compile(r"生均|每生|每位学生|每名学生|平均每|人均")
