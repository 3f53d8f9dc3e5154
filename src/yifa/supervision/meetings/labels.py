"""Chinese labels of the meetings app's audit actions (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "meetings.meeting.record": "登记联席会议",
    "meetings.meeting.minutes": "上传会议纪要",
    "meetings.action.add": "增加议定事项",
    "meetings.action.done": "议定事项办结",
    "meetings.rule.adopt": "制定制度",
})
