"""Chinese labels of the documents app's audit actions (see yifa.core.labels)."""

from yifa.core.labels import register

register("audit", {
    "document.issue": "印发公文",
    "document.register": "登记公文",
    "document.void": "作废公文",
    "document.integrity_failure": "公文文件校验不一致",
    "document.prefix_set": "设定发文字号",
    "document.prefix_remove": "删除发文字号",
})
