"""Reconstruction error as an anomaly score: ROC curve and AUC, counts at a threshold, histograms by class.

Usage: `fpr, tpr, thresholds = roc_curve(errors, data.y_test == 4); counts = confusion_at(errors, data.y_test == 4, 0.02)`

Scores are per-image reconstruction errors (higher = more anomalous) and `positives` marks the images that really are
anomalies (for the unseen-class experiment, the left-out class). An image is flagged when its score is strictly
greater than the threshold (`score > threshold`). With that choice a threshold equal to the highest score flags
nothing, every ROC threshold below is one of the scores themselves, and `confusion_at` at the i-th ROC threshold
gives exactly the i-th point of the curve; "flag the images above the line" also reads the same way on a histogram.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ConfusionCounts:
    """How many images a threshold flags, split by whether they are anomalies."""

    threshold: float
    true_positives: int  # anomalies flagged
    false_positives: int  # normal images flagged
    true_negatives: int  # normal images not flagged
    false_negatives: int  # anomalies missed

    @property
    def flagged(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def precision(self) -> float:
        """Share of the flagged images that are anomalies; 0.0 when nothing is flagged (scikit-learn's convention)."""
        return self.true_positives / self.flagged if self.flagged else 0.0

    @property
    def recall(self) -> float:
        """Share of the anomalies that are flagged (the true positive rate)."""
        return self.true_positives / (self.true_positives + self.false_negatives)

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / (self.false_positives + self.true_negatives)



@dataclass(frozen=True)
class ClassHistogram:
    """Counts of scores per class over bin edges shared by every class, so the bars of all classes line up."""

    edges: np.ndarray  # (bins + 1,) increasing; every bin is [left, right) except the last, which is closed
    classes: np.ndarray  # (n_classes,) the label of each row of `counts`
    counts: np.ndarray  # (n_classes, bins) int
    log_scale: bool  # edges evenly spaced in log(score) rather than in score

    @property
    def centres(self) -> np.ndarray:
        """Middle of each bin, (bins,): the geometric middle on a log scale."""
        if self.log_scale:
            return np.sqrt(self.edges[:-1] * self.edges[1:])
        return (self.edges[:-1] + self.edges[1:]) / 2


def roc_curve(scores: np.ndarray, positives: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve of flagging `score > threshold`, one point per distinct score plus the flag-everything end.

    Returns (false_positive_rates, true_positive_rates, thresholds), each of shape (distinct scores + 1,). Point 0 is
    (0, 0) at the highest score (nothing is above it); each next point lowers the threshold to the next distinct
    score, so images with equal scores enter together (a diagonal step where ties mix both kinds); the last point is
    (1, 1) at a threshold just below the lowest score.
    """
    scores, positives = _check_scores_and_positives(scores, positives)
    order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    sorted_positives = positives[order]
    # The last index of each run of equal scores: the curve only stops once a whole group of ties is in.
    group_ends = np.flatnonzero(np.diff(sorted_scores) != 0)
    group_ends = np.append(group_ends, len(sorted_scores) - 1)
    true_positives = np.cumsum(sorted_positives)[group_ends]
    false_positives = (group_ends + 1) - true_positives
    n_positives = true_positives[-1]
    n_negatives = false_positives[-1]
    distinct_scores = sorted_scores[group_ends]
    thresholds = np.append(distinct_scores, np.nextafter(distinct_scores[-1], -np.inf))
    false_positive_rates = np.concatenate([[0.0], false_positives / n_negatives])
    true_positive_rates = np.concatenate([[0.0], true_positives / n_positives])
    return false_positive_rates, true_positive_rates, thresholds


def roc_auc(scores: np.ndarray, positives: np.ndarray) -> float:
    """Area under the ROC curve by the trapezoid rule: the probability that a random anomaly scores higher than a
    random normal image, ties counting half (the Mann-Whitney U statistic over n_positives * n_negatives)."""
    false_positive_rates, true_positive_rates, _ = roc_curve(scores, positives)
    widths = np.diff(false_positive_rates)
    heights = (true_positive_rates[1:] + true_positive_rates[:-1]) / 2
    return float(np.sum(widths * heights))


def confusion_at(scores: np.ndarray, positives: np.ndarray, threshold: float) -> ConfusionCounts:
    """Counts when every image with `score > threshold` is flagged, with precision, recall and F1 as properties."""
    scores, positives = _check_scores_and_positives(scores, positives)
    threshold = _check_threshold(threshold)
    flagged = scores > threshold
    true_positives = int(np.sum(flagged & positives))
    false_positives = int(np.sum(flagged & ~positives))
    false_negatives = int(np.sum(~flagged & positives))
    true_negatives = len(scores) - true_positives - false_positives - false_negatives
    return ConfusionCounts(threshold=threshold, true_positives=true_positives, false_positives=false_positives,
                           true_negatives=true_negatives, false_negatives=false_negatives)


def threshold_for_rate(scores: np.ndarray, rate: float) -> float:
    """The threshold that flags the highest-scoring `rate` of the images (0.05: the top 5 %).

    It flags floor(rate * n) images, or fewer where scores tied with the next one would all have to come in
    together: never more than `rate`. The threshold is one of the scores (the highest one left unflagged), or just
    below the lowest score when rate is 1.
    """
    scores = _check_scores(scores)
    rate = float(rate)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"The rate must be between 0 and 1, got {rate}.")
    # The small slack keeps rate * n from landing just under a whole number (0.29 * 100 = 28.999999999999996).
    n_flagged = min(int(np.floor(rate * len(scores) + 1e-9)), len(scores))
    descending = np.sort(scores)[::-1]
    if n_flagged == len(scores):
        return float(np.nextafter(descending[-1], -np.inf))
    return float(descending[n_flagged])


def flagged_indices(scores: np.ndarray, threshold: float) -> np.ndarray:
    """Indices of the images with `score > threshold`, highest score first (ties in index order)."""
    scores = _check_scores(scores)
    threshold = _check_threshold(threshold)
    flagged = np.flatnonzero(scores > threshold)
    return flagged[np.argsort(-scores[flagged], kind="stable")]


def histogram_by_class(scores: np.ndarray, labels: np.ndarray, bins: int = 50, log_scale: bool = False,
                       classes: Sequence | np.ndarray | None = None) -> ClassHistogram:
    """Histogram of the scores of each class over one set of bin edges spanning all the scores.

    `labels` (n,) gives each image's class (a class index, or a bool such as "is anomaly"); `classes` fixes the rows
    and their order (a class with no images gets a row of zeros), by default the distinct labels in sorted order.
    `log_scale` spaces the edges evenly in log(score), which suits reconstruction errors: they are skewed, most
    small and a few large. It needs every score > 0.
    """
    scores = _check_scores(scores)
    labels = np.asarray(labels)
    if labels.shape != scores.shape:
        raise ValueError(f"{len(scores)} scores but labels of shape {labels.shape}.")
    if isinstance(bins, bool) or int(bins) != bins or bins < 1:
        raise ValueError(f"The number of bins must be a whole number of at least 1, got {bins!r}.")
    bins = int(bins)
    classes = np.unique(labels) if classes is None else np.asarray(classes)
    if len(np.unique(classes)) != len(classes):
        raise ValueError("The classes contain duplicates.")
    low, high = float(scores.min()), float(scores.max())
    if log_scale:
        if low <= 0:
            raise ValueError(f"A log scale needs scores above 0; the lowest is {low}.")
        if low == high:  # one distinct score: a bin from half to twice it
            low, high = low / 2, high * 2
        edges = np.geomspace(low, high, bins + 1)
    else:
        if low == high:  # one distinct score: a bin of width 1 around it, as np.histogram does
            low, high = low - 0.5, high + 0.5
        edges = np.linspace(low, high, bins + 1)
    # geomspace/linspace set both ends exactly, so the extreme scores fall inside the first and last bins.
    counts = np.zeros((len(classes), bins), dtype=np.int64)
    for row, label in enumerate(classes):
        counts[row] = np.histogram(scores[labels == label], bins=edges)[0]
    return ClassHistogram(edges=edges, classes=classes, counts=counts, log_scale=log_scale)


def _check_scores(scores: np.ndarray) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1 or len(scores) == 0:
        raise ValueError(f"Expected a non-empty 1-D array of scores, got shape {scores.shape}.")
    if not np.isfinite(scores).all():
        raise ValueError("The scores contain NaN or infinite values.")
    return scores


def _check_scores_and_positives(scores: np.ndarray, positives: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scores = _check_scores(scores)
    positives = np.asarray(positives)
    if positives.shape != scores.shape:
        raise ValueError(f"{len(scores)} scores but an anomaly mask of shape {positives.shape}.")
    if positives.dtype != bool:
        if not np.isin(positives, (0, 1)).all():
            raise ValueError("The anomaly mask must hold booleans (or only 0 and 1).")
        positives = positives.astype(bool)
    n_positives = int(positives.sum())
    if n_positives == 0:
        raise ValueError("No anomalies among the images: recall and the ROC curve need at least one.")
    if n_positives == len(positives):
        raise ValueError("Every image is an anomaly: false positive rates and the ROC curve need a normal one.")
    return scores, positives


def _check_threshold(threshold: float) -> float:
    threshold = float(threshold)
    if np.isnan(threshold):
        raise ValueError("The threshold is NaN.")
    return threshold


# Where an error falls among the test images' errors: within the usual 95 %, in the last 5 %, beyond nearly all.
TYPICAL_PERCENTILE = 95.0
UNKNOWN_PERCENTILE = 99.9


def typicality(score: float, reference_scores: np.ndarray) -> str:
    """"typical", "unusual" or "unknown": how a new image's reconstruction error compares with the test images'."""
    reference_scores = _check_scores(reference_scores)
    if not np.isfinite(score):
        raise ValueError(f"The score must be a finite number, got {score}.")
    typical, unknown = np.percentile(reference_scores, [TYPICAL_PERCENTILE, UNKNOWN_PERCENTILE])
    return "typical" if score <= typical else "unusual" if score <= unknown else "unknown"
