"""法律顾问名录: public columns only (never the phone or licence number), searchable by name,
firm, specialty or unit, filterable by tier, paginated; only advisors in post."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_org, make_user
from yifa.orgs.models import OrgKind, Role
from yifa.review.models import LegalAdvisor



pytestmark = pytest.mark.django_db

PHONE = "13987654321"
LICENCE = "14301201910987654"


@pytest.fixture
def office(world):
    return make_org("T-GWS", "测试县政府法律顾问室", OrgKind.ADVISOR_OFFICE, world.justice)


def advisor(org, name, **kw):
    fields = dict(org=org, name=name, advisor_type="practising_lawyer", firm="测试律师事务所", phone=PHONE,
                  license_no=LICENCE, specialties="行政法、合同法", contract_start=date(2025, 1, 1),
                  contract_end=date(2027, 12, 31))
    fields.update(kw)
    return LegalAdvisor.objects.create(**fields)


def test_list_shows_public_columns_and_no_phone(world, client, office):
    duty_user = make_user("t_duty", office, [Role.DUTY_LAWYER], "钱坐班")
    advisor(office, "钱坐班", county_team=True, user=duty_user, firm="明德律师事务所")
    advisor(office, "孙专家", county_team=True, user=make_user("t_expert", office, [Role.EXPERT_LAWYER], "孙专家"),
            specialties="生态环境、自然资源")
    advisor(office, "李教授", county_team=True, advisor_type="law_scholar", firm="测试大学法学院", license_no="")
    advisor(world.town_a, "周顾问", firm="南湖律师事务所")
    advisor(world.town_a, "吴解聘", status="terminated")
    resp = client.get(reverse("portal:advisors"))
    assert resp.status_code == 200
    body = resp.content.decode()
    for text in ("钱坐班", "明德律师事务所", "坐班律师（初审）", "孙专家", "专家律师（复审）", "生态环境", "李教授",
                 "法学专家", "测试大学法学院", "周顾问", "部门/乡镇法律顾问", "南湖镇"):
        assert text in body, text
    assert "吴解聘" not in body  # not in post
    assert PHONE not in body and LICENCE not in body
    assert not re.search(r"1[3-9]\d{9}", body), "a mobile number on the public page"
    in_post = LegalAdvisor.objects.filter(status="active").count()  # with other apps' scoping objects
    assert f"共 {in_post} 人" in body
    # county team first, duty lawyers before experts
    assert body.index("钱坐班") < body.index("孙专家") < body.index("周顾问")


def test_search_and_tier_filter(world, client, office):
    advisor(office, "钱坐班", county_team=True, user=make_user("t_duty", office, [Role.DUTY_LAWYER], "钱坐班"))
    advisor(office, "郑团员", county_team=True, specialties="城市管理")
    advisor(world.town_a, "周顾问", firm="南湖律师事务所")
    url = reverse("portal:advisors")

    def names(**params):
        body = client.get(url, params).content.decode()
        return {n for n in ("钱坐班", "郑团员", "周顾问") if n in body}

    assert names(q="城市管理") == {"郑团员"}
    assert names(q="南湖律师") == {"周顾问"}
    assert names(q="南湖镇") == {"周顾问"}  # by the unit served
    assert names(tier="duty") == {"钱坐班"}
    assert names(tier="team") == {"钱坐班", "郑团员"}
    assert names(tier="unit") == {"周顾问"}
    assert names(tier="nonsense") == {"钱坐班", "郑团员", "周顾问"}
    assert names(q="没有这个人") == set()
    # the neighbouring county's advisors are not on this county's list
    other = make_org("T-GOV2", "邻县人民政府", OrgKind.COUNTY, world.city)
    advisor(other, "邻县顾问")
    assert "邻县顾问" not in client.get(url).content.decode()
    assert LegalAdvisor.objects.filter(name="邻县顾问", status="active").exists()


def test_pagination_and_query_count(world, client, office):
    LegalAdvisor.objects.bulk_create([LegalAdvisor(org=office, name=f"门户顾问{i:02d}", advisor_type="practising_lawyer",
                                                   firm="测试律师事务所", county_team=True, phone=PHONE)
                                      for i in range(25)])
    url = reverse("portal:advisors")
    with CaptureQueriesContext(connection) as ctx:
        first = client.get(url, {"q": "门户顾问"}).content.decode()
    assert "门户顾问00" in first and "门户顾问19" in first and "门户顾问20" not in first
    assert "第 1 / 2 页" in first and "共 25 人" in first
    assert "page=2" in first
    second = client.get(url, {"q": "门户顾问", "page": 2}).content.decode()
    assert "门户顾问20" in second and "门户顾问24" in second and "门户顾问19" not in second
    assert client.get(url, {"page": "junk"}).status_code == 200
    assert len(ctx) <= 4, [q["sql"] for q in ctx.captured_queries]  # count, page, site name
