"""Anomaly scoring: ROC curve and AUC on hand-computed cases and against Mann-Whitney, counts, thresholds, histograms."""

import numpy as np
import pytest

from ae_core.anomaly import (
    confusion_at,
    flagged_indices,
    histogram_by_class,
    roc_auc,
    roc_curve,
    threshold_for_rate,
    typicality,
)


def mann_whitney_auc(scores, positives):
    """Brute force over every (anomaly, normal) pair: 1 when the anomaly scores higher, 1/2 for a tie."""
    scores = np.asarray(scores, dtype=float)
    positives = np.asarray(positives, dtype=bool)
    anomalous, normal = scores[positives][:, None], scores[~positives][None, :]
    wins = (anomalous > normal).sum() + 0.5 * (anomalous == normal).sum()
    return wins / (anomalous.size * normal.size)


def test_a_small_curve_by_hand():
    scores = [0.9, 0.8, 0.7, 0.6, 0.5]
    positives = [True, False, True, False, False]
    fpr, tpr, thresholds = roc_curve(scores, positives)
    np.testing.assert_allclose(fpr, [0, 0, 1 / 3, 1 / 3, 2 / 3, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1, 1])
    np.testing.assert_allclose(thresholds[:-1], [0.9, 0.8, 0.7, 0.6, 0.5])
    assert thresholds[-1] < 0.5 and thresholds[-1] == pytest.approx(0.5)
    # Pairs: the 0.9 anomaly beats all 3 normals, the 0.7 anomaly beats 2 of them: 5 of 6.
    assert roc_auc(scores, positives) == pytest.approx(5 / 6)


def test_ties_enter_together_as_one_diagonal_step():
    scores = [3.0, 2.0, 2.0, 2.0, 1.0]
    positives = [True, True, False, False, False]
    fpr, tpr, thresholds = roc_curve(scores, positives)
    np.testing.assert_allclose(fpr, [0, 0, 2 / 3, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 1, 1])
    np.testing.assert_allclose(thresholds[:3], [3.0, 2.0, 1.0])
    # Shuffling equal scores must not change the curve (sorting is not allowed to break ties).
    assert np.array_equal(roc_curve(scores[::-1], positives[::-1])[1], tpr)
    assert roc_auc(scores, positives) == pytest.approx(mann_whitney_auc(scores, positives))


@pytest.mark.parametrize(("scores", "expected"), [
    ([0.9, 0.8, 0.2, 0.1], 1.0),  # the anomalies score highest: perfect
    ([0.1, 0.2, 0.8, 0.9], 0.0),  # the anomalies score lowest: perfectly reversed
    ([0.5, 0.5, 0.5, 0.5], 0.5),  # every score equal: chance
])
def test_auc_extremes(scores, expected):
    assert roc_auc(scores, [True, True, False, False]) == pytest.approx(expected)


def test_identical_scores_give_the_chance_diagonal():
    fpr, tpr, _ = roc_curve(np.full(6, 0.3), [1, 0, 0, 1, 0, 0])
    np.testing.assert_allclose(fpr, [0, 1])
    np.testing.assert_allclose(tpr, [0, 1])


@pytest.mark.parametrize("seed", range(8))
def test_auc_equals_mann_whitney_on_random_data_with_ties(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(5, 300))
    scores = rng.integers(0, 12, size) / 4  # few distinct values: many ties
    positives = rng.random(size) < rng.uniform(0.1, 0.9)
    positives[:2] = [True, False]  # at least one of each
    assert roc_auc(scores, positives) == pytest.approx(mann_whitney_auc(scores, positives), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_curve_properties_and_agreement_with_confusion_at(seed):
    rng = np.random.default_rng(100 + seed)
    positives = rng.random(200) < 0.2
    positives[:2] = [True, False]
    scores = np.round(rng.gamma(2.0, 0.01, 200) + 0.01 * positives, 3)  # anomalies a little higher, some ties
    fpr, tpr, thresholds = roc_curve(scores, positives)
    assert len(fpr) == len(tpr) == len(thresholds) == len(np.unique(scores)) + 1
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0, 0, 1, 1)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0) and np.all(np.diff(thresholds) < 0)
    for index in rng.choice(len(thresholds), 10, replace=False):
        counts = confusion_at(scores, positives, thresholds[index])
        assert counts.false_positive_rate == pytest.approx(fpr[index])
        assert counts.recall == pytest.approx(tpr[index])
    assert roc_auc(scores, positives) > 0.5


def test_confusion_at_counts_strictly_above_the_threshold():
    scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    positives = [False, False, True, False, True, True]
    counts = confusion_at(scores, positives, 0.3)  # 0.3 itself is not flagged
    assert (counts.true_positives, counts.false_positives, counts.true_negatives, counts.false_negatives) == (2, 1, 2, 1)
    assert counts.flagged == 3
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.false_positive_rate == pytest.approx(1 / 3)
    nothing = confusion_at(scores, positives, 0.6)
    assert (nothing.flagged, nothing.precision, nothing.recall) == (0, 0.0, 0.0)
    everything = confusion_at(scores, positives, 0.0)
    assert (everything.recall, everything.false_positive_rate, everything.precision) == (1.0, 1.0, 0.5)


