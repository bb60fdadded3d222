"""What ``simulate_plan`` prints at the end: time and queries per simulated year, and what happened."""

from .engine import PHASES

PHASE_LABELS = {
    "sweep": "到期扫描",
    "digest": "每日汇总",
    "offices": "政府办、领导小组办公室和考核办",
    "units": "各单位",
    "inspectors": "检查人员",
    "notices": "通知投递",
}
COUNT_LABELS = {
    "items opened": "开启任务",
    "signed": "签收",
    "hand-backs": "退回交办",
    "hand-backs settled": "处理退回交办",
    "extension requests": "延期申请",
    "extensions approved": "批准延期",
    "extensions refused": "不予延期",
    "reports": "提交检查",
    "accepted": "检查通过",
    "returned": "检查退回",
    "urgings": "催办",
    "circulars": "通报",
    "school years entered": "导入学校年度数据",
    "rectification items": "整改任务",
    "assessments published": "发布年度考核",
    "self-evaluation reports": "自评报告",
}


def summary_lines(result):
    lines = [f"模拟 {result.start} 至 {result.end}，种子 {result.seed}："]
    lines.append("  各阶段用时（秒）：" + "、".join(f"{phase}={PHASE_LABELS[phase]}" for phase in PHASES))
    header = "  年度   天数  用时(秒)  查询/天  例行查询/天  步骤数  查询/步骤  " + "".join(f"{p:>11}" for p in PHASES)
    lines.append(header)
    for year, stats in sorted(result.years.items()):
        phases = "".join(f"{stats.by_phase.get(phase, 0.0):11.2f}" for phase in PHASES)
        lines.append(
            f"  {year}  {stats.days:5d}  {stats.seconds:8.2f}  {stats.queries_per_day:7.1f}"
            f"  {stats.routine_queries_per_day():11.1f}  {stats.actions:6d}  {stats.queries_per_action():9.1f}"
            f"  {phases}"
        )
    seconds = sum(stats.seconds for stats in result.years.values())
    lines.append(f"  合计用时 {seconds:.1f} 秒")
    profiles = {}
    for name, profile in sorted(result.profiles.items()):
        profiles.setdefault(profile.label, []).append(name)
    lines.append("  单位画像：" + "；".join(f"{label} {len(names)} 个" for label, names in profiles.items()))
    lines.append("  " + "，".join(f"{label} {result.counts[key]}" for key, label in COUNT_LABELS.items()))
    if result.problems:
        lines.append(f"  发现 {len(result.problems)} 个问题：" + "；".join(result.problems[:10]))
    return lines
