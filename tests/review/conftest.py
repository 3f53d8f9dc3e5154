"""Review fixtures: the county's advisor office with a duty lawyer, two experts and an
office member, their advisor records and today's rota."""

import pytest
from django.utils import timezone

from tests.conftest import make_org, make_user
from yifa.orgs.models import OrgKind, Role
from yifa.review.models import AdvisorType, DutyRota, LegalAdvisor

DRAFT = ("第一条 为规范城区户外广告设置管理，制定本办法。\n"
         "第二条 在城区设置户外广告的，须经县城市管理局批准后方可设置。\n"
         "第三条 县城市管理局负责本办法的组织实施。")


@pytest.fixture
def office(world):
    world.office = make_org("T-GWS", "测试县人民政府法律顾问室", OrgKind.ADVISOR_OFFICE, world.justice)
    world.duty = make_user("t_duty", world.office, [Role.DUTY_LAWYER], "坐班钱律师")
    world.duty2 = make_user("t_duty2", world.office, [Role.DUTY_LAWYER], "坐班李律师")
    world.expert = make_user("t_expert", world.office, [Role.EXPERT_LAWYER], "专家孙律师")
    world.expert2 = make_user("t_expert2", world.office, [Role.EXPERT_LAWYER], "专家周律师")
    world.office_user = make_user("t_office", world.office, [Role.ADVISOR_OFFICE], "顾问室赵主任")
    for user, specialties in ((world.duty, "行政法"), (world.duty2, "行政法"), (world.expert, "城市管理、行政法"),
                              (world.expert2, "市场监管")):
        adv = LegalAdvisor.objects.create(org=world.office, name=user.display_name, user=user, county_team=True,
                                          advisor_type=AdvisorType.PRACTISING_LAWYER, specialties=specialties)
        if user == world.duty:
            DutyRota.objects.create(org=world.office, advisor=adv, date=timezone.localdate())
    return world


def item_fields(**extra):
    data = dict(title="清河县城区户外广告设置管理办法", item_type="normative_document", draft_text=DRAFT,
                drafting_explanation="为规范户外广告设置起草。", legal_basis="《城市市容和环境卫生管理条例》",
                public_participation="已在县政府网站公开征求意见30日。", specialty="城市管理")
    data.update(extra)
    return data
