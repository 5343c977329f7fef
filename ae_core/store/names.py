"""Model names: the store's folder names, one namespace across the shipped and the trained folder.

Usage: `validate_name("my-model")` → "my-model"; ModelStoreError "bad_name" for anything else
"""

from __future__ import annotations

from ae_core.store.files import ModelStoreError

NAME_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def validate_name(name: str) -> str:
    if not isinstance(name, str) or not name or len(name) > 64 or not set(name) <= NAME_ALLOWED or name.startswith("."):
        raise ModelStoreError(
            f"Invalid model name {name!r}: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.", "bad_name", str(name)
        )
    return name
