"""Chinese labels of the assessment app's audit actions (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "assessment.category.add": "增加指标类别",
    "assessment.indicator.add": "增加考核指标",
    "assessment.indicator.update": "修改考核指标",
    "assessment.indicator.rationale": "修改指标计分依据",
    "assessment.interview.record": "登记约谈",
    "assessment.manual_score.set": "录入人工评分",
    "assessment.period.close": "考核结束",
    "assessment.period.compute": "计算考核得分",
    "assessment.period.create": "新建考核",
    "assessment.tree.weights": "调整指标权重",
})
