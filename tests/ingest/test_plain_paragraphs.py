"""Plain text: blank-line-separated paragraphs stay separate even without final punctuation.

The 169 SDG targets (no final stops) in the six languages, one per paragraph, must give 169 blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from unkg.ingest.pipeline import parse_file

from ..conftest import shared_or_skip


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "fr", "es", "ru", "ar"])
def test_sdg_targets_one_paragraph_each(lang: str, tmp_path: Path) -> None:
    src = shared_or_skip("reference", "sdg-translations", lang, "global_targets.yml")
    targets = [v for k, v in yaml.safe_load(src.read_text(encoding="utf-8")).items() if k.endswith("-title")]
    assert len(targets) == 169
    p = tmp_path / "targets.txt"
    p.write_text("\n\n".join(targets), encoding="utf-8")
    doc = parse_file(p)
    assert len(doc.blocks) == 169
    assert doc.blocks[0].text.startswith(targets[0][:20])
