"""`make run` (`hues run`) says development explicitly: the services' own default is production."""

import pytest

from hues_launcher.embedded import embedded_settings
from hues_launcher.registry import ALL_APPS


def test_make_run_says_development_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_APPS:
        monkeypatch.delenv(f"{name.upper()}_ENVIRONMENT", raising=False)
    settings = embedded_settings()
    assert {s.environment for s in settings.values()} == {"development"}
