"""Chinese labels of the audit app's own actions (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "audit.baseline": "纳入审计比对（批量生成的记录）",
})
