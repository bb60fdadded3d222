"""How each kind of notice reaches a person by default: at once, or in the daily digest (08:00).

A person's own choice (``NoticePreference``, the page 通知设置) overrides the default for that kind.
"""

from .models import Notice, NoticePreference

Kind = Notice.Kind
Mode = NoticePreference.Mode

# Kinds that need no action of their reader default to the daily digest: an accepted item (办结) is good news,
# and a circular (通报) is a public record (a criticised unit also gets its rectification item at once, as a
# new task). Every other kind, returns (退回整改) and urgings (催办) first, is sent at once.
DIGEST_BY_DEFAULT = frozenset({Kind.ACCEPTED, Kind.CIRCULAR})

# The order and the words of the settings page.
KIND_HELP = {
    Kind.ASSIGNED: "新交办的任务（按单位、周期汇总）",
    Kind.RETURNED: "检查退回整改，附退回理由和新的截止日期",
    Kind.URGING: "县政府办公室的催办",
    Kind.RUNG: "到期前提醒、逾期催报和升级、未签收提醒",
    Kind.DEADLINE: "截止日期调整",
    Kind.EXTENSION: "延期申请及其审批结果",
    Kind.SIGNING: "退回交办及其处理结果",
    Kind.REASSIGNED: "经办人变更",
    Kind.INSTRUCTION: "领导批示",
    Kind.SUBMITTED: "提交检查的任务（检查人员，每次汇总）",
    Kind.ACCEPTED: "任务检查通过、办结",
    Kind.CIRCULAR: "通报",
}


def default_mode(kind):
    return Mode.DIGEST if kind in DIGEST_BY_DEFAULT else Mode.IMMEDIATE


def modes_for(user):
    """{kind: mode} for every kind, the person's choices over the defaults (one query)."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: chosen.get(kind, default_mode(kind)) for kind in KIND_HELP}


def preference_table(kinds):
    """(the choices {(user id, kind): mode} made for those kinds, the kinds that default to the digest): one query."""
    kinds = set(kinds)
    rows = NoticePreference.objects.filter(kind__in=kinds).values_list("user_id", "kind", "mode")
    chosen = {(user_id, kind): mode for user_id, kind, mode in rows}
    return chosen, {kind for kind in kinds if default_mode(kind) == Mode.DIGEST}


def held(chosen, digest_kinds, user_id, kind):
    mode = chosen.get((user_id, kind))
    return mode == Mode.DIGEST if mode is not None else kind in digest_kinds
