"""Excel export of complaints (personal data masked), streamed in write-only mode."""

from yifa.core.xlsx import xlsx_response

HEADERS = ["查询码", "接收日期", "来源", "12345工单号", "投诉人", "联系电话", "被投诉单位", "承办单位", "类别", "状态",
           "转办日期", "办理期限", "办理期限暂定", "答复日期", "办结日期", "是否按期答复", "转为监督问题"]


def rows(qs):
    for c in qs.select_related("org", "subject_unit").order_by("-received_on", "-id").iterator(chunk_size=1000):
        on_time = "" if not (c.replied_on and c.due) else ("是" if c.replied_on <= c.due else "否")
        yield [c.query_code, c.received_on, c.get_source_display(), c.hotline_ticket, c.masked_name, c.masked_phone,
               c.subject_unit.name, c.org.name, c.get_category_display(), c.get_state_display(), c.routed_on, c.due,
               "暂定" if c.due_provisional else "",
               c.replied_on, c.closed_on, on_time, c.finding_id or ""]


def complaints_xlsx(qs):
    return xlsx_response("投诉举报.xlsx", [("投诉举报", HEADERS, rows(qs))])


def statistics_xlsx(data, start, end):
    s = data["summary"]
    summary = [["接收件数", s["total"]], ["待转办", s["to_route"]], ["办理中", s["routed"]], ["超期未答复", s["overdue_open"]],
               ["已答复待办结", s["replied"]], ["已办结", s["closed"]], ["不予受理", s["rejected"]],
               ["已答复", s["answered"]], ["按期答复", s["answered_on_time"]],
               ["按期答复率(%)", s["on_time_rate"] if s["on_time_rate"] is not None else ""],
               ["转为监督问题", s["to_finding"]]]
    return xlsx_response(f"投诉举报统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx", [
        ("汇总", ["指标", "数值"], summary),
        ("按来源", ["来源", "件数", "已答复", "超期"], ([r["label"], r["n"], r["answered"], r["overdue"]]
                                                     for r in data["by_source"])),
        ("按状态", ["状态", "件数"], ([r["label"], r["n"]] for r in data["by_state"])),
        ("按承办单位", ["单位", "件数", "已答复", "按期答复", "按期率(%)", "超期"],
         ([r["org__name"], r["n"], r["answered"], r["on_time"], r["rate"] if r["rate"] is not None else "", r["overdue"]]
          for r in data["by_unit"])),
    ])
