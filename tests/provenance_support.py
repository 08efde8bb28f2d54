"""Outputs compared byte for byte leave out what differs between two runs by design: the command line and the
time in their provenance (cli.stamp). Everything else — hashes, versions, the as-of date — must match."""

from __future__ import annotations

import re
from typing import Any

# `"command": [...]` and `"generated_at": "..."`, as json.dumps (one line) or to_json (indented) writes them.
_COMMAND = re.compile(rb'"command": \[[^\]]*\]')
_MADE = re.compile(rb'"generated_at": (?:"[^"]*"|null)')
_FOOTER_MADE = re.compile("(lập lúc|made) [0-9/ :-]+UTC".encode())


def neutral(data: Any) -> Any:
    """`data` (bytes or str) with the command line and the time of its provenance blanked."""
    if isinstance(data, str):
        return neutral(data.encode("utf-8")).decode("utf-8")
    data = _COMMAND.sub(b'"command": []', data)
    data = _MADE.sub(b'"generated_at": null', data)
    return _FOOTER_MADE.sub(rb"\1 -", data)
