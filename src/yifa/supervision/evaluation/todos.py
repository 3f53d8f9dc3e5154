"""待办: the files a user still has to score in campaigns being scored (one query)."""

from django.urls import reverse

from yifa.core.todos import Todo, register


@register
def files_to_score(user) -> list[Todo]:
    from .selectors import pending_files_for

    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(pending_files_for(user)[:20])
    return [Todo(title=f"案卷评查：{f.campaign.title} 第 {f.seq} 号（{f.case.case_no}）待评分",
                 url=reverse("evaluation:file_detail", args=[f.pk]), module="案卷评查") for f in rows]
