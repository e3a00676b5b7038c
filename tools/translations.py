"""Keep the interface translations in step with the code, and compile them.

    python tools/translations.py update   # pyside6-lupdate: refresh resources/translations/*.ts
    python tools/translations.py build    # pyside6-lrelease: *.ts → *.qm (only the stale ones)
    python tools/translations.py pseudo   # proctor_desk_pseudo.qm: every string 40 % longer

The ``.ts`` files are committed; the ``.qm`` files are generated and git-ignored. ``build`` and
``pseudo`` compare modification times and do nothing when their outputs are current, so the
Makefile and the tests can call them every time.

lupdate only finds ``self.tr("…")`` and ``QCoreApplication.translate("Context", "…")`` with a
literal context. Modules that route their strings through a small helper
(``_CTX = "Labels"`` … ``def _tr(text): return QCoreApplication.translate(_CTX, text)``) are read
here with ``ast`` and their strings handed to lupdate in a generated file with literal contexts.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_DIR = ROOT / "app" / "ui"
GENERATED_DIR = UI_DIR / "generated"
FORMS_DIR = ROOT / "forms"
TS_DIR = ROOT / "resources" / "translations"
CATALOGUE = "proctor_desk"
SOURCE_LANGUAGE = "zh_CN"
TARGET_LANGUAGES = ("en",)
PSEUDO = "pseudo"
# The pseudo-translation starts from this language's strings (longer than the Chinese).
PSEUDO_BASE = "en"
PSEUDO_GROWTH = 1.4


class TranslationError(Exception):
    """A translation tool failed or is missing; the message says which and why."""


def ts_path(language: str, ts_dir: Path = TS_DIR) -> Path:
    return ts_dir / f"{CATALOGUE}_{language}.ts"


def _tool(name: str) -> str:
    # The venv's own tools first, so the files match the installed Qt.
    for bin_dir in (Path(sys.executable).parent, ROOT / ".venv" / "bin"):
        for candidate in (bin_dir / name, bin_dir / f"{name}.exe"):
            if candidate.is_file():
                return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise TranslationError(f"{name} not found: install pyside6-essentials in this environment")
    return found


def _run(command: Sequence[str]) -> str:
    result = subprocess.run(list(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise TranslationError(f"{Path(command[0]).name} failed: {output}")
    return result.stdout


# -- sources -----------------------------------------------------------------------------------


def ui_sources(ui_dir: Path = UI_DIR, forms_dir: Path = FORMS_DIR) -> list[Path]:
    """The Python modules of ``app/ui`` (not the compiled forms) and the Designer forms."""
    modules = [
        p
        for p in sorted(ui_dir.rglob("*.py"))
        if GENERATED_DIR not in p.parents and "__pycache__" not in p.parts
    ]
    return [*modules, *sorted(forms_dir.glob("*.ui"))]


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def helper_messages(source: str) -> list[tuple[str, str]]:
    """``(context, text)`` for strings passed through a module-level translate helper or to
    ``translate(CONSTANT, "…")``, where the context is a module constant lupdate cannot see."""
    tree = ast.parse(source)
    constants: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and (value := _string(node.value)) is not None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = value

    # ``translate = QCoreApplication.translate``: lupdate reads calls of the alias in plain code,
    # but not inside f-strings; the tree has them everywhere.
    aliases = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "translate"
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def translate_context(call: ast.Call) -> str | None:
        func = call.func
        named = isinstance(func, ast.Attribute) and func.attr == "translate"
        if not named or not call.args or not isinstance(call.args[0], ast.Name):
            return None
        return constants.get(call.args[0].id)

    helpers: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and (context := translate_context(inner)):
                    helpers[node.name] = context
    messages: list[tuple[str, str]] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        if isinstance(call.func, ast.Name) and call.func.id in helpers and call.args:
            text = _string(call.args[0])
            if text is not None:
                messages.append((helpers[call.func.id], text))
        elif (context := translate_context(call)) and len(call.args) > 1:
            text = _string(call.args[1])
            if text is not None:
                messages.append((context, text))
        elif isinstance(call.func, ast.Name) and call.func.id in aliases and len(call.args) == 2:
            # (A third argument, the disambiguation, is lupdate's to read: calls with one
            # stand in plain code, where it finds them.)
            context, text = _string(call.args[0]), _string(call.args[1])
            if context is not None and text is not None:
                messages.append((context, text))
    return messages


def _helper_stub(paths: Iterable[Path]) -> str:
    seen: set[tuple[str, str]] = set()
    lines = ["from PySide6.QtCore import QCoreApplication", ""]
    for path in paths:
        if path.suffix != ".py":
            continue
        for context, text in helper_messages(path.read_text(encoding="utf-8")):
            if (context, text) in seen:
                continue
            seen.add((context, text))
            literal = json.dumps(text, ensure_ascii=False)
            lines.append(f"QCoreApplication.translate({json.dumps(context)}, {literal})")
    return "\n".join(lines) + "\n"


# -- commands ----------------------------------------------------------------------------------


def update(ts_dir: Path = TS_DIR) -> list[Path]:
    """Refresh the ``.ts`` files from the sources, keeping every existing translation."""
    sources = ui_sources()
    lupdate = _tool("pyside6-lupdate")
    ts_dir.mkdir(parents=True, exist_ok=True)
    targets = [ts_path(language, ts_dir) for language in TARGET_LANGUAGES]
    with tempfile.TemporaryDirectory(prefix="proctor-lupdate-") as tmp:
        stub = Path(tmp, "helper_strings.py")
        stub.write_text(_helper_stub(sources), encoding="utf-8")
        for target in targets:
            _run(
                [
                    lupdate,
                    *map(str, sources),
                    str(stub),
                    # No file/line references: they would point into the temporary stub and
                    # churn on every edit; contexts name the class or module instead.
                    "-locations",
                    "none",
                    "-no-obsolete",
                    "-source-language",
                    SOURCE_LANGUAGE,
                    "-target-language",
                    target.stem.removeprefix(f"{CATALOGUE}_"),
                    "-ts",
                    str(target),
                ]
            )
    return targets


def _is_stale(output: Path, *inputs: Path) -> bool:
    if not output.is_file():
        return True
    built = output.stat().st_mtime
    return any(path.stat().st_mtime > built for path in inputs)


def _lrelease(ts: Path, qm: Path) -> None:
    # Written beside the target and renamed: an interrupted run never leaves a partial .qm
    # that a later run would take as current.
    partial = qm.with_name(qm.name + ".partial")
    try:
        _run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(partial)])
        if not partial.is_file():
            raise TranslationError(f"pyside6-lrelease wrote no file for {ts.name}")
        os.replace(partial, qm)
    finally:
        partial.unlink(missing_ok=True)


def build(ts_dir: Path = TS_DIR) -> list[Path]:
    """Compile each stale ``.ts`` into the ``.qm`` beside it; return the files written."""
    written: list[Path] = []
    for ts in sorted(ts_dir.glob(f"{CATALOGUE}_*.ts")):
        qm = ts.with_suffix(".qm")
        if _is_stale(qm, ts):
            _lrelease(ts, qm)
            written.append(qm)
    return written


# Accented look-alikes: the text stays readable while showing which strings are translated.
_ACCENTED = str.maketrans(
    "AaCcEeIiNnOoUuYyDdGgLlSsZz",
    "ÅåÇçÉéÎîÑñÖöÛûÝýĐđĞğĽľŠšŽž",
)
# Wide letters, so the padding adds at least as much width as typical text.
_FILLER = "ŴŵĦŋ"
# Kept exactly: Qt placeholders (%1, %L1, %n), Python ones ({}, {name}), accelerators (&F, &&),
# HTML tags and entities, line breaks.
_KEEP = re.compile(r"%L?\d+|%n|\{[^{}]*\}|&&|&#?\w+;|&\S|<[^<>]+>|\n")


def width_units(text: str) -> int:
    """Rough display width: CJK and other wide characters count 2, everything else 1."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def pseudo_text(text: str, *others: str) -> str:
    """``text`` in brackets with accented letters, padded to 40 % wider than it and ``others``.

    Placeholders, accelerators and markup are kept intact, so the string still works.
    """
    if not text:
        return text
    pieces: list[str] = []
    position = 0
    for match in _KEEP.finditer(text):
        pieces.append(text[position : match.start()].translate(_ACCENTED))
        pieces.append(match.group())
        position = match.end()
    pieces.append(text[position:].translate(_ACCENTED))
    body = "".join(pieces)
    target = math.ceil(PSEUDO_GROWTH * max(width_units(t) for t in (text, *others)))
    padding = ""
    while width_units(body) + width_units(padding.rstrip()) < target:  # brackets not counted
        # A space after every few letters, so word-wrapping labels can break the padding as
        # they would break real words.
        padding += " " if len(padding) % 6 == 5 else _FILLER[len(padding) % 6 % len(_FILLER)]
    return f"[{body} {padding.rstrip()}]"


