"""Strings shared by the app's frame: navigation, sidebar, model metrics."""

STRINGS = {
    "app.title": {"en": "Autoencoder Lab", "ko": "오토인코더 실험실"},
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
    "model.params": {"en": "Parameters", "ko": "파라미터 수"},
    "model.shipped": {"en": "shipped", "ko": "기본 제공"},
    "model.trained": {"en": "trained here", "ko": "직접 학습"},
    "arch.dense": {"en": "Dense (lecture)", "ko": "Dense (강의 모델)"},
    "arch.conv": {"en": "Convolutional", "ko": "합성곱(Conv)"},
    "data.missing": {
        "en": "Fashion-MNIST could not be loaded:",
        "ko": "Fashion-MNIST 데이터를 불러올 수 없습니다:",
    },
    "model.load_failed": {"en": "The model could not be loaded:", "ko": "모델을 불러올 수 없습니다:"},
    "latent.encoding": {"en": "Encoding the test images…", "ko": "테스트 이미지를 인코딩하는 중…"},
}
