"""Chinese labels of the review app's precheck rules and audit actions (see
yifa.core.labels); the review workflow's states and actions come from review.workflows."""

from yifa.core.labels import register, register_source


@register_source("rule")
def precheck_rule_names() -> dict:
    from .precheck import RULES

    names = {r.code: r.label for r in RULES}
    names.update({f"model.{r.category}": f"{r.label}（统计模型）" for r in RULES})
    return names


register("audit", {
    "review.submit": "报送审查",
    "review.opinion": "提出审查意见",
    "review.adoption": "反馈采纳情况",
    "review.advisor_create": "新增法律顾问",
    "review.advisor_update": "修改法律顾问",
    "review.advisor_evaluate": "法律顾问年度考评",
    "review.advisor_import": "导入法律顾问",
    "review.duty_set": "安排坐班律师",
    "review.hint_dismiss": "排除预审提示",
    "review.precheck_example": "记录预审样本",
    "review.reassign": "改派审查人",
    "review.recuse": "审查人回避",
})
register("setting", {
    "YIFA_REVIEW_MAX_UPLOAD_MB": "审查材料上传大小上限（MB）",
})
