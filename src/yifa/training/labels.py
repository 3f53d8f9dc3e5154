"""Chinese labels of the training app's audit actions and settings (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "training.create": "新建培训",
    "training.update": "修改培训",
    "training.attendance.record": "登记参训",
    "training.attendance.remove": "删除参训记录",
    "training.requirement.set": "设定年度学时要求",
})
register("setting", {
    "YIFA_TRAINING_REQUIRED_HOURS": "执法人员年度培训学时要求",
})
