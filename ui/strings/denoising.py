"""Strings of the Denoising page."""

STRINGS = {
    "nav.denoising": {"en": "Denoising", "ko": "노이즈 제거"},
    "denoise.title": {"en": "Denoising autoencoders", "ko": "노이즈 제거 오토인코더"},
    "denoise.intro": {
        "en": "A denoising autoencoder is trained on noisy images with the clean ones as targets. Here the same test "
              "images get Gaussian noise, both models are fed the noisy images, and each reconstruction is scored "
              "against the clean original.",
        "ko": "노이즈 제거 오토인코더는 노이즈를 섞은 이미지를 입력으로, 깨끗한 원본을 정답으로 삼아 학습합니다. 여기서는 같은 "
              "테스트 이미지에 가우시안 노이즈를 더해 두 모델에 똑같이 넣고, 각 재구성 결과를 깨끗한 원본과 비교해 오차를 잽니다.",
    },
    "denoise.none": {
        "en": "No denoising model is stored yet. Train one on the Models page with a noise std above 0 "
              "(e.g. 0.3), or run `make models`.",
        "ko": "아직 저장된 노이즈 제거 모델이 없습니다. '모델 및 학습' 페이지에서 노이즈 표준편차를 0보다 크게(예: 0.3) 하여 "
              "학습하거나 `make models`를 실행하세요.",
    },
    "denoise.plain": {"en": "Plain model", "ko": "일반 모델"},
    "denoise.denoiser": {"en": "Denoising model", "ko": "노이즈 제거 모델"},
    "denoise.denoiser_help": {
        "en": "The models trained with noise on their inputs; σ is the noise std they were trained with.",
        "ko": "입력에 노이즈를 섞어 학습한 모델들입니다. σ는 학습할 때 쓴 노이즈 표준편차입니다.",
    },
    "denoise.noise": {"en": "Noise std on the inputs", "ko": "입력에 더할 노이즈 표준편차"},
    "denoise.noise_help": {
        "en": "Gaussian noise of this standard deviation is added to every pixel (pixels run from 0 to 1), then clipped "
              "to [0, 1]. Each image always gets the same noise pattern, as on the Reconstructions page.",
        "ko": "모든 픽셀(0에서 1 사이 값)에 이 표준편차의 가우시안 노이즈를 더한 뒤 [0, 1]로 자릅니다. "
              "재구성 결과 페이지와 마찬가지로 이미지마다 항상 같은 노이즈 무늬가 들어갑니다.",
    },
    "denoise.other_images": {"en": "Other images", "ko": "다른 이미지"},
    "denoise.computing": {"en": "Measuring both models at every noise level…", "ko": "노이즈 수준마다 두 모델의 오차를 재는 중…"},
    "denoise.metric": {"en": "{name}: MSE vs clean", "ko": "{name}: 원본 대비 MSE"},
    "denoise.metric_help": {
        "en": "Mean squared error of the model's reconstructions of the noisy images against the clean originals, over "
              "the first {count} test images.",
        "ko": "노이즈 섞인 이미지를 넣었을 때의 재구성 결과와 깨끗한 원본 사이의 평균 제곱 오차입니다 "
              "(테스트 이미지 앞쪽 {count}장 기준).",
    },
    "denoise.ratio": {"en": "Denoising / plain", "ko": "노이즈 제거 / 일반"},
    "denoise.ratio_help": {
        "en": "The denoising model's error as a share of the plain model's: below 100% means it removes noise better.",
        "ko": "노이즈 제거 모델의 오차를 일반 모델의 오차에 대한 비율로 나타낸 값입니다. 100%보다 작으면 노이즈를 더 잘 "
              "걷어낸다는 뜻입니다.",
    },
    "denoise.row.clean": {"en": "Clean original", "ko": "깨끗한 원본"},
    "denoise.row.noisy": {"en": "Noisy input (std {noise})", "ko": "노이즈 입력 (표준편차 {noise})"},
    "denoise.row.plain": {"en": "Plain: {name}", "ko": "일반: {name}"},
    "denoise.row.denoiser": {"en": "Denoising: {name}", "ko": "노이즈 제거: {name}"},
    "denoise.rows_note": {
        "en": "Under each reconstruction: its MSE against the clean original above it.",
        "ko": "재구성 이미지 아래 숫자는 맨 위 깨끗한 원본과 비교한 MSE입니다.",
    },
    "denoise.curve_header": {"en": "Error at every noise level", "ko": "노이즈 수준별 오차"},
    "denoise.curve_x": {"en": "Noise std on the inputs", "ko": "입력 노이즈 표준편차"},
    "denoise.curve_y": {"en": "MSE vs clean images", "ko": "원본 대비 MSE"},
    "denoise.curve_current": {"en": "chosen", "ko": "선택한 값"},
    "denoise.curve_note": {
        "en": "Each point: the first {count} test images with that much noise, fed to the model, scored against the "
              "clean images. Without noise the plain model is usually better; with more noise the denoising one wins.",
        "ko": "각 점은 테스트 이미지 앞쪽 {count}장에 그만큼의 노이즈를 더해 모델에 넣고, 깨끗한 원본과 비교한 오차입니다. "
              "노이즈가 없으면 대개 일반 모델이 낫고, 노이즈가 커질수록 노이즈 제거 모델이 앞섭니다.",
    },
}
