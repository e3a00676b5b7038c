"""µs per call of ``parse_if_canonical`` on realistic incident content, before and after.

"Before" is the previous implementation (``orjson.loads``, then ``plain_depth`` over every
node, then the canonical comparison), kept here to measure against. The corpus is the
content of incidents recorded with the tests' helpers (as ``bundle_10k.py`` does), plus
copies with seized items, videos and a multi-line statement.
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
import timeit
from pathlib import Path
from typing import Any

os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson

from app.core.records.tables import IncidentContent
from app.core.seal.canonical import (
    canonical_bytes,
    parse_if_canonical,
)
from tests.support.canonical_reference import reference
from tests.support.sync import make_institution, make_laptop, record_incident

DEPTH = 32  # app.core.sync.checking's content limit


def corpus() -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inst = make_institution(folder)
        laptop = make_laptop(folder, "laptop", "A", inst.kit)
        ids = [record_incident(laptop, inst.session_id, i) for i in range(4)]
        with laptop.reading() as db:
            rows = [db.get(IncidentContent, i) for i in ids]
            texts = [row.content_json for row in rows if row is not None]
    contents = [orjson.loads(text) for text in texts]
    fuller = copy.deepcopy(contents[0])
    fuller["statement"] = '考生称手机"忘记关机"。\n第二行说明。'
    fuller["seized_items"] = [
        {"description": f"手机 {i}", "receipt_number": f"R-{i:04d}"} for i in range(3)
    ]
    fuller["videos"] = [
        {
            "camera": "cam-1",
            "start": "2024-06-15T01:29:00.000000Z",
            "end": "2024-06-15T01:31:00.000000Z",
        }
    ]
    contents.append(fuller)
    return [canonical_bytes(content) for content in contents]


def per_call(function: Any, datas: list[bytes], number: int) -> float:
    def run() -> None:
        for data in datas:
            function(data, DEPTH)

    best = min(timeit.repeat(run, number=number, repeat=7))
    return best / number / len(datas) * 1e6


def main() -> int:
    datas = corpus()
    for data in datas:
        assert parse_if_canonical(data, DEPTH) == reference(data, DEPTH) is not None
    sizes = sorted(len(d) for d in datas)
    print(f"corpus: {len(datas)} contents, {sizes[0]}–{sizes[-1]} bytes")
    old = per_call(reference, datas, 2000)
    new = per_call(parse_if_canonical, datas, 2000)
    print(f"before: {old:.1f} µs per call")
    print(f"after:  {new:.1f} µs per call ({old / new:.2f}× faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
