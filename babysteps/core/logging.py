"""Logs never carry what people typed or were sent: request lines lose their query strings
(search terms, sign-in tokens, filters), whatever logged them."""

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")


def without_query(text: str) -> str:
    return _QUERY.sub("?[removed]", text)


class DropQueryStrings(logging.Filter):
    """Strip query strings from a record's message and its string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_query(a) if isinstance(a, str) else a for a in record.args)
        return True
