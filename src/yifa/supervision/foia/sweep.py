"""Sweep: a third party consulted on an information request who lets its 15 working days pass
(政府信息公开条例 art. 32) does not stop the reply period for longer than the law allows —
the period runs again from the day after the third party's period ended (art. 33 ¶3),
recorded by the system as if a person had recorded the lapse. Idempotent: a request is
moved once, out of the consulting state."""

from yifa.core import sweep


@sweep.register("foia.third_party_lapsed")
def third_party_lapsed(today):
    from yifa.deadlines.models import ACTIVE_STATES, TrackedDeadline

    from .models import THIRD_PARTY_RULE, InfoRequest, RequestState
    from .services import opinion_lapsed

    owner_ids = (TrackedDeadline.objects
                 .filter(owner_type=InfoRequest._meta.label_lower, rule__code=THIRD_PARTY_RULE,
                         state__in=ACTIVE_STATES, due__lt=today)
                 .values_list("owner_id", flat=True))
    n = 0
    for r in InfoRequest.objects.filter(pk__in=[int(i) for i in owner_ids], state=RequestState.CONSULTING):
        opinion_lapsed(actor=None, info_request=r)
        n += 1
    return {"resumed": n}
