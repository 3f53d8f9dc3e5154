import django_tables2 as tables

from .models import Interview


class InterviewTable(tables.Table):
    held_on = tables.DateColumn(verbose_name="约谈日期", format="Y-m-d",
                                linkify=("assessment:interview_detail", {"pk": tables.A("pk")}))
    org = tables.Column("被约谈单位", order_by=("org__path",))
    unit_head = tables.Column("负责人")
    interviewers = tables.Column("约谈人")
    period = tables.Column("考核", accessor="period__name", order_by=("period__start",))
    follow_up_due = tables.DateColumn(verbose_name="跟进期限", format="Y-m-d", default="—")

    class Meta:
        model = Interview
        fields = ("held_on", "org", "unit_head", "interviewers", "period", "follow_up_due")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "interview-table"}
