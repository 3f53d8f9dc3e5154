"""The module navigation of the shell. Apps add their entries here as they arrive."""

from django.urls import reverse

from yifa.orgs.models import Role

MODULES = [
    # (label, url name, icon, roles allowed — None means every signed-in user)
    ("首页", "home", "house", None),
    ("领导驾驶舱", "reports:dashboard", "speedometer2", None),
    ("合法性审查", "review:item_list", "file-earmark-check", None),
    ("法律顾问", "review:advisor_list", "person-badge", None),
    ("行政执法", "enforcement:case_list", "briefcase", None),
    ("实时监测", "enforcement:monitoring", "activity", None),
    ("执法监督", "supervision:home", "clipboard-check", None),
    ("案卷评查", "evaluation:home", "journal-check", None),
    ("投诉举报", "complaints:home", "megaphone", None),
    ("联席会议与制度建设", "meetings:home", "people-fill", None),
    ("错案问责", "accountability:home", "exclamation-octagon", None),
    ("队伍建设", "training:home", "mortarboard", None),
    ("考核评价", "assessment:home", "bar-chart-line", None),
    ("组织机构", "orgs:org_list", "diagram-3", None),
    ("人员账号", "orgs:user_list", "people", None),
    ("法定期限计算器", "deadlines:calculator", "calendar2-check", None),
    ("期限监控", "deadlines:tracked_list", "alarm", None),
    ("节假日日历", "deadlines:holiday_list", "calendar3", None),
    ("公文", "documents:list", "file-earmark-text", None),
    ("审计日志", "audit:event_list", "shield-check", (Role.ADMIN, Role.SUPERVISOR, Role.LEADER)),
    ("接口文档", "api-docs", "code-slash", None),
]


# Entries whose URL namespace is listed here are grouped into one menu of the navbar.
GROUPS = {
    "review": ("前端防范", "file-earmark-check"),
    "enforcement": ("执法监督", "shield-shaded"),
    "supervision": ("执法监督", "shield-shaded"),
    "evaluation": ("执法监督", "shield-shaded"),
    "complaints": ("执法监督", "shield-shaded"),
    "meetings": ("执法监督", "shield-shaded"),
    "accountability": ("错案问责", "exclamation-octagon"),
    "training": ("综合保障", "mortarboard"),
    "assessment": ("综合保障", "mortarboard"),
    "deadlines": ("法定期限", "calendar2-check"),
    "documents": ("系统管理", "gear"),
    "orgs": ("系统管理", "gear"),
    "audit": ("系统管理", "gear"),
    "api-docs": ("系统管理", "gear"),
}


def modules_for(user):
    """Navbar entries the user may open: single links, or groups with `children`."""
    out, groups = [], {}
    for label, name, icon, roles in MODULES:
        if roles is not None and not user.has_role(*roles):
            continue
        try:
            url = reverse(name)
        except Exception:  # module not installed in this build
            continue
        entry = {"label": label, "url": url, "icon": icon, "name": name}
        group = GROUPS.get(name.split(":")[0])
        if group is None:
            out.append(entry)
            continue
        if group[0] not in groups:
            groups[group[0]] = {"label": group[0], "icon": group[1], "children": []}
            out.append(groups[group[0]])
        groups[group[0]]["children"].append(entry)
    return out
