"""Sweep: make first-instance outcomes effective when their appeal period passed with no
appeal (opening the wrong case then, once); remind the supervisors of recommendation letters
whose feedback is overdue with no decision recorded (idempotent through the notification
dedupe key)."""

from yifa.core import sweep


@sweep.register("accountability.appeal_periods")
def appeal_periods(today):
    from .services import settle_appeal_periods

    return {"effective": settle_appeal_periods(today)}


@sweep.register("accountability.recommendation_feedback")
def overdue_feedback(today):
    from yifa.core.services import notify
    from yifa.orgs.models import Role, User

    from .models import Recommendation

    n = 0
    for rec in (Recommendation.objects.filter(feedback_due__lt=today, decisions__isnull=True,
                                              wrong_case__exemption__isnull=True)
                .select_related("issuer", "wrong_case").distinct()):
        recipients = User.objects.filter(org=rec.issuer, is_active=True, role_assignments__role=Role.SUPERVISOR)
        n += notify(recipients=list(recipients), title=f"错案问责建议书 {rec.doc_number} 反馈逾期",
                    body=f"{rec.authority} 应于 {rec.feedback_due:%Y-%m-%d} 前反馈处理结果。",
                    url=f"/accountability/recommendations/{rec.pk}/", level="red",
                    dedupe_key=f"accountability.rec.{rec.pk}.overdue")
    return {"notifications": n}
