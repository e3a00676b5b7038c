"""Property-based tests (hypothesis) over the parser: any bytes, and any mutation of a valid
bundle, either open to exactly the original content or raise a ``BundleError``: never another
exception, never a partly checked result."""

from __future__ import annotations

import ntpath
import posixpath
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.bundles import BundleError, Limits, open_bundle, write_bundle
from app.core.bundles.errors import JsonDepthError
from app.core.bundles.names import check_name
from app.core.bundles.strict_json import parse_json
from app.core.seal.canonical import canonical_bytes, plain_depth

SIGNER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
INSTITUTION = X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
RECORDS: list[tuple[str, Any]] = [
    ("records/a.json", {"id": "a", "n": [1, 2, 3], "text": "考生"}),
    ("records/b.json", [None, True, {"k": -7}]),
]
FILE_BYTES = bytes(range(256)) * 3
FIELDS = {"device_id": "d-1", "site": "s"}
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def valid(workdir: Path) -> dict[str, bytes]:
    source = workdir / "evidence.bin"
    source.write_bytes(FILE_BYTES)
    out: dict[str, bytes] = {}
    for label, recipient in (("plain", None), ("encrypted", INSTITUTION.public_key())):
        path = workdir / f"{label}.pdbundle"
        write_bundle(
            path, FIELDS, RECORDS, [("files/e.bin", source)], SIGNER, recipient, chunk_size=256
        )
        out[label] = path.read_bytes()
    return out


def open_or_refuse(path: Path) -> None:
    """Open ``path``: it must equal the original bundle's content, or be refused cleanly."""
    try:
        bundle = open_bundle(path, INSTITUTION)
    except BundleError as exc:
        assert str(exc)  # one clear message, never an empty one
        return
    with bundle:
        assert bundle.fields == FIELDS
        assert bundle.records == RECORDS
        assert bundle.file_names == ["files/e.bin"]
        assert bundle.read_file("files/e.bin") == FILE_BYTES


@SETTINGS
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_are_refused(workdir: Path, data: bytes) -> None:
    path = workdir / "arbitrary"
    path.write_bytes(data)
    with pytest.raises(BundleError):
        open_bundle(path, INSTITUTION)


@SETTINGS
@given(mode=st.sampled_from([0, 1, 2]), rest=st.binary(max_size=600))
def test_arbitrary_bytes_after_a_valid_start_are_refused(
    workdir: Path, mode: int, rest: bytes
) -> None:
    path = workdir / "arbitrary"
    path.write_bytes(b"PDBUNDLE\x00\x01" + bytes([mode]) + rest)
    with pytest.raises(BundleError):
        open_bundle(path, INSTITUTION)


@st.composite
def mutations(draw: st.DrawFn, size: int) -> list[tuple[str, int, int, bytes]]:
    ops = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "set", "truncate", "insert", "delete", "copy"]))
        pos = draw(st.integers(0, size - 1))
        arg = draw(st.integers(0, 300))
        blob = draw(st.binary(min_size=1, max_size=40))
        ops.append((kind, pos, arg, blob))
    return ops


