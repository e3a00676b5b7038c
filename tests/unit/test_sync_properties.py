"""Property-based tests of the records layer's parser: whatever JSON a bundle holds, checking it
either succeeds or refuses it with one ``ImportRejected``/``RowError``, never another exception,
including for a valid bundle re-signed by its laptop with any one value replaced. (The full
import of such mutants, with the database and ``verify`` checked, is in
``benchmarks/fuzz_bundle.py``.)"""

from __future__ import annotations

import contextlib
import copy
import functools
import tempfile
import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.bundles import BundleError, open_bundle, write_bundle
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry, Incident, Seal, Signature
from app.core.sync.checking import ImportRejected, Prepared, check_file
from app.core.sync.export import export_bundle
from app.core.sync.rows import RowError, row_values
from app.core.sync.session_rows import parse_session_rows
from tests.support.sync import Institution, make_institution, make_laptop, record_incident

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)


@given(st.sampled_from([Incident, Signature, Seal, AuditEntry]), json_values)
def test_row_values_accepts_or_refuses_cleanly(model: Any, value: Any) -> None:
    try:
        row = row_values(model, value, "row")
    except RowError:
        return
    assert set(row) == set(model.model_fields)


@given(json_values)
def test_session_rows_accept_or_refuse_cleanly(value: Any) -> None:
    with contextlib.suppress(RowError):
        parse_session_rows(value)


@functools.cache
def _setup() -> tuple[Institution, Workspace, list[tuple[str, Any]], dict[str, Any], Path]:
    folder = Path(tempfile.mkdtemp(prefix="sync-properties-"))
    inst = make_institution(folder)
    laptop = make_laptop(folder, "laptop", "A", inst.kit)
    record_incident(laptop, inst.session_id, 0)
    good = folder / "good.pdbundle"
    export_bundle(laptop, inst.session_id, good)
    with open_bundle(good, inst.identity.encryption_key) as bundle:
        return inst, laptop, bundle.records, bundle.fields, folder


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _places(item, (*path, index))
    return out


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data(), json_values)
def test_one_changed_value_is_refused_or_harmless(data: st.DataObject, replacement: Any) -> None:
    inst, laptop, records, fields, folder = _setup()
    records = copy.deepcopy(records)
    index = data.draw(st.integers(0, len(records) - 1))
    _name, value = records[index]
    places = [p for p in _places(value) if p]
    if not places:
        return
    path = data.draw(st.sampled_from(places))
    target = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = replacement
    out = folder / f"{uuid.uuid4()}.pdbundle"
    try:
        write_bundle(
            out,
            fields,
            records,
            [],
            laptop.device.private_key,
            inst.identity.public.recipient,
        )
    except BundleError:
        return  # a value the writer itself refuses (no canonical form, too deep)
    try:
        with inst.ws.reading() as db:
            prepared = check_file(
                db, out, inst.identity.encryption_key, inst.identity.public, inst.ws.data_dir
            )
        if isinstance(prepared, Prepared):
            prepared.bundle.close()
    except ImportRejected:
        pass
    finally:
        out.unlink()
