from datetime import date

from yifa.supervision.complaints import services
from yifa.supervision.complaints.models import Complaint

RECEIVED = date(2026, 3, 2)


def staff_complaint(world, *, unit=None, on=RECEIVED, **kw) -> Complaint:
    data = dict(source="letter", category="fine", complainant_name="张三丰", complainant_phone="13812341234",
                complainant_id_no="371523199001011234", content="执法人员在检查中随意罚款且未出具任何文书。")
    data.update(kw)
    c, _ = services.register_complaint(actor=world.supervisor, subject_unit=unit or world.dept_a, on=on, **data)
    return c
