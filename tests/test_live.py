"""Live tier (opt-in, `pytest -m live`): one seed through a real remote OpenAI-compatible server.

Set SUMMARIZER_LIVE_BASE_URL (and OPENAI_API_KEY, SUMMARIZER_LIVE_MODEL when the
server needs them). Read at import, before the autouse fixture hides the
developer's environment from every other test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summarizer.config import load_settings
from summarizer.grounding import offset_problems
from summarizer.pipeline import summarize_raw
from tests.conftest import SEEDS

pytestmark = pytest.mark.live

URL = os.environ.get("SUMMARIZER_LIVE_BASE_URL")
KEY = os.environ.get("OPENAI_API_KEY")
MODEL = os.environ.get("SUMMARIZER_LIVE_MODEL", "gpt-4o-mini")

if not URL:
    pytest.skip("live tier: set SUMMARIZER_LIVE_BASE_URL to run it", allow_module_level=True)


def test_one_seed_against_the_live_server(tmp_path: Path) -> None:
    seed = next(p for p in SEEDS if p.name.startswith("004"))
    settings = load_settings(
        backend="openai", base_url=URL, api_key=KEY, model=MODEL, cache_dir=tmp_path
    )
    result = summarize_raw(seed.read_bytes(), source=seed.name, settings=settings)
    assert offset_problems(result.article.text, result) == []
    assert result.provenance.tokens_in > 0
    if KEY:
        assert KEY not in result.model_dump_json()
