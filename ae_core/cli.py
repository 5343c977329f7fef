"""Command line: train, evaluate and list autoencoders, and write the lecture's Keras code for one. Its training options
are the settings of ae_core/config.py.

Usage:
  python -m ae_core train --arch dense --latent-dim 64 --epochs 10 --batch-size 32 --out trained/my-model [--json]
  python -m ae_core evaluate dense-64 --json
  python -m ae_core list --json
  python -m ae_core code dense-64 [--notebook] [--out FILE] [--lang ko|en]

`--help`, `list` and `code` never import TensorFlow; `train` and `evaluate` keep its start-up lines off the terminal
unless `--verbose`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

from ae_core import config
from ae_core.config import ConfigError, Problem
from ae_core.lecture_code_text import TEXTS as CODE_TEXTS
from ae_core.training.progress import ProgressListener, ProgressWriter


def add_setting_options(parser: argparse.ArgumentParser) -> None:
    """One option per training setting: `--name-with-dashes VALUE` (a flag for a yes/no one), its default the setting's."""
    for setting in config.SETTINGS:
        if setting.type is bool:
            parser.add_argument(setting.cli_flag, dest=setting.name, action="store_true", help=setting.help)
        else:
            shown = "" if setting.default is None else f" (default {setting.default})"
            parser.add_argument(setting.cli_flag, dest=setting.name, type=setting.type, default=setting.default,
                                help=setting.help + shown)


def setting_arguments(values: dict) -> list[str]:
    """The command line options that give a run these setting values (what add_setting_options reads back)."""
    arguments = []
    for setting in config.SETTINGS:
        value = values.get(setting.name, setting.default)
        if setting.type is bool:
            arguments += [setting.cli_flag] if value else []
        elif value is not None:
            arguments += [setting.cli_flag, repr(float(value)) if setting.type is float else str(value)]
    return arguments