def pseudo_ts(base: Path) -> ET.ElementTree[ET.Element]:
    """The ``.ts`` file ``base`` with every translation the pseudo text of its English (or
    source); ``base`` itself is not changed."""
    root = ET.parse(base).getroot()
    root.set("language", "en")
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        forms = translation.findall("numerusform")
        if forms:
            for form in forms:
                form.text = pseudo_text(form.text or source, source)
        else:
            english = translation.text if translation.get("type") is None else None
            # A string English leaves as it is (a date format, a product name) is not prose:
            # changing it would break it rather than test the layout.
            if english != source:
                translation.text = pseudo_text(english or source, source)
        translation.attrib.pop("type", None)  # finished, so lrelease includes it
    return ET.ElementTree(root)


def pseudo(ts_dir: Path = TS_DIR, force: bool = False) -> Path | None:
    """Write ``proctor_desk_pseudo.qm``; None when it was already current."""
    base = ts_path(PSEUDO_BASE, ts_dir)
    qm = ts_dir / f"{CATALOGUE}_{PSEUDO}.qm"
    if not base.is_file():
        raise TranslationError(f"{base.name} not found: run `update` first")
    if not force and not _is_stale(qm, base, Path(__file__)):
        return None
    tree = pseudo_ts(base)
    with tempfile.TemporaryDirectory(prefix="proctor-pseudo-") as tmp:
        ts = Path(tmp, f"{CATALOGUE}_{PSEUDO}.ts")
        tree.write(ts, encoding="utf-8", xml_declaration=True)
        _lrelease(ts, qm)
    return qm


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="translations.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="refresh the .ts files from app/ui and forms")
    commands.add_parser("build", help="compile the stale .ts files into .qm files")
    pseudo_parser = commands.add_parser("pseudo", help="write the pseudo-translation .qm")
    pseudo_parser.add_argument("--force", action="store_true", help="rebuild even if current")
    args = parser.parse_args(argv)
    try:
        if args.command == "update":
            for path in update():
                print(f"updated {path.relative_to(ROOT)}")
        elif args.command == "build":
            for path in build():
                print(f"built {path.relative_to(ROOT)}")
        else:
            written = pseudo(force=args.force)
            if written is not None:
                print(f"built {written.relative_to(ROOT)}")
    except TranslationError as exc:
        sys.stderr.write(f"translations: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
