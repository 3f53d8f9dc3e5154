"""Chinese labels of online supervision rules, settings and the supervision app's audit
actions (see yifa.core.labels); the letter workflow's states and actions come from
supervision.workflows."""

from yifa.core.labels import register, register_source


@register_source("rule")
def supervision_rule_names() -> dict:
    from .rules import RULES

    return {code: r.name for code, r in RULES.items()}


register("audit", {
    "supervision.clue.confirm": "确认线索",
    "supervision.clue.dismiss": "排除线索",
    "supervision.decision.issue": "作出监督决定",
    "supervision.decision.fulfil": "监督决定已履行",
    "supervision.finding.raise": "登记发现问题",
    "supervision.finding.correct": "问题已整改",
    "supervision.finding.mark": "标记问题",
    "supervision.finding.verify": "核实整改情况",
    "supervision.inspection.create": "新建监督检查",
    "supervision.letter.issue": "印发监督意见书",
    "supervision.letter.report": "报送整改情况",
    "supervision.letter.escalate_to_opinion": "升级为监督意见书",
    "supervision.notice.create": "起草通报",
    "supervision.notice.edit": "修改通报",
    "supervision.notice.issue": "印发通报",
    "supervision.rule.param": "修改线上监督规则参数",
    "supervision.rule.switch": "停用/启用线上监督规则",
    "supervision.rules.run": "运行线上监督规则",
    "supervision.urging.issue": "督办超期案件",
    "supervision.urging.reply": "回复督办",
})
register("setting", {
    "YIFA_RECTIFICATION_MAX_UPLOAD_MB": "整改材料上传大小上限（MB）",
})
