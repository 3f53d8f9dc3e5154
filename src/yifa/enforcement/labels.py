"""Chinese labels of the enforcement app's audit actions (see yifa.core.labels); the case
workflows' states and actions come from enforcement.workflows."""

from yifa.core.labels import register, register_source

register("audit", {
    "case.file": "立案登记",
    "case.update": "修改案件信息",
    "case.legal_review": "登记法制审核意见",
    "case.publish": "公示执法决定",
    "case.publicity_withdraw": "撤回公示",
    "case.publicity_withdraw_requested": "申请撤回公示",
    "case.record_add": "上传全过程记录",
    "case.certificate_shown": "登记现场出示执法证件",
    "prior_disclosure.record": "登记事前公开",
    "disclosure_change.record": "登记事前公开内容变更",
    "disclosure_change.published": "变更内容已更新公开",
    "enforcement_item.benchmarks": "修改裁量基准",
    "enforcementbody.create": "新建执法主体",
    "enforcementbody.update": "修改执法主体",
    "officer.create": "新建执法人员",
    "officer.update": "修改执法人员",
    "enforcementitem.create": "新建执法事项",
    "enforcementitem.update": "修改执法事项",
})
register("import", {
    "cases": "执法案件",
    "officers": "执法人员",
    "items": "执法事项",
    "bodies": "执法主体",
})


@register_source("import")
def import_states() -> dict:
    from .imports import STATE_LABELS

    return STATE_LABELS


register("setting", {
    "YIFA_ENFORCEMENT_THRESHOLDS": "法制审核金额标准",
    "YIFA_ENFORCEMENT_MAX_UPLOAD_MB": "全过程记录上传大小上限（MB）",
    "YIFA_ENFORCEMENT_IMPORT_BACKGROUND_BYTES": "案件导入转入后台处理的文件大小",
})
