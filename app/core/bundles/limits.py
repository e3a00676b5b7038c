"""The limits a reader enforces, so a hostile bundle cannot exhaust memory, disk or time."""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Limits:
    """Upper bounds checked before the bytes they bound are read (see docs/bundle-format.md)."""

    max_entries: int = 100_000
    max_name_bytes: int = 255
    max_name_depth: int = 8
    max_manifest_bytes: int = 32 * MIB
    max_record_bytes: int = 16 * MIB
    max_records_total_bytes: int = 256 * MIB
    max_json_depth: int = 64
    max_file_bytes: int = 4 * GIB
    max_total_bytes: int = 16 * GIB
    max_chunk_size: int = 16 * MIB
