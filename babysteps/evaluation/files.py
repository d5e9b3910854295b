"""Reading a long-format CSV of totals for ``manage.py evaluate --input``: header
``participant,instrument,timepoint,total`` plus any extra columns (e.g. ``group``).
Every problem names its line. Pure: no Django."""

import csv
from dataclasses import dataclass
from math import isfinite
from pathlib import Path

import numpy as np

REQUIRED = ("participant", "instrument", "timepoint", "total")
TIMEPOINTS = {"pre": 0, "post": 1, "mid": 2, "follow_up": 3}


class FileError(ValueError):
    pass


@dataclass(frozen=True)
class LongData:
    participant: np.ndarray
    instrument: np.ndarray  # index into ``instruments``
    timepoint: np.ndarray
    total: np.ndarray
    group: np.ndarray  # index into ``groups``
    instruments: list[str]
    groups: list[str]


def read_long_csv(path: Path, *, group_by: str = "", known: set[str] | None = None) -> LongData:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise FileError(
            f"{path}: cannot be opened ({exc.strerror or type(exc).__name__})."
        ) from None
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise FileError(f"line 1: the header lacks the column(s) {', '.join(missing)}.")
        if group_by and group_by not in header:
            raise FileError(f"line 1: there is no column '{group_by}' to group by.")
        participants: dict[str, int] = {}
        instruments: dict[str, int] = {}
        groups: dict[str, int] = {}
        seen: dict[tuple[str, str, str], int] = {}
        rows: list[tuple[int, int, int, float, int]] = []
        try:
            for record in reader:
                line = reader.line_num
                if None in record:
                    raise FileError(f"line {line}: more values than columns.")
                values = {k: (v or "").strip() for k, v in record.items()}
                if not any(values.values()):
                    continue
                who, code, when = (
                    values["participant"],
                    values["instrument"].lower(),
                    values["timepoint"].lower(),
                )
                if not who:
                    raise FileError(f"line {line}: the participant is empty.")
                if known is not None and code not in known:
                    raise FileError(f"line {line}: unknown instrument '{values['instrument']}'.")
                if when not in TIMEPOINTS:
                    raise FileError(
                        f"line {line}: unknown time point '{values['timepoint']}' "
                        "(use pre, mid, post or follow_up)."
                    )
                try:
                    total = float(values["total"])
                except ValueError:
                    raise FileError(
                        f"line {line}: the total '{values['total']}' is not a number."
                    ) from None
                if not isfinite(total):
                    raise FileError(f"line {line}: the total '{values['total']}' is not a number.")
                key = (who, code, when)
                if key in seen:
                    raise FileError(
                        f"line {line}: a second {when} total for participant {who} on {code} "
                        f"(first on line {seen[key]})."
                    )
                seen[key] = line
                group = values[group_by] if group_by else ""
                rows.append(
                    (
                        participants.setdefault(who, len(participants)),
                        instruments.setdefault(code, len(instruments)),
                        TIMEPOINTS[when],
                        total,
                        groups.setdefault(group, len(groups)),
                    )
                )
        except csv.Error as exc:
            raise FileError(f"line {reader.line_num}: not valid CSV ({exc}).") from None
    if not rows:
        raise FileError("line 2: the file has no data rows.")
    columns = list(zip(*rows, strict=True))
    return LongData(
        participant=np.asarray(columns[0], dtype=np.int64),
        instrument=np.asarray(columns[1], dtype=np.int64),
        timepoint=np.asarray(columns[2], dtype=np.int64),
        total=np.asarray(columns[3], dtype=float),
        group=np.asarray(columns[4], dtype=np.int64),
        instruments=list(instruments),
        groups=list(groups),
    )
