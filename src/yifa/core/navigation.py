"""The module navigation of the shell, and which roles use each module.

This table is the one place that says who uses a module: the navbar shows a person the
modules their roles use; a module whose views refuse other roles (403) checks through
`require_module`; the home page shows no to-do that links into a module the person does
not use. Apps add their entries here as they arrive."""

from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve, reverse

from yifa.orgs.models import Role

ADMIN, SUPERVISOR, LEADER = Role.ADMIN, Role.SUPERVISOR, Role.LEADER
LEGAL_OFFICERS = (Role.DEPARTMENT_LEGAL_OFFICER, Role.TOWNSHIP_LEGAL_OFFICER)
LAWYERS = (Role.DUTY_LAWYER, Role.EXPERT_LAWYER, Role.ADVISOR_OFFICE)
# the supervision side: the county office, the units' legal officers, and the leaders who read
SUPERVISION = (SUPERVISOR, *LEGAL_OFFICERS, LEADER)

MODULES = [
    # (label, url name, icon, roles that use it — None means every signed-in user)
    ("首页", "home", "house", None),
    ("领导驾驶舱", "reports:dashboard", "speedometer2", (LEADER, SUPERVISOR, *LEGAL_OFFICERS)),
    ("合法性审查", "review:item_list", "file-earmark-check", (*LEGAL_OFFICERS, *LAWYERS, SUPERVISOR, LEADER)),
    ("法律顾问", "review:advisor_list", "person-badge", (*LEGAL_OFFICERS, *LAWYERS, SUPERVISOR, LEADER)),
    ("行政执法", "enforcement:case_list", "briefcase", (Role.OFFICER, *SUPERVISION)),
    ("实时监测", "enforcement:monitoring", "activity", (Role.OFFICER, *SUPERVISION)),
    ("执法监督", "supervision:home", "clipboard-check", SUPERVISION),
    ("案卷评查", "evaluation:home", "journal-check", (*SUPERVISION, Role.DUTY_LAWYER, Role.EXPERT_LAWYER)),
    ("投诉举报", "complaints:home", "megaphone", SUPERVISION),
    ("政府信息公开申请", "foia:list", "envelope-open", (Role.OFFICER, *SUPERVISION)),
    ("联席会议与制度建设", "meetings:home", "people-fill", SUPERVISION),
    ("错案问责", "accountability:home", "exclamation-octagon", SUPERVISION),
    ("队伍建设", "training:home", "mortarboard", (Role.OFFICER, *SUPERVISION, ADMIN)),
    ("考核评价", "assessment:home", "bar-chart-line", SUPERVISION),
    ("组织机构", "orgs:org_list", "diagram-3", None),
    ("人员账号", "orgs:user_list", "people", (ADMIN, SUPERVISOR, *LEGAL_OFFICERS)),
    ("法定期限计算器", "deadlines:calculator", "calendar2-check", None),
    ("期限监控", "deadlines:tracked_list", "alarm", None),
    ("节假日日历", "deadlines:holiday_list", "calendar3", (ADMIN, SUPERVISOR, *LEGAL_OFFICERS)),
    ("公文", "documents:list", "file-earmark-text", None),
    ("审计日志", "audit:event_list", "shield-check", (ADMIN, SUPERVISOR, LEADER)),
    ("接口文档", "api-docs", "code-slash", (ADMIN,)),
]
BY_NAME = {name: (label, roles) for label, name, _icon, roles in MODULES}


# Entries whose URL namespace is listed here are grouped into one menu of the navbar.
GROUPS = {
    "review": ("前端防范", "file-earmark-check"),
    "enforcement": ("执法监督", "shield-shaded"),
    "supervision": ("执法监督", "shield-shaded"),
    "evaluation": ("执法监督", "shield-shaded"),
    "complaints": ("执法监督", "shield-shaded"),
    "foia": ("执法监督", "shield-shaded"),
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


def may_use(user, name: str) -> bool:
    """Does one of the user's roles use the module whose entry is url name `name`?"""
    _label, roles = BY_NAME[name]
    return roles is None or user.has_role(*roles)


def require_module(user, name: str) -> None:
    """For the views of a module other roles may not open: 403 in words."""
    if not may_use(user, name):
        raise PermissionDenied(f"您的角色不使用“{BY_NAME[name][0]}”模块。")


def _namespace_roles():
    """{url namespace: roles using any of its modules (None: everyone)}."""
    out = {}
    for _label, name, _icon, roles in MODULES:
        ns = name.split(":")[0] if ":" in name else None
        if ns is None:
            continue
        if roles is None or out.get(ns, ()) is None:
            out[ns] = None
        else:
            out[ns] = tuple(set(out.get(ns, ())) | set(roles))
    return out


def may_open(user, url: str) -> bool:
    """May the user's roles open the module `url` belongs to (a to-do's link)?"""
    try:
        match = resolve(urlparse(url).path)
    except Resolver404:
        return True
    roles = _namespace_roles().get(match.namespaces[0] if match.namespaces else "", None)
    return roles is None or user.has_role(*roles)


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
