from datetime import date

from yifa.supervision.foia import services

TODAY = date(2025, 12, 1)  # tests that write freeze the clock here (tests.clock.frozen)
RECEIVED = date(2025, 9, 26)  # a Friday before the 2025 National Day holiday (Oct 1–8, make-up Sep 28, Oct 11)


def new_request(world, *, actor=None, org=None, on=RECEIVED, **kw):
    data = dict(requester_name="张三丰", requester_kind="citizen", requester_phone="13812341234",
                content="申请公开本镇2024年财政预算执行情况", channel="in_person")
    data.update(kw)
    return services.register_request(actor=actor or world.town_a_legal, org=org or world.town_a, received_on=on,
                                     **data)
