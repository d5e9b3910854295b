"""Reading a long-format CSV of totals for ``manage.py evaluate --input``: header
``participant,instrument,timepoint,total`` plus any extra columns (e.g. ``group``).
Every problem names its line. Pure: no Django."""

import csv
from dataclasses import dataclass
from math import isfinite
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

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
            _("%(path)s: cannot be opened (%(value)s).")
            % {"path": path, "value": exc.strerror or type(exc).__name__}
        ) from None
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise FileError(
                _("line 1: the header lacks the column(s) %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        if group_by and group_by not in header:
            raise FileError(
                _("line 1: there is no column '%(group_by)s' to group by.") % {"group_by": group_by}
            )
        participants: dict[str, int] = {}
        instruments: dict[str, int] = {}
        groups: dict[str, int] = {}
        seen: dict[tuple[str, str, str], int] = {}
        rows: list[tuple[int, int, int, float, int]] = []
        try:
            for record in reader:
                line = reader.line_num
                if None in record:
                    raise FileError(_("line %(line)s: more values than columns.") % {"line": line})
                values = {k: (v or "").strip() for k, v in record.items()}
                if not any(values.values()):
                    continue
                who, code, when = (
                    values["participant"],
                    values["instrument"].lower(),
                    values["timepoint"].lower(),
                )
                if not who:
                    raise FileError(_("line %(line)s: the participant is empty.") % {"line": line})
                if known is not None and code not in known:
                    raise FileError(
                        _("line %(line)s: unknown instrument '%(value)s'.")
                        % {"line": line, "value": values["instrument"]}
                    )
                if when not in TIMEPOINTS:
                    raise FileError(
                        _(
                            "line %(line)s: unknown time point '%(value)s' (use pre, mid, post or "
                            "follow_up)."
                        )
                        % {"line": line, "value": values["timepoint"]}
                    )
                try:
                    total = float(values["total"])
                except ValueError:
                    raise FileError(
                        _("line %(line)s: the total '%(value)s' is not a number.")
                        % {"line": line, "value": values["total"]}
                    ) from None
                if not isfinite(total):
                    raise FileError(
                        _("line %(line)s: the total '%(value)s' is not a number.")
                        % {"line": line, "value": values["total"]}
                    )
                key = (who, code, when)
                if key in seen:
                    raise FileError(
                        _(
                            "line %(line)s: a second %(when)s total for participant %(who)s on "
                            "%(code)s (first on line %(value)s)."
                        )
                        % {"line": line, "when": when, "who": who, "code": code, "value": seen[key]}
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
            raise FileError(
                _("line %(line_num)s: not valid CSV (%(exc)s).")
                % {"line_num": reader.line_num, "exc": exc}
            ) from None
    if not rows:
        raise FileError(_("line 2: the file has no data rows."))
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
