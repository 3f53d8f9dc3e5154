import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from yifa.audit import keys


@pytest.fixture
def key_file(settings, tmp_path):
    settings.YIFA_AUDIT_KEY = ""
    settings.YIFA_AUDIT_KEY_FILE = tmp_path / "audit.key"
    keys._file_cache.clear()
    yield settings.YIFA_AUDIT_KEY_FILE
    keys._file_cache.clear()


def test_outside_production_a_random_key_file_is_created_once(key_file):
    key = keys.audit_key()
    assert len(key) == 64 and key_file.read_text().strip().encode() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    keys._file_cache.clear()
    assert keys.audit_key() == key  # read back, not regenerated


def test_production_never_generates_a_key(key_file, settings):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        keys.audit_key()
    assert not key_file.exists()


def test_short_keys_are_refused(key_file, settings):
    settings.YIFA_AUDIT_KEY = "short"
    with pytest.raises(ImproperlyConfigured):
        keys.audit_key()
    settings.YIFA_AUDIT_KEY = ""
    key_file.write_text("tiny\n")
    with pytest.raises(ImproperlyConfigured):
        keys.audit_key()


def test_the_key_id_names_the_key_without_revealing_it(settings):
    a = keys.key_id(b"a" * 40)
    assert len(a) == 16 and a != keys.key_id(b"b" * 40) and a not in ("a" * 16)
