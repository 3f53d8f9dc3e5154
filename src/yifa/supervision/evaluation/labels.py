"""Chinese labels of the evaluation app's audit actions (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "evaluation.campaign.create": "新建案卷评查",
    "evaluation.campaign.update": "修改案卷评查",
    "evaluation.campaign.sampled": "抽取评查案卷",
    "evaluation.campaign.notice": "印发评查通报",
    "evaluation.sheet.create": "新建评查表",
    "evaluation.sheet.update": "修改评查表",
    "evaluation.sheet.item_add": "增加评查项目",
    "evaluation.sheet.item_update": "修改评查项目",
    "evaluation.file.save": "保存案卷评分",
    "evaluation.file.submit": "提交案卷评分",
    "evaluation.file.reopen": "退回重新评分",
})
