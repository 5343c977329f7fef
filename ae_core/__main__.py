"""Command line: train, evaluate and list autoencoders.

Usage:
  python -m ae_core train --arch dense --latent-dim 64 --epochs 10 --batch-size 32 --out models/dense-64 [--json]
  python -m ae_core evaluate models/dense-64 --json
  python -m ae_core list --json
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

# TensorFlow's C++ start-up chatter would bury the progress bar and the JSON.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ae_core", description="Autoencoder Lab: train, evaluate, list.")
    commands = parser.add_subparsers(dest="command", required=True)

    train_parser = commands.add_parser("train", help="train a model and save it into a folder")
    train_parser.add_argument("--arch", default="dense")
    train_parser.add_argument("--latent-dim", type=int, default=64)
    train_parser.add_argument("--epochs", type=int, default=10)
    train_parser.add_argument("--batch-size", type=int, default=32)
    train_parser.add_argument("--learning-rate", type=float, default=1e-3)
    train_parser.add_argument("--schedule", default="constant", choices=("constant", "cosine"))
    train_parser.add_argument("--seed", type=int, default=0)
    train_parser.add_argument("--out", required=True, type=Path, help="folder to save into, e.g. trained/my-model")
    train_parser.add_argument("--events", type=Path, help="append progress as JSON lines to this file")
    train_parser.add_argument("--json", action="store_true", help="print one JSON object, no progress bar")

    evaluate_parser = commands.add_parser("evaluate", help="measure a stored model's MSE on the test set")
    evaluate_parser.add_argument("model", help="a stored model's name or folder")
    evaluate_parser.add_argument("--json", action="store_true")

    list_parser = commands.add_parser("list", help="list the stored models")
    list_parser.add_argument("--json", action="store_true")

    args = parser.parse_args(argv)
    try:
        return {"train": _train, "evaluate": _evaluate, "list": _list}[args.command](args)
    except ValueError as error:  # bad configuration, unknown model, store errors: a message, not a traceback
        _fail(args, str(error))
        return 2
    except RuntimeError as error:  # missing dataset
        _fail(args, str(error))
        return 3


def _fail(args, message: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"error": message}, ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
    if getattr(args, "events", None):
        _EventWriter(args.events).write({"type": "error", "message": message})


def _train(args) -> int:
    from ae_core.config import ModelConfig, TrainConfig
    from ae_core.store import validate_name

    model_config = ModelConfig(arch=args.arch, latent_dim=args.latent_dim)
    train_config = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.learning_rate,
                               schedule=args.schedule, seed=args.seed)
    validate_name(args.out.name)

    from ae_core.data import load_fashion_mnist
    from ae_core.store import build_metadata, save_model
    from ae_core.train import train

    events = _EventWriter(args.events) if args.events else None
    listeners = [listener for listener in (events, None if args.json else _ProgressBar()) if listener]
    stop_requested = []
    # SIGTERM (the app's Stop button) and Ctrl-C end the run after the current batch; what was learnt is kept.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop_requested.append(True))

    data = load_fashion_mnist()
    if events:
        events.write({"type": "start", "epochs": train_config.epochs, "model": args.out.name})
    result = train(model_config, train_config, data, listener=_Fanout(listeners), should_stop=lambda: bool(stop_requested))
    summary = {"name": args.out.name, "arch": model_config.arch, "latent_dim": model_config.latent_dim,
               "val_mse": result.val_mse, "seconds": round(result.seconds, 2),
               "epochs_completed": result.epochs_completed, "stopped_early": result.stopped_early}
    if result.epochs_completed > 0:
        save_model(result.model, build_metadata(result, model_config, train_config, data.checksum), args.out)
        summary["path"] = str(args.out)
    if events:
        events.write({"type": "done", **summary})
    print(json.dumps(summary) if args.json else f"\nval MSE {result.val_mse:.5f} in {result.seconds:.1f} s"
          + (f" -> saved to {args.out}" if "path" in summary else " (stopped before one epoch: not saved)"))
    return 0


def _evaluate(args) -> int:
    from ae_core.data import load_fashion_mnist
    from ae_core.store import find_model, load_model
    from ae_core.train import evaluate_mse

    stored = find_model(args.model)
    model = load_model(stored.path)
    val_mse = evaluate_mse(model, load_fashion_mnist().x_test)
    summary = {"name": stored.name, "arch": model.arch, "latent_dim": model.latent_dim, "val_mse": val_mse,
               "params": model.count_params(), "shipped": stored.shipped}
    print(json.dumps(summary) if args.json else "\n".join(f"{key}: {value}" for key, value in summary.items()))
    return 0


def _list(args) -> int:
    from ae_core.store import list_models

    rows = [{"name": m.name, "path": str(m.path), "shipped": m.shipped, "val_mse": m.val_mse,
             **m.metadata.get("model_config", {})} for m in list_models()]
    if args.json:
        print(json.dumps(rows))
    else:
        for row in rows:
            print(f"{row['name']:24} {row.get('arch', '?'):6} latent {row.get('latent_dim', '?'):>4}  "
                  f"val MSE {row['val_mse'] or float('nan'):.5f}  {'shipped' if row['shipped'] else 'trained'}")
    return 0


class _Fanout:
    def __init__(self, listeners):
        self.listeners = listeners

    def on_batch(self, *args):
        for listener in self.listeners:
            listener.on_batch(*args)

    def on_epoch(self, *args):
        for listener in self.listeners:
            listener.on_epoch(*args)


class _EventWriter:
    """Progress as JSON lines, for a parent process (the app) to follow; batch lines at most 5 a second."""

    def __init__(self, path: Path):
        self.path = path
        self.last_batch_write = 0.0
        self.start = time.perf_counter()

    def write(self, event: dict) -> None:
        event = {**event, "elapsed": round(time.perf_counter() - self.start, 3)}
        with open(self.path, "a", encoding="utf-8") as file:
            file.write(json.dumps(event) + "\n")

    def on_batch(self, epoch, batch, batches, loss):
        now = time.perf_counter()
        if now - self.last_batch_write >= 0.2 or batch == batches:
            self.last_batch_write = now
            self.write({"type": "batch", "epoch": epoch, "batch": batch, "batches": batches, "loss": loss})

    def on_epoch(self, epoch, epochs, loss, val_loss, seconds):
        self.write({"type": "epoch", "epoch": epoch, "epochs": epochs, "loss": loss, "val_loss": val_loss})


class _ProgressBar:
    """A one-line terminal progress bar on stderr."""

    def on_batch(self, epoch, batch, batches, loss):
        filled = int(30 * batch / batches)
        sys.stderr.write(f"\repoch {epoch} [{'#' * filled}{'.' * (30 - filled)}] {batch}/{batches} loss {loss:.5f}")
        sys.stderr.flush()

    def on_epoch(self, epoch, epochs, loss, val_loss, seconds):
        sys.stderr.write(f"\repoch {epoch}/{epochs}: loss {loss:.5f}  val MSE {val_loss:.5f}  ({seconds:.1f} s)" + " " * 20 + "\n")


if __name__ == "__main__":
    sys.exit(main())
