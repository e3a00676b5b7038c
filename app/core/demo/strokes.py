"""Synthetic handwriting: a few wavy strokes per signer, the same for the same name."""

from __future__ import annotations

import math
import random

Stroke = list[tuple[float, float, float, float]]


def synthetic_strokes(name: str, *, width: int = 400, height: int = 120) -> list[Stroke]:
    """One stroke per character of ``name`` (x, y, t in ms, pressure 0..1), left to right."""
    rng = random.Random(name)
    strokes: list[Stroke] = []
    t = 0.0
    cell = width / max(len(name), 1)
    for index, _char in enumerate(name):
        left = index * cell + cell * 0.15
        points: Stroke = []
        turns = rng.uniform(1.5, 3.0)
        phase = rng.uniform(0, math.pi)
        for step in range(24):
            u = step / 23
            x = left + u * cell * 0.7 + rng.uniform(-1.5, 1.5)
            y = height / 2 + math.sin(phase + u * turns * math.pi) * height * 0.3
            t += rng.uniform(8, 16)
            pressure = 0.35 + 0.5 * math.sin(u * math.pi) + rng.uniform(-0.05, 0.05)
            points.append((x, y, t, max(0.0, min(1.0, pressure))))
        t += rng.uniform(80, 200)  # pen lifted between characters
        strokes.append(points)
    return strokes
