"""How values reach the page: the stored models as table rows in the session's language, durations, times."""

from ae_core import store
from ui import formatting


def test_the_model_table_has_one_row_per_stored_model_with_its_metrics():
    models = store.list_models()
    rows = formatting.model_rows(models, "dense-64")  # outside a session: the default language, Korean
    by_name = {row["name"]: row for row in rows}
    dense = by_name["dense-64"]
    assert dense["active"] and not any(row["active"] for row in rows if row["name"] != "dense-64")
    assert dense["arch"] == "Dense (강의 모델)" and dense["latent_dim"] == 64 and dense["epochs"] == 10
    stored = store.find_model("dense-64")
    assert dense["val_mse"] == stored.val_mse and dense["training_seconds"] == stored.training_seconds
    assert dense["origin"] == "기본 제공" and dense["created"].endswith("UTC")


def test_short_time_and_duration():
    assert formatting.short_time("2026-05-01T12:34:56+00:00") == "2026-05-01 12:34 UTC"
    assert formatting.short_time("yesterday") == "yesterday" and formatting.short_time(None) is None
    assert formatting.format_duration(59.6) == "1:00"
