"""QR code modules for the record's id and hash, with a table-driven Reed–Solomon step.

reportlab's encoder computes the error-correction bytes with a polynomial class that rebuilds
the generator polynomial for every block; that alone was about a tenth of an incident report's
build time. The data bits, the module placement and the masking are still reportlab's; only
the error-correction bytes are computed here, and a test checks them against reportlab's own.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

from reportlab.graphics.barcode import qrencoder

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1, as in the standard.
_EXP: list[int] = [0] * 512
_LOG: list[int] = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]

QR_MASK = 0


@functools.cache
def _generator_logs(degree: int) -> tuple[int, ...]:
    """Logs of the generator polynomial's coefficients after the leading 1."""
    poly = [1]
    for i in range(degree):
        # poly × (x + α^i)
        nxt = [0] * (len(poly) + 1)
        for j, c in enumerate(poly):
            nxt[j] ^= c
            if c:
                nxt[j + 1] ^= _EXP[_LOG[c] + i]
        poly = nxt
    return tuple(_LOG[c] for c in poly[1:])


def error_correction(data: list[int], degree: int) -> list[int]:
    """The ``degree`` error-correction bytes of one block (the remainder of the division)."""
    gen = _generator_logs(degree)
    rem = [0] * degree
    for byte in data:
        factor = byte ^ rem[0]
        del rem[0]
        rem.append(0)
        if factor:
            lf = _LOG[factor]
            for k, g in enumerate(gen):
                rem[k] ^= _EXP[lf + g]
    return rem


def codewords(version: int, level: int, data_list: list[Any]) -> list[int]:
    """Data and error-correction codewords, interleaved: what reportlab's ``createData``
    returns, computed with the table-driven step above."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    capacity = sum(b.dataCount for b in blocks) * 8
    data = _data_codewords(version, data_list, capacity)
    data_blocks: list[list[int]] = []
    ec_blocks: list[list[int]] = []
    offset = 0
    for block in blocks:
        chunk = data[offset : offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(chunk)
        ec_blocks.append(error_correction(chunk, block.totalCount - block.dataCount))
    out: list[int] = []
    for column in itertools.chain(
        itertools.zip_longest(*data_blocks), itertools.zip_longest(*ec_blocks)
    ):
        out.extend(c for c in column if c is not None)
    return out


def _data_codewords(version: int, data_list: list[Any], capacity: int) -> list[int]:
    """The data segments, terminator and padding as bytes (reportlab's bit buffer, filled a
    bit at a time, was a third of the encoding; byte segments are written here at once)."""
    if not all(type(d) is qrencoder.QR8bitByte for d in data_list):
        buffer = qrencoder.QRBitBuffer()
        for d in data_list:
            d.write(buffer, version)
        bits = buffer.getLengthInBits()
        value = 0
        for i in range(bits):
            value = (value << 1) | buffer.get(i)
    else:
        value, bits = 0, 0
        for d in data_list:
            raw = bytes(d.data)
            count_bits = d.getLengthBits(version)
            value = (value << 4) | d.mode
            value = (value << count_bits) | len(raw)
            value = (value << (8 * len(raw))) | int.from_bytes(raw, "big")
            bits += 4 + count_bits + 8 * len(raw)
    if bits > capacity:
        raise ValueError(f"QR data too long ({bits} > {capacity} bits)")
    if bits + 4 <= capacity:
        value, bits = value << 4, bits + 4  # terminator
    pad = -bits % 8
    value, bits = value << pad, bits + pad
    out = list(value.to_bytes(bits // 8, "big")) if bits else []
    pads = itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1))
    while len(out) * 8 < capacity:
        out.append(next(pads))
    return out


@functools.cache
def _data_layout(version: int, mask_pattern: int) -> tuple[tuple[int, int, bool], ...]:
    """(row, col, mask bit) of every data module of a version, in reportlab's placement order."""
    probe = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    probe.moduleCount = version * 4 + 17
    mask = qrencoder.QRUtil.getMask(mask_pattern)
    return tuple((row, col, bool(mask(row, col))) for col, row in probe.dataPosIterator())


class _QRCode(qrencoder.QRCode):  # type: ignore[misc]
    """reportlab's QR code with the data placement walk and mask computed once per version."""

    def mapData(self, data: list[int], maskPattern: int) -> None:
        layout = _data_layout(self.version, maskPattern)
        bits = [bool(byte & (0x80 >> i)) for byte in data for i in range(8)]
        bits += [False] * max(0, len(layout) - len(bits))  # remainder bits are light
        modules = self.modules
        for (row, col, masked), dark in zip(layout, bits, strict=False):
            modules[row][col] = dark ^ masked


def qr_modules(payload: str) -> list[list[bool]]:
    """The dark/light modules of ``payload`` at error-correction level M, fixed mask."""
    qr = _QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.version = qr.calculate_version()
    qr.dataCache = codewords(qr.version, qr.errorCorrectLevel, qr.dataList)
    # Any mask is valid (the format bits tell the reader which one); a fixed one spares the
    # eight trial encodings that choosing the "best" costs.
    qr.makeImpl(False, QR_MASK)
    return [[bool(m) for m in row] for row in qr.modules]
