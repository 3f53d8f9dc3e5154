"""Excel exports of the base libraries and cases: openpyxl write-only, streamed in chunks,
only the rows visible to the user. Headers match the import columns."""



from yifa.core import clock
from . import selectors

EXPORTERS = {
    "body": ("执法主体", ["主体名称", "单位代码", "主体性质", "职权依据"],
             lambda u: selectors.bodies(u).order_by("id"),
             lambda o: [o.name, o.org.code, o.kind, o.legal_basis]),
    "officer": ("执法人员", ["执法证号", "姓名", "单位代码", "有效期起", "有效期至", "状态"],
                lambda u: selectors.officers(u).order_by("id"),
                lambda o: [o.certificate_no, o.name, o.org.code, o.valid_from, o.valid_to, o.status]),
    "item": ("执法事项", ["事项编码", "事项名称", "实施单位代码", "类别", "法律依据"],
             lambda u: selectors.items(u).order_by("id"),
             lambda o: [o.code, o.name, o.org.code, o.category, o.legal_basis]),
    "case": ("执法案件", ["来源案号", "办案单位代码", "事项编码", "案件类型", "程序", "立案日期", "案由", "当事人",
                          "处罚种类", "罚款金额", "环节", "届满日", "届满日暂定", "按时办结"],
             lambda u: selectors.cases(u).order_by("id"),
             lambda o: [o.source_case_no, o.org.code, o.item.code, o.case_type, o.procedure, o.filed_on, o.title,
                        o.party_name, o.sanction, o.amount, o.state_label, o.due, "暂定" if o.due_provisional else "", o.on_time]),
}


def export_response(user, kind):
    from yifa.core.xlsx import Workbook

    title, header, query, row = EXPORTERS[kind]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append(header)
    for obj in query(user).iterator(chunk_size=2000):
        ws.append(row(obj))
    return wb.response(f"{title}-{clock.today():%Y%m%d}.xlsx")
