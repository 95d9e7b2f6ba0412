import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Meeting documents go to a fresh private directory for each test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return settings.PRIVATE_MEDIA_ROOT
