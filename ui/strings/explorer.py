"""Strings of the Latent explorer page."""

STRINGS = {
    "explorer.title": {"en": "Latent explorer", "ko": "잠재 공간 탐색"},
    "explorer.intro": {
        "en": "Pick a test image, then move its latent vector with the sliders: the decoder turns every latent "
              "vector into an image.",
        "ko": "테스트 이미지를 고른 뒤 슬라이더로 잠재 벡터를 움직여 보세요. 디코더가 잠재 벡터를 이미지로 바꿔 "
              "보여 줍니다.",
    },
    "explorer.index": {"en": "Test image number", "ko": "테스트 이미지 번호"},
    "explorer.class": {"en": "Class to pick from", "ko": "고를 클래스"},
    "explorer.random_of_class": {"en": "Random of this class", "ko": "이 클래스에서 무작위로"},
    "explorer.random_image": {"en": "Random image", "ko": "무작위 이미지"},
    "explorer.original": {"en": "Original #{index} ({label})", "ko": "원본 #{index} ({label})"},
    "explorer.custom_start": {
        "en": "Start: a point chosen elsewhere (decoded)",
        "ko": "시작점: 다른 곳에서 고른 잠재 벡터 (디코딩)",
    },
    "explorer.decoded": {"en": "Decoded from the current latent vector", "ko": "현재 잠재 벡터를 디코더로 복원"},
    "explorer.reset": {"en": "Reset", "ko": "처음으로"},
    "explorer.reset_help": {
        "en": "Back to the starting image's latent vector.",
        "ko": "시작 이미지의 잠재 벡터로 되돌립니다.",
    },
    "explorer.random_sample": {"en": "Random sample", "ko": "무작위 샘플"},
    "explorer.random_sample_help": {
        "en": "A latent vector drawn from a normal distribution fitted to the test images' latent vectors.",
        "ko": "테스트 이미지들의 잠재 벡터에 맞춘 정규분포에서 뽑은 잠재 벡터입니다.",
    },
    "explorer.random_sample_help_prior": {
        "en": "A latent vector drawn from this VAE's prior N(0, I): the distribution its decoder learnt to turn into "
              "garments.",
        "ko": "이 VAE의 사전 분포 N(0, I)에서 뽑은 잠재 벡터입니다. 디코더는 이 분포의 점을 옷으로 바꾸도록 학습했습니다.",
    },
    "explorer.preset": {"en": "Class mean", "ko": "클래스 평균"},
    "explorer.apply_preset": {"en": "Apply", "ko": "적용"},
    "explorer.preset_help": {
        "en": "The average latent vector of all test images of this class.",
        "ko": "이 클래스에 속한 모든 테스트 이미지의 잠재 벡터 평균입니다.",
    },
    "explorer.pc_help": {
        "en": "Directions along which the test images' latent vectors vary most (PCA). One slider moves many "
              "latent dimensions at once.",
        "ko": "테스트 이미지의 잠재 벡터가 가장 많이 변하는 방향(PCA)입니다. 슬라이더 하나가 여러 잠재 차원을 "
              "함께 움직입니다.",
    },
    "explorer.pc_label": {"en": "PC {number} · {share}% of variance", "ko": "PC {number} · 분산의 {share}%"},
    "explorer.dims_choose": {"en": "Dimensions to show", "ko": "표시할 차원"},
    "explorer.dims_placeholder": {"en": "Choose dimensions", "ko": "차원을 고르세요"},
    "explorer.dims_cap": {
        "en": "At most {count} dimensions at a time: remove one to add another.",
        "ko": "한 번에 {count}개 차원까지 볼 수 있습니다. 다른 차원을 보려면 하나를 빼세요.",
    },
    "explorer.dims_help": {
        "en": "Listed from the most to the least varied over the test images. Slider ranges span the 1st to 99th "
              "percentile of the data, widened a little.",
        "ko": "테스트 이미지에서 값이 많이 변하는 차원부터 나열했습니다. 슬라이더 범위는 데이터의 1~99 백분위수를 "
              "조금 넓힌 것입니다.",
    },
    "explorer.dim_label": {"en": "Dimension {number}", "ko": "{number}번 차원"},
    "explorer.dims_relu": {
        "en": "This encoder ends in ReLU, so its latent values are never below 0.",
        "ko": "이 인코더는 ReLU로 끝나므로 잠재 값이 0보다 작아지지 않습니다.",
    },
    "explorer.interp_header": {"en": "Interpolation", "ko": "잠재 공간 보간"},
    "explorer.interp_intro": {
        "en": "Images decoded from evenly spaced points on the straight line between two images' latent vectors.",
        "ko": "두 이미지의 잠재 벡터를 잇는 직선 위에서 같은 간격으로 고른 점들을 디코더로 복원한 이미지입니다.",
    },
    "explorer.interp_start": {"en": "From image number", "ko": "시작 이미지 번호"},
    "explorer.interp_end": {"en": "To image number", "ko": "끝 이미지 번호"},
    "explorer.interp_steps": {"en": "Steps", "ko": "단계 수"},
    "explorer.interp_original": {"en": "Original", "ko": "원본"},
    "explorer.tab_sliders": {"en": "Sliders", "ko": "슬라이더"},
    "explorer.tab_live": {"en": "Live drag (in your browser)", "ko": "실시간 드래그 (브라우저)"},
    "explorer.live_intro": {
        "en": "The decoder's weights run in your browser, so the garment changes on every frame while you drag. "
              "The sliders start from the current latent vector (whatever the other tab did), and releasing one "
              "makes its position the current latent vector (the map's star follows).",
        "ko": "디코더의 가중치가 브라우저에서 실행되어, 드래그하는 동안 매 프레임마다 이미지가 바뀝니다. "
              "슬라이더는 현재 잠재 벡터에서 시작하고 (다른 탭에서 바꾼 것도 그대로), 슬라이더를 놓으면 그 위치가 "
              "현재 잠재 벡터가 됩니다 (지도의 별 표시도 따라 움직입니다).",
    },
    "explorer.interp_download_png": {"en": "Download the strip (PNG)", "ko": "보간 이미지 내려받기 (PNG)"},
    "explorer.interp_download_gif": {"en": "Download it as an animation (GIF)", "ko": "애니메이션으로 내려받기 (GIF)"},
}
