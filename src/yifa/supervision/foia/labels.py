"""Chinese labels of the foia app's audit actions (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "inforequest.register": "登记政府信息公开申请",
    "inforequest.request_correction": "告知申请人补正",
    "inforequest.record_correction": "收到补正申请",
    "inforequest.withdraw": "逾期未补正，视为放弃申请",
    "inforequest.consult": "书面征求第三方意见",
    "inforequest.record_opinion": "记录第三方意见",
    "inforequest.opinion_lapsed": "第三方逾期未提出意见",
    "inforequest.extend": "延长答复期限",
    "inforequest.reply": "答复政府信息公开申请",
})
register("field", {
    "requester": "申请人",
    "phone": "联系电话",
    "number": "编号",
})
