"""The charts of the report, drawn by ``outputs.charts`` as PNG and embedded in the document."""

from outputs.charts import bar_chart

from .context import SHORT_NAMES, STAGE_NAMES
from .document import paragraph, picture


def charts(document, context):
    paragraph(document, "图中虚线为标准值。")
    number = 0
    for stage in context.stages():
        coefficients = context.coefficients(stage)
        if not len(coefficients):
            continue
        number += 1
        name = f"{context.year}年度{STAGE_NAMES[stage]}各项指标校际差异系数"
        png = bar_chart(
            [SHORT_NAMES[code][0] for code in coefficients["code"]],
            list(coefficients["coefficient"]),
            title=name,
            value_label="差异系数",
            threshold=context.coefficient_threshold(stage),
            fmt="png",
        )
        picture(document, png, f"图{number}  {name}（标准≤{context.coefficient_threshold(stage):.2f}）")
    labels, shares = [], []
    for stage in context.stages():
        parts = context.parts(stage)
        passing = int(parts["passes"].sum())
        labels.append(f"{STAGE_NAMES[stage]}（{passing}/{len(parts)}所）")
        shares.append(passing / len(parts))
    name = f"{context.year}年度达到资源配置标准的学校比例"
    png = bar_chart(labels, shares, title=name, value_label="达标学校比例", threshold=1, percent=True, fmt="png")
    picture(document, png, f"图{number + 1}  {name}")
