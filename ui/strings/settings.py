"""The training settings' labels and help (ae_core/config.py defines each setting once: `setting.<name>`), the
form's sections and its problems with a value."""

STRINGS = {
    "setting.batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "setting.learning_rate": {"en": "Learning rate", "ko": "학습률"},
    "setting.seed": {"en": "Random seed", "ko": "랜덤 시드"},
    "setting.schedule": {"en": "Decay the learning rate to zero (cosine)", "ko": "학습률을 0까지 줄이기 (코사인)"},
    "setting.schedule.help": {
        "en": "Often ends lower when you also raise the learning rate: conv-64 used 2e-3 with this over 30 epochs.",
        "ko": "학습률을 조금 높여 함께 쓰면 더 낮은 오차로 끝나는 경우가 많습니다. conv-64는 2e-3과 이 설정으로 30 에폭 "
              "학습했습니다.",
    },
    "setting.learning_rate.help": {
        "en": "Between 0.00001 and 0.1; 1e-3 is written the same as 0.001.",
        "ko": "0.00001에서 0.1 사이의 값입니다. 0.001은 1e-3으로 써도 됩니다.",
    },
    "models.group.variant": {"en": "Variants for the next lessons", "ko": "다음 수업을 위한 변형"},
    "models.group.variant.help": {
        "en": "Leave them as they are for the lecture's autoencoder.",
        "ko": "강의의 오토인코더를 학습하려면 그대로 두세요.",
    },
    "setting.variational": {"en": "Variational (VAE)", "ko": "변분 오토인코더 (VAE)"},
    "setting.variational.help": {
        "en": "The encoder gives a mean and a spread for each latent dimension; training decodes a random sample from them "
              "and pulls the codes towards N(0, 1). A 2-D VAE draws the whole latent space on the Latent grid page.",
        "ko": "인코더가 잠재 차원마다 평균과 퍼짐(분산)을 내놓고, 학습 때는 그 분포에서 뽑은 표본을 디코딩하며 잠재 벡터를 "
              "N(0, 1) 쪽으로 끌어당깁니다. 잠재 차원이 2인 VAE는 '잠재 공간 격자' 페이지에서 잠재 공간 전체를 볼 수 "
              "있습니다.",
    },
    "setting.beta": {"en": "β (weight of the KL term)", "ko": "β (KL 항의 가중치)"},
    "setting.beta.help": {
        "en": "Only for a VAE. 1 is the textbook VAE; larger values make a smoother latent space and blurrier images. Between "
              "0 and 100.",
        "ko": "VAE에만 쓰입니다. 1이 교과서의 VAE이고, 값이 클수록 잠재 공간은 매끄러워지지만 이미지는 흐려집니다. 0에서 100 "
              "사이의 값입니다.",
    },
    "setting.noise_std": {"en": "Input noise std (denoising)", "ko": "입력 노이즈 표준편차 (노이즈 제거)"},
    "setting.noise_std.help": {
        "en": "Above 0: a denoising autoencoder. Gaussian noise of this std is added to every training input, and the clean "
              "image is the target. 0.3 is a good start.",
        "ko": "0보다 크면 노이즈 제거 오토인코더가 됩니다. 학습 입력마다 이 표준편차의 가우시안 노이즈를 더하고, 깨끗한 "
              "이미지를 정답으로 씁니다. 0.3부터 시작해 보세요.",
    },
    "setting.exclude_class": {"en": "Leave out class", "ko": "학습에서 뺄 클래스"},
    "setting.exclude_class.none": {"en": "none (all ten classes)", "ko": "없음 (10개 클래스 모두)"},
    "setting.exclude_class.help": {
        "en": "The model never sees this class: the Anomalies page then asks whether its reconstruction error finds it.",
        "ko": "모델이 이 클래스를 한 번도 보지 못하게 합니다. '이상 탐지' 페이지에서 재구성 오차로 이 클래스를 찾아낼 수 "
              "있는지 확인합니다.",
    },
    "setting.arch": {"en": "Architecture", "ko": "구조"},
    "setting.latent_dim": {"en": "Latent dim", "ko": "잠재 차원"},
    "setting.epochs": {"en": "Epochs", "ko": "에폭"},
    "setting.train_fraction": {"en": "Share of the training images", "ko": "학습에 쓸 이미지 비율"},
    "setting.train_fraction.help": {
        "en": "1 uses all 60,000 training images (the lecture); 0.25 trains four times faster on a quarter of them, drawn at "
              "random from the seed. The test set stays whole.",
        "ko": "1이면 학습 이미지 60,000장을 모두 씁니다 (강의 설정). 0.25이면 시드로 무작위로 고른 4분의 1만 써서 네 배 빨리 "
              "학습합니다. 테스트 이미지는 그대로 모두 씁니다.",
    },
    "models.group.recipe": {"en": "The recipe", "ko": "학습 설정"},
    "models.group.recipe.help": {"en": "The lecture's recipe is the default.", "ko": "기본값은 강의의 설정입니다."},
    "models.error.range": {
        "en": "{field} must be between {low} and {high} (got {value}).",
        "ko": "{field}: {low}에서 {high} 사이의 값이어야 합니다 (입력값: {value}).",
    },
    "models.error.whole_number": {
        "en": "{field} must be a whole number (got {value}).",
        "ko": "{field}: 정수여야 합니다 (입력값: {value}).",
    },
    "models.error.choice": {
        "en": "{field}: “{value}” is not one of the choices.",
        "ko": "{field}: “{value}”은(는) 고를 수 있는 값이 아닙니다.",
    },
}
