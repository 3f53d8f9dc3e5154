"""Test support: the generic scoping walk calls `add_scoping_objects(world)`: one of each
scoped record in each sibling township (plain rows: no deadlines, audit or documents)."""

from datetime import date


def add_scoping_objects(w):
    from .models import (AssessmentMark, Backtrack, Check, Decision, EducationSession, Exemption, ExemptionReason,
                         Involvement, Litigation, Method, Notice, Person, Problem, Recommendation, Reconsideration,
                         TitleEligibilityLoss, WrongCase)

    method = Method.objects.get(code="sanction_demerit")
    for key, town, tag in (("a", w.town_a, "南湖"), ("b", w.town_b, "北山")):
        lit = Litigation.objects.create(org=town, case_number=f"{tag}测试行初1号", claimant=f"{tag}测试原告",
                                        challenged_act=f"{tag}测试行政行为", filed_on=date(2025, 3, 1),
                                        court=f"{tag}测试法院", outcome="revoked", outcome_on=date(2025, 6, 1))
        rec = Reconsideration.objects.create(org=town, case_number=f"{tag}测试复议1号", claimant=f"{tag}测试申请人",
                                             challenged_act=f"{tag}测试复议行为", filed_on=date(2025, 3, 1),
                                             organ=f"{tag}测试复议机关")
        wc = WrongCase.objects.create(org=town, trigger="litigation_lost", source_key=f"litigation:{lit.pk}",
                                      litigation=lit, title=f"{tag}测试错案", opened_on=date(2025, 6, 1))
        bt = Backtrack.objects.create(org=town, wrong_case=wc, started_on=date(2025, 6, 1), summary=f"{tag}测试倒查结论")
        chk = Check.objects.create(backtrack=bt, kind="evidence", has_problem=True, finding=f"{tag}测试核查",
                                   checked_on=date(2025, 6, 5))
        Problem.objects.create(org=town, check_item=chk, kind="evidence", category="evidence",
                               description=f"{tag}测试证据问题", found_on=date(2025, 6, 5))
        person = Person.objects.create(org=town, name=f"{tag}测试责任人", post="科员")
        Involvement.objects.create(org=town, backtrack=bt, person=person, role="handler", confirmed=True,
                                   fault_share="direct", reasons=f"{tag}测试理由")
        recm = Recommendation.objects.create(org=town, issuer=w.supervision_office, wrong_case=wc,
                                             authority=f"{tag}测试有权机关", issued_on=date(2025, 7, 1),
                                             feedback_due=date(2025, 8, 1))
        from yifa.documents.services import register_document

        recm.document = register_document(actor=None, org=w.supervision_office, doc_type="accountability_recommendation",
                                          owner=recm, title=f"{tag}测试问责建议书", date=date(2025, 7, 1))
        recm.doc_number = recm.document.doc_number
        recm.save(update_fields=["document", "doc_number"])
        dec = Decision.objects.create(org=town, wrong_case=wc, person=person, method=method,
                                      authority=f"{tag}测试决定机关", decided_on=date(2025, 8, 1),
                                      doc_number=f"{tag}测试决定1号", impact_from=date(2025, 8, 1),
                                      impact_until=date(2026, 8, 1), recommendation=recm)
        wc2 = WrongCase.objects.create(org=town, trigger="reconsideration_corrected",
                                       source_key=f"reconsideration:{rec.pk}", reconsideration=rec,
                                       title=f"{tag}测试复议错案", opened_on=date(2025, 6, 1))
        Backtrack.objects.create(org=town, wrong_case=wc2, started_on=date(2025, 6, 1), state="completed")
        ex = Exemption.objects.create(org=town, wrong_case=wc2, reason=ExemptionReason.objects.first(),
                                      text=f"{tag}测试免责", decided_on=date(2025, 7, 1))
        mark = AssessmentMark.objects.create(org=town, person=person, year=2025, grade="incompetent",
                                             reason=f"{tag}测试考核")
        loss = TitleEligibilityLoss.objects.create(org=town, person=person, from_date=date(2025, 8, 1),
                                                   until=date(2026, 8, 1), reason=f"{tag}测试职称")
        notice = Notice.objects.create(org=town, year=2025, quarter=3, title=f"{tag}测试错案通报", requirements="测试",
                                       issued_on=date(2025, 10, 8))
        sess = EducationSession.objects.create(org=town, title=f"{tag}测试警示教育", held_on=date(2025, 9, 1),
                                               attendance=30)
        for name, obj in (("lit", lit), ("rec", rec), ("wc", wc), ("bt", bt), ("person", person), ("recm", recm),
                          ("decision", dec), ("exemption", ex), ("mark", mark), ("loss", loss), ("notice", notice),
                          ("session", sess)):
            w[f"acc_{name}_{key}"] = obj
    w["b_markers"] = w.get("b_markers", set()) | {
        "北山测试行初1号", "北山测试原告", "北山测试复议1号", "北山测试错案", "北山测试责任人", "北山测试决定机关",
        "北山测试错案通报", "北山测试警示教育", "北山测试有权机关"}
