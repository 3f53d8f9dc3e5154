"""The shared input checks: text fields and the optimistic version check."""

from types import SimpleNamespace

import pytest

from yifa.core.errors import DomainError, StaleVersion
from yifa.core.validation import check_version, text_field


def test_text_field():
    assert text_field("  通报  ", "title", "标题", 10) == "通报"
    assert text_field("", "note", "说明", required=False) == ""
    with pytest.raises(DomainError) as e:
        text_field("   ", "title", "标题")
    assert e.value.fields == {"title": ["请填写标题"]}
    with pytest.raises(DomainError) as e:
        text_field("一二三四", "title", "标题", 3)
    assert "不能超过 3 字" in e.value.message


def test_check_version():
    obj = SimpleNamespace(version=3)
    check_version(obj, None)
    check_version(obj, "")
    check_version(obj, "3")
    with pytest.raises(StaleVersion):
        check_version(obj, 2)
    with pytest.raises(DomainError) as e:  # a malformed version is bad input (400), never a crash
        check_version(obj, "abc")
    assert not isinstance(e.value, StaleVersion) and e.value.fields == {"version": ["应为整数"]}
