"""Chinese labels of the orgs app's audit actions (see yifa.core.labels)."""

from yifa.core.labels import register

from .models import Role

register("role", dict(Role.choices))
register("field", {"roles": "角色"})

register("audit", {
    "org.create": "新建单位",
    "org.update": "修改单位",
    "org.move": "调整上级单位",
    "user.create": "新建账号",
    "user.update": "修改账号",
    "user.password": "修改密码",
    "token.issue": "签发接口令牌",
    "token.revoke": "吊销接口令牌",
})
