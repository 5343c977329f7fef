"""Strings of the Reconstructions page (views/reconstructions.py)."""

STRINGS = {
    "recon.title": {"en": "Reconstructions", "ko": "재구성 결과"},
    "recon.intro": {
        "en": "Test images the model never trained on (originals) and what the decoder rebuilds from their "
              "{latent_dim}-number latent vectors (reconstructions). The number under each reconstruction is its "
              "mean squared error (MSE).",
        "ko": "학습에 쓰이지 않은 테스트 이미지(원본)와, 인코더가 만든 {latent_dim}차원 잠재 벡터로부터 디코더가 "
              "되살린 이미지(재구성)를 비교합니다. 각 재구성 아래의 숫자는 그 이미지의 평균 제곱 오차(MSE)입니다.",
    },
    "recon.class": {"en": "Class", "ko": "클래스"},
    "recon.all_classes": {"en": "All classes", "ko": "전체 클래스"},
    "recon.order": {"en": "Order", "ko": "정렬"},
    "recon.order.index": {"en": "Test-set order", "ko": "테스트 세트 순서"},
    "recon.order.shuffled": {"en": "Shuffled", "ko": "무작위"},
    "recon.order.worst": {"en": "Worst first", "ko": "오차 큰 순"},
    "recon.order_help": {
        "en": "Worst first: the highest per-image MSE first, over every test image of the chosen class.",
        "ko": "오차 큰 순: 선택한 클래스의 모든 테스트 이미지 중 이미지별 MSE가 가장 큰 것부터 보여 줍니다.",
    },
    "recon.count": {"en": "Images", "ko": "이미지 수"},
    "recon.noise": {"en": "Input noise (std)", "ko": "노이즈 (표준편차)"},
    "recon.noise_help": {
        "en": "Adds Gaussian noise with this standard deviation to the inputs, clipped to [0, 1]. The noise is "
              "seeded, so an image always gets the same noise. MSE is still measured against the clean original.",
        "ko": "입력 이미지에 이 표준편차의 가우시안 노이즈를 더하고 [0, 1] 범위로 자릅니다. 시드가 고정되어 "
              "같은 이미지에는 항상 같은 노이즈가 더해집니다. MSE는 노이즈 없는 원본과 비교해 계산합니다.",
    },
    "recon.error_kind": {"en": "Error map", "ko": "오차 지도"},
    "recon.error.absolute": {"en": "|original − reconstruction|", "ko": "|원본 − 재구성|"},
    "recon.error.squared": {"en": "(original − reconstruction)²", "ko": "(원본 − 재구성)²"},
    "recon.previous": {"en": "Previous", "ko": "이전"},
    "recon.next": {"en": "Next", "ko": "다음"},
    "recon.shuffle": {"en": "Shuffle", "ko": "섞기"},
    "recon.position": {
        "en": "Images {first}–{last} of {total} · {scope} · {order}",
        "ko": "{total}장 중 {first}–{last}번째 · {scope} · {order}",
    },
    "recon.test_mse": {"en": "Test MSE", "ko": "테스트 MSE"},
    "recon.test_mse_help": {
        "en": "This model's mean squared error over all 10,000 test images, without noise.",
        "ko": "이 모델이 노이즈 없이 테스트 이미지 10,000장 전체에서 낸 평균 제곱 오차입니다.",
    },
    "recon.lecture_mse": {"en": "Lecture's MSE", "ko": "강의 결과 MSE"},
    "recon.lecture_mse_help": {
        "en": "The validation MSE the lecture's Dense 784→64→784 model reaches after 10 epochs.",
        "ko": "강의의 Dense 784→64→784 모델이 10 에폭 학습 후 도달한 검증 MSE입니다.",
    },
    "recon.shown_mse_help": {
        "en": "Mean of the per-image MSE of the reconstructions below, against the clean originals.",
        "ko": "아래 재구성 이미지들의 이미지별 MSE 평균입니다 (노이즈 없는 원본과 비교).",
    },
    "recon.shown_mse": {"en": "MSE of the images shown", "ko": "표시된 이미지 MSE"},
    "recon.row.original": {"en": "Original", "ko": "원본"},
    "recon.row.noisy": {"en": "Noisy input", "ko": "노이즈 입력"},
    "recon.row.reconstruction": {"en": "Reconstruction", "ko": "재구성"},
    "recon.row.error": {"en": "Error", "ko": "오차"},
    "recon.row.mse_note": {"en": "MSE per image", "ko": "이미지별 MSE"},
    "recon.legend": {"en": "Each column, top to bottom: {parts}.", "ko": "각 열은 위에서부터: {parts}."},
    "recon.scale": {
        "en": "Error colour scale, shared by every map shown: 0 (dark) to {scale} and above (bright).",
        "ko": "오차 지도의 색 척도 (표시된 모든 지도에 공통): 0 (어두움) ~ {scale} 이상 (밝음).",
    },
    "recon.computing": {
        "en": "Measuring every test image with this model…",
        "ko": "이 모델로 테스트 이미지 전체의 오차를 계산하는 중…",
    },
    "recon.download": {"en": "Download these originals and reconstructions (PNG)",
                       "ko": "이 원본과 재구성 이미지 내려받기 (PNG)"},
}
