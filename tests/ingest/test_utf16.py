"""UTF-16 text without a BOM is read, in Chinese, Russian, Arabic and English, either byte order; binary is still refused."""

from __future__ import annotations

import os
import random

import pytest

from unkg.errors import IngestError
from unkg.ingest.encoding import decode_text

TEXTS = {
    "zh": "缔约方会议，\n1. 请秘书处向缔约方会议第十七届会议报告本决定的执行情况。\n2. 决定继续开展土地退化零增长的工作。\n",
    "ru": "Конференция Сторон,\n1. просит секретариат представить доклад о ходе осуществления настоящего решения.\n",
    "ar": "إن مؤتمر الأطراف،\n1. يطلب إلى الأمانة أن تقدم تقريرا عن تنفيذ هذا المقرر.\n",
    "en": "The Conference of the Parties,\n1. Requests the secretariat to report on the implementation of this decision.\n",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(lang, enc):
    text, used = decode_text("x.txt", TEXTS[lang].encode(enc))
    assert text == TEXTS[lang] and used == enc


def test_random_bytes_are_still_binary():
    rng = random.Random(7)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(4096))
        with pytest.raises(IngestError):
            decode_text("x.bin", data)
    with pytest.raises(IngestError):
        decode_text("x.bin", os.urandom(0) + bytes(range(256)) * 16)
