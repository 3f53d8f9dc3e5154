"""待办: the files a user still has to score in campaigns being scored — one row per
campaign with the number of files (one query), linking to the first file to score."""

from django.db.models import Count, Min, Q
from django.urls import reverse

from yifa.core.todos import Todo, register


@register
def files_to_score(user) -> list[Todo]:
    from .models import EvaluationFile
    from .selectors import pending_files_for

    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(pending_files_for(user).order_by().values("campaign_id", "campaign__title")
                .annotate(n=Count("id"), first=Min("seq")).order_by("campaign_id")[:20])
    if not rows:
        return []
    wanted = Q()
    for r in rows:
        wanted |= Q(campaign_id=r["campaign_id"], seq=r["first"])
    first = {(f.campaign_id, f.seq): f.pk for f in EvaluationFile.objects.filter(wanted).only("id", "campaign_id", "seq")}
    return [Todo(title=f"案卷评查“{r['campaign__title']}”：{r['n']} 份案卷待您评分",
                 url=reverse("evaluation:file_detail", args=[first[(r["campaign_id"], r["first"])]]),
                 module="案卷评查", kind="案卷评查", count=r["n"], key=f"evaluation.campaign:{r['campaign_id']}")
            for r in rows if (r["campaign_id"], r["first"]) in first]
