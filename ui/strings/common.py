"""Strings shared by the app's frame: navigation, sidebar, model metrics, class names."""

from ae_core.data import CLASS_NAMES

KOREAN_CLASS_NAMES = ("티셔츠/탑", "바지", "풀오버", "드레스", "코트", "샌들", "셔츠", "스니커즈", "가방", "앵클부츠")

STRINGS = {
    "nav.models": {"en": "Models & training", "ko": "모델 및 학습"},
    "nav.reconstructions": {"en": "Reconstructions", "ko": "재구성 결과"},
    "nav.explorer": {"en": "Latent explorer", "ko": "잠재 공간 탐색"},
    "nav.latent_map": {"en": "Latent map (PCA)", "ko": "잠재 공간 지도 (PCA)"},
    "sidebar.language": {"en": "Language", "ko": "언어"},
    "sidebar.model": {"en": "Active model", "ko": "사용할 모델"},
    "sidebar.no_models": {
        "en": "No models found. Run `make models` or train one on the Models page.",
        "ko": "모델이 없습니다. `make models`를 실행하거나 '모델 및 학습' 페이지에서 학습하세요.",
    },
    "model.val_mse": {"en": "Val MSE", "ko": "검증 MSE"},
    "model.latent_dim": {"en": "Latent dim", "ko": "잠재 차원"},
    "model.arch": {"en": "Architecture", "ko": "구조"},
    "model.epochs": {"en": "Epochs", "ko": "에폭"},
    "model.shipped": {"en": "shipped", "ko": "기본 제공"},
    "model.trained": {"en": "trained here", "ko": "직접 학습"},
    "arch.dense": {"en": "Dense (lecture)", "ko": "Dense (강의 모델)"},
    "arch.conv": {"en": "Convolutional", "ko": "합성곱(Conv)"},
    "data.missing": {
        "en": "Fashion-MNIST could not be loaded on the server. Whoever runs it can install Debian's "
              "`dataset-fashion-mnist` package or set `AE_LAB_DATA_DIR` (see the README); the server's log says more.",
        "ko": "서버에서 Fashion-MNIST 데이터를 불러올 수 없습니다. 서버 관리자는 데비안 패키지 "
              "`dataset-fashion-mnist`를 설치하거나 `AE_LAB_DATA_DIR`를 설정하면 됩니다 (README 참고). "
              "자세한 내용은 서버 로그에 있습니다.",
    },
    "model.load_failed": {
        "en": "The model “{name}” could not be loaded: {reason}. Choose another model in the sidebar.",
        "ko": "“{name}” 모델을 불러올 수 없습니다: {reason}. 사이드바에서 다른 모델을 고르세요.",
    },
    # Fashion-MNIST's classes by index: the dataset's own English names, and Korean ones.
    **{f"class.{index}": {"en": english, "ko": korean}
       for index, (english, korean) in enumerate(zip(CLASS_NAMES, KOREAN_CLASS_NAMES, strict=True))},
    "latent.encoding": {"en": "Encoding the test images…", "ko": "테스트 이미지를 인코딩하는 중…"},
}
