"""The shared scorer on the labelled dev resolutions, run exactly as the issue describes."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO, shared_or_skip


def score(folder: str, *extra: str) -> dict[str, float]:
    env = dict(os.environ, UNKG_CMD=f"{sys.executable} -m unkg.cli")
    scorer, data = shared_or_skip("eval", "score_paragraphs.py"), shared_or_skip("corpus-dev", folder)
    p = subprocess.run([sys.executable, str(scorer), str(data), *extra],
                       capture_output=True, text=True, env=env, timeout=900, cwd=str(REPO))
    assert p.returncode == 0, p.stdout + p.stderr
    last = p.stdout.strip().splitlines()[-1]
    print(last)
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", last)}


def test_text_resolutions_meet_targets():
    s = score("un-resolutions")
    assert s["coverage"] >= 0.99
    assert s["kind_acc"] >= 0.98
    assert s["verb_acc"] >= 0.97
    assert s["label_acc"] >= 0.99


@pytest.mark.slow
def test_pdf_renderings_meet_targets():
    s = score("rendered-pdf", "--ext", "pdf")
    assert s["coverage"] >= 0.99
    assert s["kind_acc"] >= 0.98
    assert s["verb_acc"] >= 0.97
    assert s["label_acc"] >= 0.99
