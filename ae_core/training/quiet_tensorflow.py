"""Import TensorFlow without its chatter: C++ log lines that TF_CPP_MIN_LOG_LEVEL does not reach.

TensorFlow 2.21 writes lines to the stderr descriptor while it imports, probes for a GPU and compiles with XLA
(absl's "All log messages before absl::InitializeLog()", oneDNN, cuInit, "Compiled cluster using XLA!") whatever
TF_CPP_MIN_LOG_LEVEL says. They bury the CLI's progress bar and its errors, so the CLI moves Python's own stderr to
a copy of the descriptor and points descriptor 2, where the C++ side writes, at a scratch file. Python's messages,
tracebacks included, still reach the terminal; with `--verbose` nothing is moved.

Usage: `import_tensorflow(verbose=False)` before anything imports keras or tensorflow.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile


def import_tensorflow(verbose: bool = False) -> None:
    if not verbose and "tensorflow" not in sys.modules:
        _divert_native_stderr()
    import tensorflow as tf

    tf.constant(0.0) + 1.0  # the first operation initialises the devices, which logs too


def _divert_native_stderr() -> None:
    sys.stderr.flush()
    python_stderr = os.dup(2)
    sys.stderr = io.TextIOWrapper(os.fdopen(python_stderr, "wb", buffering=0), encoding=sys.stderr.encoding,
                                  errors="backslashreplace", line_buffering=True)
    native_log = tempfile.TemporaryFile(prefix="ae-lab-tensorflow-")  # noqa: SIM115 (open until the process ends)
    os.dup2(native_log.fileno(), 2)
