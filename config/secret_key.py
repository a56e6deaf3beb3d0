"""The quick start's secret key: generated once, kept in a file only its owner may read."""

import os
import secrets
from pathlib import Path


def secret_key_from_file(path: Path) -> str:
    """The key stored at `path`; the first call writes a new random one there (mode 0600).

    Sessions, password-reset links and signed values stay valid across restarts because the key
    does not change; deleting the file signs everyone out at the next start."""
    path = Path(path)
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key
