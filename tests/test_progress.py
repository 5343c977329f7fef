"""The progress-event format: what ProgressWriter writes, read_events reads back; anything malformed is skipped."""

import base64
import io
import json

import numpy as np
from PIL import Image

from ae_core.training.progress import EpochReport, ProgressWriter, parse_event, read_events


def test_a_written_run_reads_back_event_by_event(tmp_path):
    path = tmp_path / "events.jsonl"
    writer = ProgressWriter(path)
    writer.start(epochs=2, model="m")
    writer.on_batch(1, 10, 10, 0.5)
    frame = np.arange(8 * 28 * 28, dtype=np.uint8).reshape(8, 28, 28)
    writer.on_epoch(EpochReport(1, 2, 0.5, 0.4, 1.0, {"kl": 3.0}, frame))
    writer.done({"epochs_completed": 1, "val_mse": 0.4, "stopped_early": True, "path": "x"})
    writer.error("disk full", code="store")
    events, offset = read_events(path)
    assert [event.type for event in events] == ["start", "batch", "epoch", "done", "error"]
    assert events[2]["val_loss"] == 0.4 and events[2]["kl"] == 3.0 and events[3]["path"] == "x"
    assert events[4]["code"] == "store"
    # The film frame: the 8 images side by side, losslessly.
    strip = np.asarray(Image.open(io.BytesIO(base64.b64decode(events[2]["film"]))))
    np.testing.assert_array_equal(strip, np.hstack(list(frame)))
    assert offset == path.stat().st_size
    assert read_events(path, offset) == ([], offset)


def test_a_partial_last_line_waits_and_malformed_lines_are_skipped(tmp_path):
    path = tmp_path / "events.jsonl"
    lines = ["not json", json.dumps([1, 2]), json.dumps({"type": "epoch", "epoch": "one"}),
             json.dumps({"type": "mystery"}), json.dumps({"type": "batch", "epoch": 1, "batch": True, "batches": 2,
                                                          "loss": 0.1}),
             json.dumps({"type": "batch", "epoch": 1, "batch": 1, "batches": 2, "loss": 0.1})]
    path.write_text("\n".join(lines) + '\n{"type": "epo')
    events, offset = read_events(path)
    assert [(event.type, event["batch"]) for event in events] == [("batch", 1)]
    with open(path, "a") as file:
        file.write('ch", "epoch": 1, "epochs": 2, "loss": 0.1, "val_loss": 0.2}\n')
    more, _ = read_events(path, offset)
    assert [event.type for event in more] == ["epoch"]


def test_a_missing_file_is_no_events_yet(tmp_path):
    assert read_events(tmp_path / "none.jsonl", 7) == ([], 7)


def test_parse_event_refuses_a_line_without_its_fields():
    for line in ('{"type": "done"}', '{"type": "error", "message": 3}', '{"type": "start", "epochs": 2}'):
        try:
            parse_event(line)
        except ValueError:
            continue
        raise AssertionError(f"accepted {line}")
