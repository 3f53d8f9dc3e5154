"""The demo county's organisations and accounts: shaped like the speech (a county
government, a justice bureau with its supervision office and the legal advisor office,
23 enforcement departments each with an internal supervision unit, 18 townships each
with a legal office) and one account per role."""

from yifa.core import demo

from . import services
from .models import Organization, OrgKind, Role

DEMO_PASSWORD = "Yifa@Demo2026"

DEPARTMENTS = [
    ("scjg", "县市场监督管理局"), ("sthj", "县生态环境局"), ("zrzy", "县自然资源局"),
    ("zjj", "县住房和城乡建设局"), ("jtys", "县交通运输局"), ("slj", "县水利局"),
    ("nync", "县农业农村局"), ("yjgl", "县应急管理局"), ("wsjk", "县卫生健康委员会"),
    ("jyj", "县教育和体育局"), ("whly", "县文化和旅游局"), ("ga", "县公安局"),
    ("mz", "县民政局"), ("rlzy", "县人力资源和社会保障局"), ("cz", "县财政局"),
    ("sw", "县税务局"), ("ybj", "县医疗保障局"), ("lyj", "县林业局"),
    ("swj", "县商务局"), ("fgj", "县发展和改革局"), ("tjj", "县统计局"),
    ("zhzf", "县综合行政执法局"), ("xfjy", "县消防救援大队"),
]

TOWNSHIPS = [
    ("cg", "城关街道"), ("dongc", "东城街道"), ("xic", "西城街道"), ("nanh", "南湖镇"),
    ("beis", "北山镇"), ("qingx", "青溪镇"), ("baim", "白马镇"), ("lius", "柳树镇"),
    ("huangt", "黄土镇"), ("shiq", "石桥镇"), ("heq", "河桥镇"), ("songl", "松林镇"),
    ("taoy", "桃园乡"), ("xingf", "杏坊乡"), ("dagou", "大沟乡"), ("xiaoh", "小河乡"),
    ("yangc", "杨村乡"), ("wangj", "王家乡"),
]

# (username, display name, role, org code, post)
ACCOUNTS = [
    ("admin", "系统管理员", Role.ADMIN, "QH-GOV", "信息中心"),
    ("leader", "王县长", Role.LEADER, "QH-GOV", "副县长"),
    ("supervisor", "李监督", Role.SUPERVISOR, "QH-SFJ-JDB", "行政执法监督办公室主任"),
    ("advisor_office", "赵顾问", Role.ADVISOR_OFFICE, "QH-SFJ-GWS", "法律顾问室主任"),
    ("duty_lawyer", "钱律师", Role.DUTY_LAWYER, "QH-SFJ-GWS", "政府坐班律师"),
    ("expert_lawyer", "孙律师", Role.EXPERT_LAWYER, "QH-SFJ-GWS", "专家律师"),
    ("dept_legal_scjg", "周法制", Role.DEPARTMENT_LEGAL_OFFICER, "QH-D-scjg-NJ", "法制股股长"),
    ("dept_legal_sthj", "吴法制", Role.DEPARTMENT_LEGAL_OFFICER, "QH-D-sthj-NJ", "法制股股长"),
    ("town_legal_nanh", "郑法制", Role.TOWNSHIP_LEGAL_OFFICER, "QH-T-nanh-FZ", "法制办主任"),
    ("town_legal_beis", "冯法制", Role.TOWNSHIP_LEGAL_OFFICER, "QH-T-beis-FZ", "法制办主任"),
    ("officer", "陈执法", Role.OFFICER, "QH-D-scjg", "执法队员"),
]


def build_organizations(progress=lambda msg: None) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}

    def add(code, name, kind, parent=None, **extra):
        orgs[code] = services.create_organization(actor=None, code=code, name=name, kind=kind, parent=parent,
                                                  **extra)
        return orgs[code]

    province = add("SF", "示范省", OrgKind.PROVINCE)
    city = add("SF-QZ", "清州市", OrgKind.CITY, province)
    county = add("QH-GOV", "清河县人民政府", OrgKind.COUNTY, city, head_name="刘县长")
    justice = add("QH-SFJ", "清河县司法局", OrgKind.JUSTICE_BUREAU, county, sort_order=1)
    add("QH-SFJ-JDB", "清河县行政执法监督办公室", OrgKind.SUPERVISION_OFFICE, justice)
    add("QH-SFJ-GWS", "清河县人民政府法律顾问室", OrgKind.ADVISOR_OFFICE, justice)
    progress("单位：县政府、司法局、执法监督办公室、法律顾问室")
    for i, (code, name) in enumerate(DEPARTMENTS, start=1):
        dept = add(f"QH-D-{code}", name, OrgKind.DEPARTMENT, county, sort_order=10 + i)
        add(f"QH-D-{code}-NJ", f"{name}法制股（内设监督机构）", OrgKind.INTERNAL_SUPERVISION_UNIT, dept)
    progress(f"单位：{len(DEPARTMENTS)} 个行政执法部门及其内设监督机构")
    for i, (code, name) in enumerate(TOWNSHIPS, start=1):
        town = add(f"QH-T-{code}", name, OrgKind.TOWNSHIP, county, sort_order=100 + i)
        add(f"QH-T-{code}-FZ", f"{name}法制办公室", OrgKind.TOWNSHIP_LEGAL_OFFICE, town)
    progress(f"单位：{len(TOWNSHIPS)} 个乡镇（街道）及其法制办公室")
    return orgs


def build_accounts(orgs, progress=lambda msg: None):
    users = {}
    for username, name, role, org_code, post in ACCOUNTS:
        users[username] = services.create_user(
            actor=None, username=username, display_name=name, org=orgs[org_code], roles=[role],
            password=DEMO_PASSWORD, post=post, is_demo=True,
        )
    progress(f"账号：{len(users)} 个演示账号（每个角色至少一个）")
    return users


@demo.register("orgs", order=0)
def load(ctx, progress):
    ctx["orgs"] = build_organizations(progress)
    ctx["users"] = build_accounts(ctx["orgs"], progress)


def demo_accounts():
    """The demo accounts as they exist in the database (skips any that were removed)."""
    from .models import User

    by_name = {u.username: u for u in User.objects.filter(is_demo=True).select_related("org")}
    out = []
    for username, _name, role, _org, _post in ACCOUNTS:
        user = by_name.get(username)
        if user is None:
            continue
        out.append({"username": username, "password": DEMO_PASSWORD, "role": str(role), "role_label": role.label,
                    "org": user.org_id, "org_name": user.org.name, "display_name": user.display_name})
    return out
