"""`unkg demo` answers the three users on the samples: mandates with status and evidence, a precedent across
languages, explained paths from the decision to the initiatives; readable at 80 columns."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.slow


def test_demo_answers_the_three_users(tmp_path):
    env = {"UNKG_HOME": str(tmp_path / "home"), "COLUMNS": "80"}
    res = run_cli("demo", "--json", env=env, timeout=900)
    assert res.returncode == 0, res.stderr
    answers = next(json.loads(x) for x in res.stdout.splitlines() if x.startswith('{"answers"'))["answers"]
    man = answers["mandates"]
    assert man["decision"] == "decision:22/COP.15"
    assert man["rows"] and all("actor:unccd-secretariat" in m["addressees"] for m in man["rows"])
    assert all(m["status"] == "reported on" and m["evidence"] for m in man["rows"])
    prec = answers["precedent"]
    assert prec and prec["found"][0]["citation"] == "ICCD/COP(16)/18, para. 2 (a)" and prec["found"][0]["language"] == "zh"
    targets = {p["target"]["id"] for p in answers["paths"] if "steps" in p}
    assert {"initiative:changwon-initiative", "initiative:kubuqi-international-desert-forum", "initiative:ldn-tsp-2"} <= targets
    for p in answers["paths"]:
        assert all(s["paragraph"] and s["paragraph"].get("citation") for s in p["steps"])
    text = run_cli("demo", env={**env, "TERM": "dumb"}, timeout=900)  # again: the same store, nothing re-ingested
    assert text.returncode == 0, text.stderr
    assert "1. Secretariat staff" in text.stdout and "2. Negotiators" in text.stdout and "3. Researchers" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 80
