"""Upgrade step for numbers written before the documents app was the only numbering authority.

Called from the data migrations of the apps whose records show a 文号 (historical models
only: it must keep working when the current models change). Each record holding a number
without an issued document gets one, registered (登记, no files) under the issuing unit:

1. In id order, a number that is free for its unit — not held by an issued document and
   its serial not taken for that type and year — is kept as it is; the unit's sequence is
   moved past its serial, so the next real issue cannot hand it out again.
2. Then, again in id order, every number that was taken (a duplicate) gets the next number
   of the unit's sequence. The old number stays in the document's text ("原文号…") and the
   change is printed by `migrate`, so the renumbering is recorded and can be told to the
   unit. Deterministic: the same database always gives the same numbers.

Renumbering rather than refusing: the duplicates come from our own demo loader and from
historical letters typed in with numbers the sequence did not know; a refusal would leave
an operator with no way forward but editing the database by hand.
"""

import re

from django.utils import timezone

from .types import DOC_TYPES, unit_code_word

NUMBER_RE = re.compile(r"〔(\d{4})〕(\d+)号\s*$")


def _prefix(apps, org, dtype):
    Prefix = apps.get_model("documents", "DocumentNumberPrefix")
    override = Prefix.objects.filter(org_id=org.pk, doc_type=dtype.code).values_list("prefix", flat=True).first()
    return override or unit_code_word(org) + dtype.type_word


def _sequence(apps, org_id, year, doc_type):
    Seq = apps.get_model("documents", "DocumentSequence")
    seq, _ = Seq.objects.get_or_create(org_id=org_id, year=year, doc_type=doc_type, defaults={"last_number": 0})
    return seq


def adopt_unbacked_numbers(apps, *, app_label, model_name, number, document, issuer, doc_type, title, day,
                           out=print):
    """Give every `model_name` row with a `number` but no `document` a registered document.

    `issuer`: the field of the issuing unit (its value may be empty: then the row's `org`);
    `title(row)` / `day(row)`: the document's title and 成文日期. Returns (kept, renumbered)."""
    Model = apps.get_model(app_label, model_name)
    Doc = apps.get_model("documents", "IssuedDocument")
    Org = apps.get_model("orgs", "Organization")
    dtype = DOC_TYPES[doc_type]
    owner_type = f"{app_label}.{model_name.lower()}"
    rows = list(Model.objects.exclude(**{number: ""}).filter(**{f"{document}__isnull": True}).order_by("pk"))
    if not rows:
        return 0, 0
    orgs = {}

    def org_of(row):
        org_id = getattr(row, f"{issuer}_id", None) or row.org_id
        if org_id not in orgs:
            orgs[org_id] = Org.objects.get(pk=org_id)
        return orgs[org_id]

    def register(row, org, doc_number, year, serial, note):
        seq = _sequence(apps, org.pk, year, doc_type)
        if seq.last_number < serial:
            seq.last_number = serial
            seq.save(update_fields=["last_number"])
        body = [{"kind": "paragraph", "text": note}]
        content = {"issuer": org.name, "title": title(row), "body": body, "addressee": "", "signature": org.name,
                   "date": day(row).isoformat(), "cc": [], "attachments": [], "issuer_red": True,
                   "doc_number": doc_number, "secrecy": "", "urgency": "", "registered": True}
        doc = Doc.objects.create(org_id=org.pk, doc_type=doc_type, doc_number=doc_number, year=year, serial=serial,
                                 title=title(row)[:300], owner_type=owner_type, owner_id=str(row.pk),
                                 content=content, docx_file="", docx_sm3="", pdf_file="", pdf_sm3="",
                                 created_at=timezone.now())
        Model.objects.filter(pk=row.pk).update(**{number: doc_number, f"{document}": doc.pk}
                                               if document.endswith("_id") else
                                               {number: doc_number, f"{document}_id": doc.pk})

    kept, later = 0, []
    for row in rows:
        org, old = org_of(row), getattr(row, number).strip()
        m = NUMBER_RE.search(old)
        if m and not Doc.objects.filter(org_id=org.pk, doc_number=old).exists() and not Doc.objects.filter(
                org_id=org.pk, doc_type=doc_type, year=int(m[1]), serial=int(m[2])).exists():
            register(row, org, old, int(m[1]), int(m[2]), "本公文在系统外印发，此处仅登记文号，系统中没有电子文件。")
            kept += 1
        else:
            later.append((row, org, old, int(m[1]) if m else day(row).year))
    for row, org, old, year in later:
        seq = _sequence(apps, org.pk, year, doc_type)
        while True:
            seq.last_number += 1
            new = dtype.format_number(prefix=_prefix(apps, org, dtype), year=year, serial=seq.last_number)
            if not Doc.objects.filter(org_id=org.pk, doc_number=new).exists():
                break
        seq.save(update_fields=["last_number"])
        register(row, org, new, year, seq.last_number,
                 f"原文号“{old}”与本单位其他公文重复，统一编号时改为“{new}”。本公文在系统外印发，系统中没有电子文件。")
        out(f"  {Model._meta.verbose_name} #{row.pk}: 文号 {old} 重复，改为 {new}")
    return kept, len(later)


def migration(**spec):
    """A RunPython forward function for `adopt_unbacked_numbers` (reverse: nothing to undo
    that would be safe — the registered documents stay)."""

    def forward(apps, schema_editor):
        kept, renumbered = adopt_unbacked_numbers(apps, **spec)
        if kept or renumbered:
            print(f"\n  {spec['app_label']}.{spec['model_name']}: 登记历史文号 {kept} 个，重复改号 {renumbered} 个"
                  f" (registered {kept}, renumbered {renumbered})")

    return forward
