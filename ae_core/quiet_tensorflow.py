"""Import TensorFlow without its start-up chatter: C++ log lines that TF_CPP_MIN_LOG_LEVEL does not reach.

TensorFlow 2.21 writes several lines to stderr while it imports and probes for a GPU (absl's "All log messages
before absl::InitializeLog()", oneDNN, cuInit) whatever TF_CPP_MIN_LOG_LEVEL says. They bury the CLI's progress bar
and end up as a failed training's "reason", so the CLI sends them away; with `--verbose` they stay.

Usage: `import_tensorflow(verbose=False)` before anything imports keras or tensorflow.
"""

from __future__ import annotations

import os
import sys
import tempfile


def import_tensorflow(verbose: bool = False) -> None:
    if verbose or "tensorflow" in sys.modules:
        import tensorflow  # noqa: F401
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)  # the C++ side writes to the descriptor, not to sys.stderr
        try:
            import tensorflow as tf

            tf.constant(0.0) + 1.0  # the first operation initialises the devices, which logs too
        except BaseException:
            os.dup2(saved_stderr, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode("utf-8", "replace"))  # a failed import keeps its explanation
            raise
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