def mutate(data: bytes, ops: list[tuple[str, int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, pos, arg, blob in ops:
        pos = min(pos, max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[pos] ^= 1 << (arg % 8)
        elif kind == "set" and out:
            out[pos] = arg % 256
        elif kind == "truncate":
            del out[pos:]
        elif kind == "insert":
            out[pos:pos] = blob
        elif kind == "delete":
            del out[pos : pos + 1 + arg]
        elif kind == "copy":  # splice a slice of the bundle over another place
            piece = bytes(out[arg : arg + len(blob) * 4])
            out[pos : pos + len(piece)] = piece
    return bytes(out)


@pytest.mark.parametrize("label", ["plain", "encrypted"])
@SETTINGS
@given(data=st.data())
def test_mutated_bundles_open_identically_or_are_refused(
    workdir: Path, valid: dict[str, bytes], label: str, data: st.DataObject
) -> None:
    original = valid[label]
    ops = data.draw(mutations(len(original)))
    mutated = mutate(original, ops)
    path = workdir / f"mutated-{label}"
    path.write_bytes(mutated)
    if mutated == original:
        open_or_refuse(path)
        return
    with pytest.raises(BundleError):
        open_bundle(path, INSTITUTION)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_json_parser_accepts_only_canonical_json_and_refuses_the_rest(data: bytes) -> None:
    try:
        value = parse_json(data, "r.json", 1000, 64)
    except BundleError:
        return
    assert canonical_bytes(value) == data


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@SETTINGS
@given(value=json_values)
def test_every_canonical_value_parses_back_to_itself(value: Any) -> None:
    try:
        data = canonical_bytes(value)
    except UnicodeEncodeError:
        return  # lone surrogates have no UTF-8 form; the writer refuses them
    assert parse_json(data, "r.json", 1 << 20, 64) == value


@SETTINGS
@given(value=json_values)
def test_plain_values_need_no_second_parse(value: Any) -> None:
    # What lets the writer skip parsing its own output: plain JSON's encoding is canonical,
    # parses back to the value, and has the depth plain_depth measured.
    depth = plain_depth(value)
    assert depth is not None
    try:
        data = canonical_bytes(value)
    except UnicodeEncodeError:
        return
    assert parse_json(data, "r.json", 1 << 20, depth) == value
    if depth:
        with pytest.raises(JsonDepthError):
            parse_json(data, "r.json", 1 << 20, depth - 1)


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        (1, 2),
        {1: "a"},
        {"a": [1, {"b": 2.0}]},
        [b"x"],
        {"k": frozenset()},
        type("S", (str,), {})(),
    ],
)
def test_values_not_plain_take_the_full_check(value: Any) -> None:
    assert plain_depth(value) is None


@SETTINGS
@given(name=st.text(max_size=40) | st.from_regex(r"[a./\\:]{1,12}", fullmatch=True))
def test_accepted_names_stay_inside_the_target_on_every_platform(name: str) -> None:
    try:
        check_name(name, Limits())
    except BundleError:
        return
    assert unicodedata.normalize("NFC", name) == name
    assert posixpath.normpath(posixpath.join("/base", name)).startswith("/base/")
    assert ntpath.normpath(ntpath.join("C:\\base", name)).startswith("C:\\base\\")
    assert not ntpath.splitdrive(name)[0] and ".." not in name.split("/")


safe_names = st.lists(
    st.text(alphabet="abcxyz019_-考生", min_size=1, max_size=10), min_size=1, max_size=3
).map("/".join)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.dictionaries(safe_names, json_values, max_size=4),
    files=st.dictionaries(safe_names, st.binary(max_size=700), max_size=3),
    encrypted=st.booleans(),
)
def test_any_content_round_trips(
    workdir: Path, records: dict[str, Any], files: dict[str, bytes], encrypted: bool
) -> None:
    record_items = [(f"r/{n}.json", v) for n, v in records.items()]
    folder = Path(tempfile.mkdtemp(dir=workdir))
    file_items = []
    for index, (name, content) in enumerate(files.items()):
        source = folder / f"src{index}"
        source.write_bytes(content)
        file_items.append((f"f/{name}", source))
    try:
        write_bundle(
            folder / "b",
            {"n": 1},
            record_items,
            file_items,
            SIGNER,
            INSTITUTION.public_key() if encrypted else None,
            chunk_size=256,
        )
    except UnicodeEncodeError:
        pytest.fail("the writer must refuse unencodable text with a BundleError")
    except BundleError:
        return  # e.g. a lone surrogate in a record, or names equal after case folding
    with open_bundle(folder / "b", INSTITUTION) as bundle:
        assert bundle.records == record_items
        assert {n: bundle.read_file(n) for n in bundle.file_names} == {
            f"f/{n}": c for n, c in files.items()
        }
