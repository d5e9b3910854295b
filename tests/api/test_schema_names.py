"""django-ninja names OpenAPI components after schema classes, and two classes with the
same name silently overwrite each other in the schema (one endpoint then documents the
other's shape). Every schema class of the project must have its own name."""

from collections import defaultdict

from ninja import Schema

import babysteps.api_v1  # noqa: F401 - imports every router and its schemas


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _all_subclasses(sub)
    return found


def test_schema_class_names_are_unique():
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _all_subclasses(Schema):
        if cls.__module__.startswith("babysteps."):
            by_name[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert not clashes, f"Rename one of each: {clashes}"
