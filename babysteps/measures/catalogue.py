"""The instruments shipped with the platform (``instruments/*.yaml``) and the licensed
wording file a deploying organisation supplies. Reading files only: no Django."""

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from babysteps.measures.definition import DefinitionError, parse_definition, scoring_content

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"


def read_definition_file(path: Path) -> dict[str, Any]:
    """A definition from a YAML or JSON file (JSON is valid YAML), checked."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError([f"{path.name}: cannot be read ({type(exc).__name__})."]) from None
    parse_definition(data)
    return data


def shipped_definitions() -> list[dict[str, Any]]:
    return [read_definition_file(p) for p in sorted(SHIPPED_DIR.glob("*.yaml"))]


def read_wording_file(path: Path) -> dict[str, dict[str, Any]]:
    """The licensed wording: ``{code: {"stem": str, "items": [{"text": str, "options":
    [str, ...]}, ...]}}``. Checked for shape only; counts are checked against the
    instrument when loaded."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError([f"{path.name}: cannot be read ({type(exc).__name__})."]) from None
    if not isinstance(data, dict):
        raise DefinitionError(["The wording file must map instrument codes to their wording."])
    for code, wording in data.items():
        if not isinstance(wording, dict) or not isinstance(wording.get("items"), list):
            raise DefinitionError([f"{code}: the wording needs a list of 'items'."])
    return data


def check_wording(definition: dict[str, Any], wording: dict[str, Any]) -> list[str]:
    """Problems with a wording for this definition (item and option counts must match)."""
    spec = parse_definition(definition)
    items = wording.get("items") or []
    problems = []
    if len(items) != len(spec.items):
        problems.append(f"{spec.code}: {len(spec.items)} items, but the wording has {len(items)}.")
        return problems
    for item, text in zip(spec.items, items, strict=True):
        if not isinstance(text, dict) or not str(text.get("text", "")).strip():
            problems.append(f"{spec.code} item {item.number}: the wording has no text.")
            continue
        options = text.get("options")
        if options is not None and len(options) != item.positions:
            problems.append(
                f"{spec.code} item {item.number}: {item.positions} options, "
                f"but the wording has {len(options)}."
            )
    return problems


def keying_confirmed(definition: dict[str, Any]) -> bool:
    """False for a definition shipped with placeholder keying (``keying_confirmed: false``)."""
    return definition.get("keying_confirmed", True) is not False


def scoring_fingerprint(definition: dict[str, Any]) -> str:
    content = json.dumps(scoring_content(definition), sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def seed_instruments(instrument_model: Any, revision_model: Any) -> None:
    """Create the shipped instruments that are missing (used by the data migration and by
    tests that flush the database). Existing ones are left to ``load_instruments``."""
    for data in shipped_definitions():
        if instrument_model.objects.filter(code=data["code"]).exists():
            continue
        instrument = instrument_model.objects.create(
            code=data["code"],
            name=data["name"],
            short_name=data.get("short_name") or data["code"].upper(),
            version=data.get("version", 1),
            definition=data,
            # A definition whose keying is not confirmed ships switched off (and stays so).
            active=bool(data.get("active", True)) and keying_confirmed(data),
        )
        revision_model.objects.create(
            instrument=instrument, version=instrument.version, definition=data
        )