def test_threshold_for_rate():
    scores = np.arange(100, dtype=float)[::-1] / 100  # 0.99 ... 0.00
    for rate, n_flagged in [(0.0, 0), (0.05, 5), (0.29, 29), (0.5, 50), (1.0, 100)]:
        threshold = threshold_for_rate(scores, rate)
        assert int(np.sum(scores > threshold)) == n_flagged, rate
    assert threshold_for_rate(scores, 0.0) == 0.99
    assert threshold_for_rate(scores, 0.05) == 0.94


def test_threshold_for_rate_never_flags_more_than_asked_when_ties_straddle_the_cut():
    scores = [5.0, 4.0, 3.0, 3.0, 3.0, 1.0]
    threshold = threshold_for_rate(scores, 0.5)  # 3 of 6 asked, but the three 3.0s come as a block
    assert threshold == 3.0
    assert int(np.sum(np.asarray(scores) > threshold)) == 2


def test_flagged_indices_highest_first():
    scores = [0.2, 0.9, 0.5, 0.9, 0.1]
    assert flagged_indices(scores, 0.4).tolist() == [1, 3, 2]
    assert flagged_indices(scores, 0.9).tolist() == []


def test_histogram_by_class_shares_edges_and_counts_every_score():
    rng = np.random.default_rng(0)
    scores = rng.lognormal(-4, 0.7, 1000)
    labels = rng.integers(0, 10, 1000)
    histogram = histogram_by_class(scores, labels, bins=30)
    assert histogram.edges.shape == (31,)
    assert histogram.edges[0] == scores.min() and histogram.edges[-1] == scores.max()
    assert histogram.classes.tolist() == list(range(10))
    assert histogram.counts.shape == (10, 30)
    assert histogram.counts.sum() == 1000
    for label in range(10):
        assert histogram.counts[label].sum() == np.sum(labels == label)
    np.testing.assert_allclose(np.diff(histogram.edges), np.diff(histogram.edges)[0])


def test_histogram_on_a_log_scale():
    scores = np.array([0.001, 0.002, 0.01, 0.1, 0.1])
    histogram = histogram_by_class(scores, [True, False, False, True, False], bins=3, log_scale=True)
    np.testing.assert_allclose(histogram.edges, [0.001, 0.001 * 10 ** (2 / 3), 0.001 * 10 ** (4 / 3), 0.1])
    assert histogram.classes.tolist() == [False, True]
    assert histogram.counts.tolist() == [[1, 1, 1], [1, 0, 1]]
    np.testing.assert_allclose(histogram.centres[0], np.sqrt(histogram.edges[0] * histogram.edges[1]))
    with pytest.raises(ValueError, match="log scale"):
        histogram_by_class(np.array([0.0, 0.1]), [0, 1], log_scale=True)


def test_histogram_with_fixed_classes_and_a_single_value():
    histogram = histogram_by_class([0.5, 0.5, 0.5], [2, 2, 7], bins=4, classes=[7, 2, 9])
    assert histogram.counts.sum(axis=1).tolist() == [1, 2, 0]
    assert histogram.edges[0] < 0.5 < histogram.edges[-1]


@pytest.mark.parametrize(("scores", "positives", "message"), [
    ([0.1, 0.2, 0.3], [False, False, False], "No anomalies"),
    ([0.1, 0.2, 0.3], [True, True, True], "Every image is an anomaly"),
    ([0.1, np.nan, 0.3], [True, False, False], "NaN"),
    ([0.1, np.inf, 0.3], [True, False, False], "NaN or infinite"),
    ([0.1, 0.2], [True, False, False], "anomaly mask of shape"),
    ([0.1, 0.2, 0.3], [0, 2, 1], "booleans"),
    ([], [], "non-empty"),
])
def test_bad_scores_or_masks_are_refused(scores, positives, message):
    for call in (lambda: roc_curve(scores, positives), lambda: roc_auc(scores, positives),
                 lambda: confusion_at(scores, positives, 0.15)):
        with pytest.raises(ValueError, match=message):
            call()


def test_other_bad_input_is_refused():
    with pytest.raises(ValueError, match="rate"):
        threshold_for_rate([0.1, 0.2], 1.5)
    with pytest.raises(ValueError, match="NaN"):
        threshold_for_rate([0.1, np.nan], 0.5)
    with pytest.raises(ValueError, match="threshold is NaN"):
        confusion_at([0.1, 0.2], [True, False], float("nan"))
    with pytest.raises(ValueError, match="bins"):
        histogram_by_class([0.1, 0.2], [0, 1], bins=0)
    with pytest.raises(ValueError, match="labels"):
        histogram_by_class([0.1, 0.2], [0, 1, 1])
    with pytest.raises(ValueError, match="NaN"):
        histogram_by_class([0.1, np.nan], [0, 1])
    assert roc_auc([0.2, 0.1, 0.3], [1, 0, 0]) == pytest.approx(0.5)  # 0/1 integers work as a mask


def test_typicality_places_a_new_score_among_the_reference_scores():
    reference = np.linspace(0.0, 1.0, 1001)  # percentiles 95 and 99.9 fall at 0.95 and 0.999
    assert [typicality(score, reference) for score in (0.2, 0.95, 0.97, 0.9995)] == [
        "typical", "typical", "unusual", "unknown"]
    with pytest.raises(ValueError):
        typicality(float("nan"), reference)
