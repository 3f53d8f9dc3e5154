"""Test support: the generic scoping walk calls `add_scoping_objects(world)`: one review
item (with its draft and hints), one pre-review example and one legal advisor in each
sibling township."""

from datetime import date

FULL = dict(
    item_type="normative_document",
    draft_text="第一条 为加强农村人居环境管理，制定本办法。\n第二条 违反本办法乱扔垃圾的，处五十元罚款。",
    drafting_explanation="起草说明：依据上级部署起草。", legal_basis="《中华人民共和国环境保护法》",
    public_participation="2025年5月1日至31日在政府网站公开征求意见，收到意见3条。",
)


def add_scoping_objects(w):
    from .models import AdvisorType, ExampleSource, LegalAdvisor, PrecheckExample
    from .services import submit_item

    for key, town, title, name in (
        ("a", w.town_a, "南湖镇测试规范性文件审查事项", "南湖测试顾问"),
        ("b", w.town_b, "北山镇测试规范性文件审查事项", "北山测试顾问"),
    ):
        w[f"review_item_{key}"] = submit_item(actor=None, org=town, title=title, on=date(2025, 6, 10), **FULL)
        w[f"advisor_{key}"] = LegalAdvisor.objects.create(
            org=town, name=name, advisor_type=AdvisorType.PRACTISING_LAWYER, firm=f"{name}律师事务所",
            specialties="行政法")
        item = w[f"review_item_{key}"]
        w[f"precheck_example_{key}"] = PrecheckExample.objects.create(
            org=town, item=item, text=f"{town.name}测试样本条款：须经镇政府同意方可经营。", label="permit",
            source=ExampleSource.REVIEWER_FINDING, reason="变相许可", created_on=date(2025, 6, 11))
    w["b_markers"] = w.get("b_markers", set()) | {"北山镇测试规范性文件审查事项", "北山测试顾问", "北山镇测试样本条款"}
