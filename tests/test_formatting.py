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


def test_typed_numbers_are_read_as_people_write_them():
    assert formatting.parse_number("0.001") == 0.001 and formatting.parse_number(" 1e-3 ") == 0.001
    assert formatting.parse_number("2E-3") == 0.002 and formatting.parse_number("0,5") == 0.5
    assert formatting.parse_number("1 000") == 1000.0
    for text in ("", "fast", "0.0o1", "1,000.5", "nan", "inf", "1e999"):
        assert formatting.parse_number(text) is None, text


def test_the_kind_column_names_each_lesson_model():
    rows = {row["name"]: row for row in formatting.model_rows(store.list_models(), None)}  # Korean outside a session
    assert rows["dense-64"]["kind"] == "일반" and rows["vae-2"]["kind"] == "VAE (β = 1.0)"
    assert rows["dense-64-denoise"]["kind"] == "노이즈 제거 (노이즈 0.3)"
    assert rows["dense-64-no-bag"]["kind"] == "가방 빼고 학습"


def test_the_sidebar_summary_names_a_vae_and_its_beta_and_the_lecture_only_for_the_lecture_model():
    assert formatting.model_summary(store.find_model("dense-64")).startswith("Dense (강의 모델) · 잠재 차원 64")
    summary = formatting.model_summary(store.find_model("vae-2"))
    assert summary.startswith("Dense · VAE (β = 1.0) · 잠재 차원 2") and "강의" not in summary
