"""The module navigation of the shell. Apps add their entries here as they arrive."""

from django.urls import reverse

from yifa.orgs.models import Role

MODULES = [
    # (label, url name, icon, roles allowed — None means every signed-in user)
    ("首页", "home", "house", None),
    ("合法性审查", "review:item_list", "file-earmark-check", None),
    ("法律顾问", "review:advisor_list", "person-badge", None),
    ("行政执法", "enforcement:case_list", "briefcase", None),
    ("实时监测", "enforcement:monitoring", "activity", None),
    ("公文", "documents:list", "file-earmark-text", None),
    ("组织机构", "orgs:org_list", "diagram-3", None),
    ("人员账号", "orgs:user_list", "people", None),
    ("法定期限计算器", "deadlines:calculator", "calendar2-check", None),
    ("期限监控", "deadlines:tracked_list", "alarm", None),
    ("节假日日历", "deadlines:holiday_list", "calendar3", None),
    ("审计日志", "audit:event_list", "shield-check", (Role.ADMIN, Role.SUPERVISOR, Role.LEADER)),
    ("接口文档", "api-docs", "code-slash", None),
]


def modules_for(user):
    out = []
    for label, name, icon, roles in MODULES:
        if roles is not None and not user.has_role(*roles):
            continue
        try:
            url = reverse(name)
        except Exception:  # module not installed in this build
            continue
        out.append({"label": label, "url": url, "icon": icon, "name": name})
    return out
