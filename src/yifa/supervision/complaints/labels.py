"""Chinese labels of the complaints app's audit actions and settings (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "complaint.submit_public": "群众在线提交投诉举报",
    "complaint.register": "登记投诉举报",
    "complaint.route": "转办投诉举报",
    "complaint.reply": "答复投诉人",
    "complaint.reject": "不予受理",
    "complaint.close": "办结投诉举报",
    "complaint.to_finding": "转为发现问题",
})
# keys of the audit snapshots that are not the model's fields (the masked name and phone)
register("field", {
    "complainant": "投诉人",
    "phone": "联系电话",
})
register("setting", {
    "YIFA_COMPLAINT_RATE_PER_HOUR": "每小时在线投诉次数上限",
    "YIFA_COMPLAINT_QUERY_RATE_PER_HOUR": "每小时进度查询次数上限",
    "YIFA_COMPLAINT_MAX_UPLOAD_MB": "投诉附件大小上限（MB）",
    "YIFA_COMPLAINT_MAX_CONTENT_CHARS": "投诉内容字数上限",
})
