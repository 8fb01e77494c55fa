"""The course's TOML files (message catalogue, case registry, polls, glossary),
read with a cache.

``tomllib`` is written in Python: parsing the catalogue and the registry takes
about half a second, and every notebook does it once. So the parsed form of
each file is kept as JSON in a cache folder, under the SHA-256 of the file's
text: an edited file is parsed anew, and a stale entry is never read. Without
a writable cache folder everything still works, only slower.

The folder is ``$CASEKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/casekit``, else
``~/.cache/casekit``; ``CASEKIT_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

CACHE_ENV = "CASEKIT_CACHE_DIR"


def cache_folder() -> Path | None:
    """Where parsed files are kept, or None when the cache is off."""
    value = os.environ.get(CACHE_ENV)
    if value == "off":
        return None
    if value:
        return Path(value) / "toml"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "casekit" / "toml"


def loads(text: str) -> dict:
    """``tomllib.loads(text)``, from the cache when this text was parsed before.
    Raises ``tomllib.TOMLDecodeError`` for text that is not TOML, as tomllib does."""
    folder = cache_folder()
    entry = folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}.json" if folder else None
    if entry is not None:
        try:
            return json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    import tomllib  # only on a cache miss: importing it costs ~15 ms

    data = tomllib.loads(text)
    if entry is not None:
        _store(entry, data)
    return data


def read(entry, where: str) -> dict:
    """Parse the TOML file ``entry`` (a path or an importlib resource) with
    :func:`loads`; text that is not TOML is a ValueError naming the file as
    ``where`` (e.g. "casekit/content/polls/dell.toml")."""
    try:
        return loads(entry.read_text(encoding="utf-8"))
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ValueError(f"{where} is not valid TOML: {exc}") from None


def _store(entry: Path, data: dict) -> None:
    try:
        text = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # dates and times have no JSON form: such a file is parsed each time
    if json.loads(text) != data:
        return
    tmp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=f".{entry.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, entry)
    except OSError:  # a read-only home or a full disk: no cache, same results
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
