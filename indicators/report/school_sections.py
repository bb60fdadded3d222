"""The sections about schools: the county's summary, each stage's indicator table, the coefficients' table.

Each builder writes the body of its section into the document (the numbered heading is written for it).
"""

from docx.shared import Cm, Pt

from ..computation.catalogue import RESOURCE_INDICATORS
from .context import SHORT_NAMES, STAGE_NAMES
from .document import decimal, note, paragraph, table, whole

REACHED, SHORT, BELOW_FLOOR = "√", "△", "×"
CHINESE_ORDINALS = "一二三四五六七八九十"


def value_text(code, value):
    """Equipment value in whole 元, everything else to two decimals."""
    return whole(value) if code == "equipment_value_per_student" else decimal(value)


def cv_text(value):
    return decimal(value, 3)


def cv_threshold_text(context, stage):
    return f"≤{context.coefficient_threshold(stage):.2f}"


def stage_verdict(context, stage):
    """(parts, passing parts, CVs within the threshold, CVs computed, mean CV, the stage reaches the standard)."""
    parts = context.parts(stage)
    coefficients = context.coefficients(stage)
    passing = int(parts["passes"].sum())
    reached = int(coefficients["reached"].sum()) if len(coefficients) else 0
    mean = context.result.coefficient_means.get(stage)
    reaches = len(parts) > 0 and passing == len(parts) and len(coefficients) > 0 and reached == len(coefficients)
    return len(parts), passing, reached, len(coefficients), mean, reaches


def funded_as_more(document, context):
    """The parts a funding rule of the plan applies to, e.g. those funded as 100 students though they have fewer."""
    parts = context.result.values.drop_duplicates("part_id").sort_values(["school_name", "part_id"])
    for rule in context.funding_rules:
        funded = [
            f"{row.school_name}（{STAGE_NAMES[row.stage]}，{whole(row.students)}人）"
            for row in parts.itertuples(index=False)
            if rule.applies(row.stage, row.students, special_school=row.school_type == "special")
        ]
        if funded:
            paragraph(
                document,
                f"按方案规则（{rule.source_sentence}），以下学段{rule.name}：{'、'.join(funded)}。",
            )


def summary(document, context):
    result, rule = context.result, context.rule
    parts = result.parts
    schools = parts["school_id"].nunique()
    per_stage = "、".join(
        f"{STAGE_NAMES[stage]}{len(context.parts(stage))}个" for stage in context.stages()
    )  # fmt: skip
    students = "、".join(
        f"{STAGE_NAMES[stage]}{whole(context.parts(stage)['students'].sum())}人" for stage in context.stages()
    )
    paragraph(
        document,
        f"{context.year}年度，全县纳入统计的义务教育学校共{schools}所（{per_stage}学段），"
        f"在校生{whole(parts['students'].sum())}人（{students}）。九年一贯制学校分小学、初中两个学段分别统计。",
    )
    funded_as_more(document, context)
    left_out = ["特殊教育学校"] if rule.exclude_special_schools else []
    left_out.append(f"在校生少于{rule.teaching_point_min_students}人的教学点")
    if rule.exclude_private_schools:
        left_out.append("民办学校")
    counted = "；".join(
        f"{STAGE_NAMES[stage]}计入{int(rows['parts'].iloc[0])}个学段、在校生{whole(rows['students'].iloc[0])}人"
        for stage in context.stages()
        if len(rows := context.coefficients(stage))
    )
    paragraph(document, f"计算校际差异系数时不计{'、'.join(left_out)}：{counted}。")
    paragraph(
        document,
        f"资源配置达标的标准：7项资源配置指标中至少{rule.min_reached}项达到规定标准，"
        f"其余指标不低于标准的{float(rule.floor_ratio):.0%}；小学、初中各项指标的校际差异系数分别不高于"
        f"{context.coefficient_threshold('primary'):.2f}、{context.coefficient_threshold('junior'):.2f}。",
    )
    rows = []
    for stage in context.stages():
        total, passing, reached, computed, mean, reaches = stage_verdict(context, stage)
        failing = context.parts(stage).loc[lambda frame: ~frame["passes"], "school_name"].tolist()
        coefficients = context.coefficients(stage)
        values = "、".join(cv_text(value) for value in coefficients["coefficient"])
        over = computed - reached
        paragraph(
            document,
            f"{STAGE_NAMES[stage]}：{total}所学校中{passing}所达到资源配置标准"
            + (f"（未达到的有{'、'.join(failing)}）" if failing else "")
            + f"；7项指标的校际差异系数依次为{values}，平均{cv_text(mean)}，"
            + (f"均达到{cv_threshold_text(context, stage)}的标准" if not over else f"有{over}项未达到标准")
            + "。"
            + (
                f"全县{STAGE_NAMES[stage]}资源配置达到优质均衡标准{context.mark}。"
                if reaches
                else f"全县{STAGE_NAMES[stage]}资源配置尚未达到优质均衡标准{context.mark}。"
            ),
        )
        rows.append(
            [
                STAGE_NAMES[stage],
                str(total),
                whole(context.parts(stage)["students"].sum()),
                f"{passing}/{total}{context.mark}",
                f"{reached}/{computed}{context.mark}",
                cv_text(mean),
                ("达到" if reaches else "未达到") + context.mark,
            ]
        )
    table(
        document,
        ["学段", "学校（学段）数", "在校生数", "资源配置达标", "差异系数达标", "平均差异系数", "优质均衡标准"],
        rows,
    )
    note(document, "注：资源配置达标与差异系数达标均为“达标数/总数”；平均差异系数为7项指标差异系数的算术平均。")


