import django_tables2 as tables
from django.utils.html import format_html

from .models import LegalAdvisor, ReviewItem

STATE_BADGE = {"submitted": "secondary", "returned": "warning", "first_review": "info", "second_review": "info",
               "final_review": "primary", "opinion_issued": "success", "adoption_recorded": "success",
               "cleared": "success", "filed": "dark", "withdrawn": "light"}


class ItemTable(tables.Table):
    number = tables.Column("审查编号", linkify=("review:item_detail", {"pk": tables.A("pk")}))
    title = tables.Column("事项名称", linkify=("review:item_detail", {"pk": tables.A("pk")}))
    item_type = tables.Column("类型")
    org = tables.Column("报送单位", order_by=("org__path",))
    submitted_on = tables.DateColumn(verbose_name="报送日期", format="Y-m-d")
    round = tables.Column("轮次")
    state = tables.Column("状态")
    final_conclusion = tables.Column("结论")

    class Meta:
        model = ReviewItem
        fields = ("number", "title", "item_type", "org", "submitted_on", "round", "state", "final_conclusion")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "item-table"}

    def render_state(self, value, record):
        return format_html('<span class="badge text-bg-{} state-{}">{}</span>', STATE_BADGE.get(record.state, "light"),
                           record.state, value)


class AdvisorTable(tables.Table):
    name = tables.Column("姓名", linkify=("review:advisor_detail", {"pk": tables.A("pk")}))
    advisor_type = tables.Column("类型")
    firm = tables.Column("律师事务所/院校")
    org = tables.Column("服务单位", order_by=("org__path",))
    specialties = tables.Column("专业领域", orderable=False)
    county_team = tables.BooleanColumn(verbose_name="县顾问团")
    contract_end = tables.DateColumn(verbose_name="聘期至", format="Y-m-d")
    status = tables.Column("状态")

    class Meta:
        model = LegalAdvisor
        fields = ("name", "advisor_type", "firm", "org", "specialties", "county_team", "contract_end", "status")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "advisor-table"}
