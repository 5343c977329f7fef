"""Strings of the Anomalies page."""

STRINGS = {
    "nav.anomalies": {"en": "Anomalies", "ko": "이상 탐지"},
    "anomaly.title": {"en": "Finding anomalies by reconstruction error", "ko": "재구성 오차로 이상 찾기"},
    "anomaly.intro": {
        "en": "An autoencoder rebuilds well what looks like its training images. An image it rebuilds badly is unusual "
              "for it: its reconstruction error (MSE) can serve as an anomaly score. Flag the images above a threshold "
              "and see how many of them belong to the class we call the anomaly.",
        "ko": "오토인코더는 학습 데이터와 비슷한 이미지를 잘 복원합니다. 잘 복원하지 못하는 이미지는 그 모델에게 낯선 "
              "이미지이므로, 재구성 오차(MSE)를 이상 점수로 쓸 수 있습니다. 기준값보다 오차가 큰 이미지를 골라내고, "
              "그중 몇 장이 '이상'으로 정한 클래스인지 확인해 보세요.",
    },
    "anomaly.unseen": {
        "en": "**{name}** was trained without any {label} images: the unseen-class experiment. Can its reconstruction "
              "error tell the {label} images apart?",
        "ko": "**{name}** 모델은 {label} 이미지를 하나도 보지 않고 학습했습니다 (처음 보는 클래스 실험). "
              "재구성 오차만으로 {label} 이미지를 가려낼 수 있을까요?",
    },
    "anomaly.pick_class": {"en": "Class to treat as the anomaly", "ko": "이상으로 볼 클래스"},
    "anomaly.seen": {
        "en": "**{name}** saw {label} images in training, so they are not new to it: expect a weak result. For the real "
              "experiment, use a model trained without that class (the Models page's “leave out class”).",
        "ko": "**{name}** 모델은 학습할 때 {label} 이미지도 보았기 때문에 이 클래스가 낯설지 않습니다. 결과가 약하게 "
              "나올 것입니다. 제대로 실험하려면 그 클래스를 빼고 학습한 모델을 쓰세요 ('모델 및 학습' 페이지의 "
              "'학습에서 뺄 클래스').",
    },
    "anomaly.use_unseen": {"en": "Use {name} (never saw {label})", "ko": "{name} 사용하기 ({label} 빼고 학습한 모델)"},
    "anomaly.computing": {"en": "Reconstructing the 10,000 test images…", "ko": "테스트 이미지 10,000장을 재구성하는 중…"},
    "anomaly.rate": {"en": "Flag the images with the highest error: top", "ko": "오차가 가장 큰 이미지 표시: 상위"},
    "anomaly.rate_help": {
        "en": "The threshold is set so that this share of the test images lies above it. Each class is 10% of the "
              "test set.",
        "ko": "테스트 이미지 중 이 비율만큼이 기준값을 넘도록 기준값을 정합니다. 각 클래스는 테스트 세트의 10%입니다.",
    },
    "anomaly.log_x": {"en": "Log scale", "ko": "로그 눈금"},
    "anomaly.threshold": {"en": "Threshold (MSE)", "ko": "기준값 (MSE)"},
    "anomaly.flagged": {"en": "Flagged images", "ko": "표시된 이미지"},
    "anomaly.precision": {"en": "Precision", "ko": "정밀도"},
    "anomaly.precision_help": {
        "en": "Of the flagged images, the share that really are {label}.",
        "ko": "표시된 이미지 가운데 실제로 {label}인 비율입니다.",
    },
    "anomaly.recall": {"en": "Recall", "ko": "재현율"},
    "anomaly.recall_help": {
        "en": "Of all the {label} images, the share that is flagged.",
        "ko": "전체 {label} 이미지 가운데 표시된 비율입니다.",
    },
    "anomaly.auc": {"en": "ROC AUC", "ko": "ROC AUC"},
    "anomaly.auc_help": {
        "en": "The chance that an anomaly has a higher error than a normal image: 0.5 is guessing, 1.0 perfect. It does "
              "not depend on the threshold.",
        "ko": "이상 이미지의 오차가 정상 이미지보다 클 확률입니다. 0.5는 찍기와 같고 1.0은 완벽합니다. 기준값과는 "
              "상관없습니다.",
    },
    "anomaly.hist_x": {"en": "Reconstruction error (MSE) of each test image", "ko": "테스트 이미지별 재구성 오차 (MSE)"},
    "anomaly.hist_y": {"en": "Images", "ko": "이미지 수"},
    "anomaly.roc_curve": {"en": "ROC curve (AUC {auc:.3f})", "ko": "ROC 곡선 (AUC {auc:.3f})"},
    "anomaly.roc_chance": {"en": "guessing", "ko": "무작위 추측"},
    "anomaly.roc_point": {"en": "this threshold", "ko": "현재 기준값"},
    "anomaly.roc_x": {"en": "False positive rate (normal images flagged)", "ko": "거짓 양성 비율 (잘못 표시된 정상 이미지)"},
    "anomaly.roc_y": {"en": "Recall ({label} images flagged)", "ko": "재현율 (표시된 {label} 이미지)"},
    "anomaly.flagged_header": {
        "en": "The {count} highest errors of the {total} flagged images",
        "ko": "표시된 이미지 {total}장 중 오차가 가장 큰 {count}장",
    },
    "anomaly.flagged_note": {
        "en": "★ marks the {label} images; the number is each image's reconstruction error.",
        "ko": "★ 표시는 {label} 이미지이고, 숫자는 각 이미지의 재구성 오차입니다.",
    },
}