def indicator_tables(document, context):
    paragraph(
        document,
        f"下表列出各学校（学段）7项资源配置指标的{context.year}年度数值。"
        f"{REACHED}表示达到标准，{SHORT}表示未达到但不低于标准的{float(context.rule.floor_ratio):.0%}，"
        f"{BELOW_FLOOR}表示低于该比例；表头给出指标的单位和标准。",
    )
    for index, stage in enumerate(context.stages()):
        document.add_heading(f"（{CHINESE_ORDINALS[index]}）{STAGE_NAMES[stage]}", level=2)
        values = context.values(stage)
        cells = {(row.part_id, row.code): row for row in values.itertuples(index=False)}
        headers = ["学校", "在校生"]
        for indicator in RESOURCE_INDICATORS:
            name, unit = SHORT_NAMES[indicator.code]
            headers.append(f"{name}（{unit}）{context.thresholds[(indicator.code, stage)].label()}")
        headers += ["达标项数", "资源配置"]
        rows = []
        for part in context.parts(stage).itertuples(index=False):
            row = [part.school_name, whole(part.students)]
            for indicator in RESOURCE_INDICATORS:
                cell = cells[(part.part_id, indicator.code)]
                mark = REACHED if cell.reached else BELOW_FLOOR if cell.below_floor else SHORT
                row.append(f"{value_text(indicator.code, cell.value)}{mark}")
            row += [f"{int(part.reached_count)}/7", "达标" if part.passes else "未达标"]
            rows.append(row)
        widths = [Cm(2.8), Cm(1.2), *[Cm(1.5)] * 7, Cm(1.0), Cm(1.1)]  # 16.6 cm: the page between its margins
        table(document, headers, rows, widths=widths, size=Pt(8))


def coefficient_table(document, context):
    paragraph(
        document,
        "校际差异系数按在校生数加权计算：X̄为全县该项指标总量与在校生总数之比，"
        "S = √(Σ(Pᵢ/P)(Xᵢ − X̄)²)，差异系数CV = S/X̄。",
    )
    rows = []
    for stage in context.stages():
        for row in context.coefficients(stage).itertuples(index=False):
            name, unit = SHORT_NAMES[row.code]
            rows.append(
                [
                    STAGE_NAMES[stage],
                    f"{name}（{unit}）",
                    value_text(row.code, row.county_ratio),
                    value_text(row.code, row.deviation),
                    cv_text(row.coefficient),
                    cv_threshold_text(context, stage),
                    ("达到" if row.reached else "未达到") + context.mark,
                ]
            )
        _total, _passing, reached, computed, mean, _reaches = stage_verdict(context, stage)
        rows.append(
            [STAGE_NAMES[stage], "平均", "", "", cv_text(mean), "", f"{reached}/{computed}项达到{context.mark}"]
        )  # fmt: skip
    table(
        document,
        ["学段", "指标", "全县均值X̄", "标准差S", "差异系数", "标准", "是否达到"],
        rows,
        widths=[Cm(1.3), Cm(5.6), Cm(2), Cm(1.8), Cm(1.6), Cm(1.4), Cm(2.2)],
    )
    note(document, "注：计入差异系数的学校范围见“总体情况”；“平均”为7项指标差异系数的算术平均，仅供参考。")
