"""UI strings, one module per page plus `common`; each module defines STRINGS = {key: {"en": ..., "ko": ...}}."""
