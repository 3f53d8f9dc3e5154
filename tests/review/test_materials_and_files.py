"""Reviewers see the drafting explanation and legal basis; a resubmission without a new
file keeps the file uploaded earlier."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yifa.review import services
from yifa.review.models import ReviewItem, Tier

from .conftest import item_fields
from .test_views_api import docx_bytes

pytestmark = pytest.mark.django_db

OPINION = dict(authority="制定主体适格。", procedure="已履行公开征求意见程序。", content="第二条设定了行政许可。")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_reviewer_sees_drafting_explanation_and_legal_basis(office, client_for):
    w = office
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, **item_fields(
        drafting_explanation="为规范户外广告设置，经调研起草。", legal_basis="《城市市容和环境卫生管理条例》第十一条"))
    services.act(item, "accept", actor=w.office_user)
    page = client_for(w.duty).get(f"/review/items/{item.pk}/").content.decode()
    assert 'id="drafting-explanation">为规范户外广告设置，经调研起草。' in page
    assert 'id="legal-basis">《城市市容和环境卫生管理条例》第十一条' in page


def test_resubmission_keeps_the_earlier_file(office, client_for, media):
    w = office
    upload = SimpleUploadedFile("户外广告办法（送审稿）.docx", docx_bytes())
    item = services.submit_item(actor=w.dept_a_legal, org=w.dept_a, upload=upload, **item_fields())
    services.act(item, "accept", actor=w.office_user)
    services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="disagree", **OPINION)
    item = services.act(ReviewItem.objects.get(pk=item.pk), "return_revision", actor=w.expert, reason="请修改第二条")
    c = client_for(w.dept_a_legal)
    form = c.get(f"/review/items/{item.pk}/resubmit/").content.decode()
    assert 'id="current-file">已上传：户外广告办法（送审稿）.docx（第 1 轮）' in form
    item = services.resubmit_item(actor=w.dept_a_legal, item=item, draft_text="第一条 修改后的办法。")
    first, second = item.drafts.get(round=1), item.drafts.get(round=2)
    assert second.file and second.file.name == first.file.name
    assert second.file_name == "户外广告办法（送审稿）.docx" and second.file_kind == "docx"
    resp = c.get(f"/review/items/{item.pk}/drafts/2/")
    assert resp.status_code == 200 and b"".join(resp.streaming_content)[:2] == b"PK"
    # a new file replaces it for the new round only
    item = ReviewItem.objects.get(pk=item.pk)
    services.act(item, "accept", actor=w.office_user)
    services.submit_opinion(actor=w.duty, item=item, tier=Tier.FIRST, conclusion="disagree", **OPINION)
    item = services.act(ReviewItem.objects.get(pk=item.pk), "return_revision", actor=w.expert, reason="再改")
    item = services.resubmit_item(actor=w.dept_a_legal, item=item,
                                  upload=SimpleUploadedFile("第三稿.docx", docx_bytes("第一条 第三稿。")))
    assert item.drafts.get(round=3).file_name == "第三稿.docx"
    assert item.drafts.get(round=2).file_name == "户外广告办法（送审稿）.docx"
