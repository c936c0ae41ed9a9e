"""How the evaluation corpus was made (run once; its output is kept in the repository, so the
evaluation does not depend on the shared data): four UNCCD resolutions of the General Assembly
(the same agreed wording over 14 years: precedents), two UN-Habitat Assembly resolutions and one
UN Environment Assembly resolution as distributed, and chapter SO3 (drought) of the PRAIS4 reporting
manual in the six languages, one Markdown file per language, from the manual's translation catalogues.

    python tests/data/search-eval/make_corpus.py ../shared/corpus-dev
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "corpus"
COPY = ["un-resolutions/A_RES_62_193.txt", "un-resolutions/A_RES_66_201.txt", "un-resolutions/A_RES_71_229.txt",
        "un-resolutions/A_RES_75_218.txt", "unep-habitat/HSP_HA.2_Res.1.txt", "unep-habitat/HSP_HA.2_Res.2.txt",
        "unep-habitat/UNEP_EA.6_RES.7.txt"]
LANGS = {"en": None, "fr": "fr", "es": "es", "ru": "ru", "zh": "zh_CN", "ar": "ar"}


def po_entries(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a gettext catalogue, the header left out."""
    out, cur, field = [], {"msgid": [], "msgstr": []}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            if cur["msgid"] or cur["msgstr"]:
                out.append(("".join(cur["msgid"]), "".join(cur["msgstr"])))
            cur, field = {"msgid": [], "msgstr": []}, "msgid"
            cur[field].append(_unquote(line[6:]))
        elif line.startswith("msgstr "):
            field = "msgstr"
            cur[field].append(_unquote(line[7:]))
        elif line.startswith('"') and field:
            cur[field].append(_unquote(line))
    if cur["msgid"]:
        out.append(("".join(cur["msgid"]), "".join(cur["msgstr"])))
    return [(i, s) for i, s in out if i]


def _unquote(s: str) -> str:
    s = s.strip()
    return s[1:-1].replace('\\"', '"').replace("\\n", "\n") if s.startswith('"') else s


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for rel in COPY:
        shutil.copy(shared / rel, OUT / Path(rel).name)
    src = shared / "prais4-manual" / "locales"
    for lang, loc in LANGS.items():
        entries = po_entries(src / (loc or "fr") / "LC_MESSAGES" / "SO3.po")
        paras = [i if loc is None else (s or i) for i, s in entries]
        head = f"---\ntitle: \"PRAIS4 reporting manual, strategic objective 3 ({lang})\"\nlanguage: {lang.upper()}\n---\n\n"
        (OUT / f"PRAIS4_SO3.{lang}.md").write_text(head + "\n\n".join(p.strip() for p in paras) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus-dev"))