def setting_values(args: argparse.Namespace) -> dict:
    return {setting.name: getattr(args, setting.name) for setting in config.SETTINGS}


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ae_core", description="Autoencoder Lab: train, evaluate, list.")
    commands = parser.add_subparsers(dest="command", required=True)

    train_parser = commands.add_parser("train", help="train a model and save it into a folder")
    add_setting_options(train_parser)
    train_parser.add_argument("--out", required=True, type=Path, help="folder to save into, e.g. trained/my-model")
    train_parser.add_argument("--replace", action="store_true", help="replace the model already in --out")
    train_parser.add_argument("--reservation", help=argparse.SUPPRESS)  # the app reserved --out for this run
    # The app's server process: when it is gone (killed, crashed), the run stops as if Stop was pressed and keeps what
    # it learnt, rather than train on for nobody (ae_core/training/job_manager.py, "A job does not need its owner").
    train_parser.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    train_parser.add_argument("--events", type=Path, help="append progress as JSON lines to this file")
    train_parser.add_argument("--json", action="store_true", help="print one JSON object, no progress bar")
    train_parser.add_argument("--verbose", action="store_true", help="show TensorFlow's start-up messages")

    evaluate_parser = commands.add_parser("evaluate", help="measure a stored model's MSE on the test set")
    evaluate_parser.add_argument("model", help="a stored model's name or folder")
    evaluate_parser.add_argument("--json", action="store_true")
    evaluate_parser.add_argument("--verbose", action="store_true", help="show TensorFlow's start-up messages")

    list_parser = commands.add_parser("list", help="list the stored models")
    list_parser.add_argument("--json", action="store_true")

    code_parser = commands.add_parser("code", help="the lecture's Keras code that builds and trains a stored model")
    code_parser.add_argument("model", help="a stored model's name or folder")
    code_parser.add_argument("--notebook", action="store_true", help="a Jupyter notebook (.ipynb) instead of a .py")
    code_parser.add_argument("--out", type=Path, help="the file (or folder) to write into; default: print it")
    # Korean by default, as the app: the lecture note is Korean, and so are its classrooms.
    code_parser.add_argument("--lang", choices=tuple(CODE_TEXTS), default="ko", help="the comments' language (default ko)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    from ae_core.data import DatasetError
    from ae_core.lecture_code import LectureCodeError
    from ae_core.store import ModelStoreError

    try:
        return {"train": _train, "evaluate": _evaluate, "list": _list, "code": _code}[args.command](args)
    except (ConfigError, LectureCodeError) as error:
        _fail(args, str(error), code="refused", problems=error.problems)
        return 2
    except ModelStoreError as error:  # unknown or unavailable model, a name already taken
        problems = [Problem("name", "taken", {"value": error.name})] if error.code == "taken" else None
        _fail(args, str(error), code="refused" if problems else "store", problems=problems)
        return 2
    except DatasetError as error:  # not found, or only damaged copies: the message says where it looked
        _fail(args, str(error), code=error.code)
        return 3


def _fail(args, message: str, code: str, problems: list[Problem] | None = None) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
    if getattr(args, "events", None):
        details = {"problems": [vars(problem) for problem in problems]} if problems else {}
        ProgressWriter(args.events).error(message, code=code, **details)


def _train(args) -> int:
    from ae_core.store import claim_folder
    from ae_core.training.progress import hold_writer_lock

    if args.events:
        # Before anything slow: whoever reads the events (another server, after this one's died) sees a run that lives.
        hold_writer_lock(args.events)

    model_config, train_config = config.split(setting_values(args))
    reservation = claim_folder(args.out, token=args.reservation, replace=args.replace)

    from ae_core.training.quiet_tensorflow import import_tensorflow

    import_tensorflow(args.verbose)
    from ae_core.data import load_fashion_mnist
    from ae_core.store import release_name, save_model
    from ae_core.training.trainer import train

    events = ProgressWriter(args.events) if args.events else None
    listeners = [listener for listener in (events, None if args.json else _ProgressBar()) if listener]
    stop_requested = []
    # SIGTERM (the app's Stop button) and Ctrl-C end the run after the current batch; what was learnt is kept.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop_requested.append(True))

    def should_stop() -> bool:
        # A process whose parent dies is handed to another: os.getppid() then changes.
        return bool(stop_requested) or (args.parent_pid is not None and os.getppid() != args.parent_pid)

    try:
        data = load_fashion_mnist()
        if events:
            events.start(epochs=train_config.epochs, model=args.out.name)
        result = train(model_config, train_config, data, listener=_Fanout(listeners),
                       should_stop=should_stop)
        summary = {"name": args.out.name, "arch": model_config.arch, "latent_dim": model_config.latent_dim,
                   "val_mse": result.val_mse, "seconds": round(result.seconds, 2),
                   "epochs_completed": result.epochs_completed, "stopped_early": result.stopped_early}
        if result.epochs_completed > 0:
            save_model(result.model, result.metadata(model_config, train_config, data.checksum), args.out)
            summary["path"] = str(args.out)
    finally:
        if reservation:
            release_name(args.out, reservation)  # nothing, once the save has committed
    if events:
        events.done(summary)
    print(json.dumps(summary) if args.json else f"\nval MSE {result.val_mse:.5f} in {result.seconds:.1f} s"
          + (f" -> saved to {args.out}" if "path" in summary else " (stopped before one epoch: not saved)"))
    return 0


def _evaluate(args) -> int:
    from ae_core.store import find_model

    stored = find_model(args.model)
    from ae_core.training.quiet_tensorflow import import_tensorflow

    import_tensorflow(args.verbose)
    from ae_core.data import load_fashion_mnist
    from ae_core.store import load_model
    from ae_core.training.trainer import evaluate_mse

    model = load_model(stored.name)
    val_mse = evaluate_mse(model, load_fashion_mnist().x_test)
    summary = {"name": stored.name, "arch": stored.arch, "latent_dim": stored.latent_dim, "val_mse": val_mse,
               "params": model.count_params(), "shipped": stored.shipped}
    print(json.dumps(summary) if args.json else "\n".join(f"{key}: {value}" for key, value in summary.items()))
    return 0


def _list(args) -> int:
    from ae_core.store import scan

    listing = scan()
    rows = [{"name": m.name, "shipped": m.shipped, "available": True, "val_mse": m.val_mse, "arch": m.arch,
             "latent_dim": m.latent_dim, "variational": m.config.variational} for m in listing.models]
    rows += [{"name": u.name, "shipped": u.shipped, "available": False, "reason": u.reason, "detail": u.detail}
             for u in listing.unavailable]
    if args.json:
        print(json.dumps(rows))
        return 0
    for row in rows:
        origin = "shipped" if row["shipped"] else "trained"
        if row["available"]:
            kind = f"{'vae-' if row['variational'] else ''}{row['arch']}"
            print(f"{row['name']:24} {kind:10} latent {row['latent_dim']:>4}  val MSE {row['val_mse']:.5f}  {origin}")
        else:
            print(f"{row['name']:24} unavailable: {row['reason']}" + (f" ({row['detail']})" if row["detail"] else ""))
    return 0


def _code(args) -> int:
    from ae_core.lecture_code import notebook_file_name, notebook_text, python_script, script_file_name
    from ae_core.store import find_model

    stored = find_model(args.model)
    text = (notebook_text if args.notebook else python_script)(stored, args.lang)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    path = args.out
    if path.is_dir():
        path = path / (notebook_file_name if args.notebook else script_file_name)(stored.name)
    try:
        _write_text_atomically(path, text)
    except OSError as error:
        _fail(args, f"cannot write {path}: {error.strerror or error}", code="write")
        return 1
    print(f"wrote {path}")
    return 0


def _write_text_atomically(path: Path, text: str) -> None:
    """Either the whole file or none: written beside its place under a temporary name, then renamed onto it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Fanout(ProgressListener):
    def __init__(self, listeners: list[ProgressListener]):
        self.listeners = listeners

    def on_batch(self, *args):
        for listener in self.listeners:
            listener.on_batch(*args)

    def on_epoch(self, report):
        for listener in self.listeners:
            listener.on_epoch(report)


class _ProgressBar(ProgressListener):
    """A one-line terminal progress bar on stderr."""

    def on_batch(self, epoch, batch, batches, loss):
        filled = int(30 * batch / batches)
        sys.stderr.write(f"\repoch {epoch} [{'#' * filled}{'.' * (30 - filled)}] {batch}/{batches} loss {loss:.5f}")
        sys.stderr.flush()

    def on_epoch(self, report):
        terms = "".join(f"  {name} {value:.3f}" for name, value in report.terms.items())
        sys.stderr.write(f"\repoch {report.epoch}/{report.epochs}: loss {report.loss:.5f}{terms}  "
                         f"val MSE {report.val_loss:.5f}  ({report.seconds:.1f} s)" + " " * 20 + "\n")
