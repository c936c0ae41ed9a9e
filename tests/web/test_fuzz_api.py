"""A bounded fuzz run of the HTTP API from its own OpenAPI schema (schemathesis, in process over ASGI).

Every operation gets a fixed number of generated requests, derandomized (the same requests on
every run), with the API key, against a copy of the web test store (what the fuzzer uploads or
replaces never reaches the other web tests). A 5xx answer or an exception fails the run.
"""

from __future__ import annotations

import sqlite3

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from .conftest import API_KEY

pytestmark = pytest.mark.slow

#: requests per operation; an upload parses in worker processes, so it gets fewer
EXAMPLES, UPLOAD_EXAMPLES = 30, 4
_SETTINGS = dict(derandomize=True, deadline=None, database=None, print_blob=True,
                 suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def fuzz_schema(web_env, tmp_path_factory):
    from unkg.web.app import create_app
    from unkg.web.data import WebData

    home = tmp_path_factory.mktemp("fuzz") / "home"
    home.mkdir()
    src, dst = sqlite3.connect(web_env.settings.db_path), sqlite3.connect(home / "unkg.sqlite")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    fuzz_settings = web_env.settings.model_copy(update={"home": home})
    data = WebData(fuzz_settings)
    app = create_app(fuzz_settings, data=data)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    data.close()


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def test_no_server_error_on_any_operation(fuzz_schema):
    """Each operation in turn (schemathesis's pytest plugin cannot take a fixture's schema under pytest 9)."""
    seen: dict[str, int] = {}
    for op in _operations(fuzz_schema):
        label = f"{op.method.upper()} {op.path}"
        examples = UPLOAD_EXAMPLES if op.path == "/api/ingest" else EXAMPLES

        @given(case=op.as_strategy(GenerationMode.POSITIVE) | op.as_strategy(GenerationMode.NEGATIVE))
        @settings(max_examples=examples, **_SETTINGS)
        def run(case) -> None:
            seen[label] = seen.get(label, 0) + 1
            case.call_and_validate(headers={"X-API-Key": API_KEY}, checks=[not_a_server_error])

        run()
    assert len(seen) >= 12 and "POST /api/ingest" in seen, seen  # every operation was called
