"""One store for all web tests: the bundled samples and a test decision ingested through the real
pipeline, plus a hand-annotated bilingual (English/Arabic) decision and a document holding markup."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
ARTIFACTS = REPO / "tests" / "artifacts"
API_KEY = "test-key-7f3a"

DECISION = """Decision 5/COP.16

Drought resilience and negotiation training

The Conference of the Parties,

Recalling decision 22/COP.15,

Noting with appreciation the support of the Changwon Initiative,

1. Requests the secretariat to prepare a report on migration and land degradation for consideration at its seventeenth session;

2. Invites Parties to strengthen land governance, including through the Changwon Initiative;

3. Also requests the secretariat, subject to the availability of resources, to support negotiation training for national focal points;

4. Encourages the Global Mechanism to mobilize resources for land degradation neutrality target setting.
"""

HOSTILE = """Notes on <script>alert("pwned")</script> land

The secretariat <b>bold</b> & co. wrote <img src=x onerror=alert(2)> about drought.
"""

ARABIC_TEXT = "يطلب إلى الأمانة أن تعد تقريرا عن الهجرة وتدهور الأراضي"


def hand_annotated_document():
    """A decision with explicit annotations: tests the web layer whatever the extraction finds."""
    from unkg.model import Block, Citation, Document, Entity, Mandate

    en = "Requests the secretariat to report on sand and dust storms to the Conference of the Parties at its fifteenth session;"
    blocks = [
        Block(id="TEST/DEC/7@en#1", ord=1, kind="title", text="Decision 7/COP.14 Sand and dust storms", language="en"),
        Block(id="TEST/DEC/7@en#2", ord=2, kind="operative", label="1.", text=en, language="en", verb="Requests",
              entities=[Entity(type="actor", text="secretariat", start=13, end=24, id="actor:unccd-secretariat", name="UNCCD secretariat")],
              citations=[],
              mandates=[Mandate(verb="Requests", verb_en="request", force="request", addressees=["actor:unccd-secretariat"],
                                action="to report on sand and dust storms", deadline="COP.15", decision="decision:7/COP.14")]),
        Block(id="TEST/DEC/7@en#3", ord=3, kind="operative", label="2.", language="en", verb="Invites",
              text="Invites Parties to apply decision 22/COP.15 through the Kubuqi International Desert Forum;",
              entities=[Entity(type="actor", text="Parties", start=8, end=15, id="actor:parties", name="Parties"),
                        Entity(type="initiative", text="Kubuqi International Desert Forum", start=56, end=89,
                               id="initiative:kubuqi-international-desert-forum", name="Kubuqi International Desert Forum")],
              citations=[Citation(type="decision", id="decision:22/COP.15", text="decision 22/COP.15", start=25, end=43)],
              mandates=[Mandate(verb="Invites", verb_en="invite", force="invite", addressees=["actor:parties"],
                                action="to apply decision 22/COP.15", decision="decision:7/COP.14")]),
        Block(id="TEST/DEC/7@en#4", ord=4, kind="operative", label="3.", text=ARABIC_TEXT, language="ar", verb="يطلب",
              translation_of="TEST/DEC/7@en#2",
              mandates=[Mandate(verb="يطلب", verb_en="request", force="request", addressees=["actor:unccd-secretariat"],
                                action="أن تعد تقريرا", decision="decision:7/COP.14")]),
    ]
    return Document(id="TEST/DEC/7@en", source="test://decision-7", sha256="0" * 64, format="text", symbol="TEST/DEC/7",
                    title="Decision 7/COP.14 Sand and dust storms", language="en", languages=["en", "ar"],
                    body="UNCCD Conference of the Parties", session="14", doc_type="decision", blocks=blocks)


class WebEnv:
    """settings, data (unpack as a pair), the app, and the answer to the upload that loaded the corpus."""

    def __init__(self, settings, data, app, upload: dict, sent: dict[str, bytes]) -> None:
        self.settings, self.data, self.app, self.upload, self.sent = settings, data, app, upload, sent

    def __iter__(self):
        return iter((self.settings, self.data))


#: client file names given to the uploads: the corpus goes in the way a user loads it, through POST /api/ingest
EVIL_NAME = "../../../etc/evil name.txt"
ODD_NAME = "x.exe"
ODD_BYTES = b"Plain words about land restoration here."


@pytest.fixture(scope="package")
def web_env(tmp_path_factory):
    """A store holding the test corpus, uploaded through the API in one request, with the graph and search index built."""
    from fastapi.testclient import TestClient

    from unkg.corpus.store import Store
    from unkg.settings import Settings, get_settings
    from unkg.web.app import create_app
    from unkg.web.data import WebData

    root = tmp_path_factory.mktemp("web")
    home = root / "home"
    old = os.environ.get("UNKG_HOME")
    os.environ["UNKG_HOME"] = str(home)
    get_settings.cache_clear()
    settings = Settings.from_env().model_copy(update={"api_key": API_KEY, "rate_limit": 0.0})
    store = Store(settings.db_path)
    store.put_document(hand_annotated_document())
    data = WebData(settings, store=store)
    app = create_app(settings, data=data)
    sent = {p.name: p.read_bytes() for p in sorted(SAMPLES.iterdir()) if p.is_file()}
    sent["decision-5-cop16.txt"] = DECISION.encode()
    sent[EVIL_NAME] = HOSTILE.encode()
    sent[ODD_NAME] = ODD_BYTES
    with TestClient(app) as c:
        r = c.post("/api/ingest", headers={"X-API-Key": API_KEY},
                   files=[("files", (name, data, "application/octet-stream")) for name, data in sent.items()])
    assert r.status_code == 200, r.text
    upload = r.json()
    assert all(f["status"] in ("ok", "partial") for f in upload["files"]), upload
    data.sync_graph()
    yield WebEnv(settings, data, app, upload, sent)
    data.close()
    if old is None:
        os.environ.pop("UNKG_HOME", None)
    else:
        os.environ["UNKG_HOME"] = old
    get_settings.cache_clear()


@pytest.fixture(scope="package")
def app(web_env):
    return web_env.app


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="package")
def live_server(app):
    """The app served by uvicorn in a thread on a free loopback port; stopped after the tests."""
    import httpx
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True, name="unkg-test-server")
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        server.should_exit = True
        pytest.fail("the test server did not start")
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    assert not thread.is_alive(), "the test server did not stop"
