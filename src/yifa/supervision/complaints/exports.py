"""Excel export of complaints (personal data masked), streamed in write-only mode."""

from yifa.review.exports import xlsx_response

HEADERS = ["查询码", "接收日期", "来源", "12345工单号", "投诉人", "联系电话", "被投诉单位", "承办单位", "类别", "状态",
           "转办日期", "办理期限", "答复日期", "办结日期", "是否按期答复", "转为监督问题"]


def rows(qs):
    for c in qs.select_related("org", "subject_unit").order_by("-received_on", "-id").iterator(chunk_size=1000):
        on_time = "" if not (c.replied_on and c.due) else ("是" if c.replied_on <= c.due else "否")
        yield [c.query_code, c.received_on, c.get_source_display(), c.hotline_ticket, c.masked_name, c.masked_phone,
               c.subject_unit.name, c.org.name, c.get_category_display(), c.get_state_display(), c.routed_on, c.due,
               c.replied_on, c.closed_on, on_time, c.finding_id or ""]


def complaints_xlsx(qs):
    return xlsx_response("投诉举报.xlsx", [("投诉举报", HEADERS, rows(qs))])
