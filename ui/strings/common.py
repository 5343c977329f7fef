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
    "arch.dense_vae": {"en": "Dense", "ko": "Dense"},
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
    "loading.decoder": {"en": "Preparing the decoder…", "ko": "디코더를 준비하는 중…"},
    "loading.data": {"en": "Loading the Fashion-MNIST images…", "ko": "Fashion-MNIST 이미지를 불러오는 중…"},
    "loading.model": {
        "en": "Loading TensorFlow and the model “{name}”… The first visit after the server starts takes about "
              "10 seconds.",
        "ko": "TensorFlow와 “{name}” 모델을 불러오는 중… 서버가 시작된 뒤 첫 방문에는 10초쯤 걸립니다.",
    },
    "app.unexpected_error": {
        "en": "Something went wrong on this page. Try again, or choose another image or model. The teacher can find "
              "what happened in the server's log under the reference {reference}.",
        "ko": "이 페이지에서 문제가 생겼습니다. 다시 시도하거나 다른 이미지나 모델을 골라 보세요. 선생님은 서버 "
              "로그에서 참조 번호 {reference}로 자세한 내용을 찾을 수 있습니다.",
    },
    "presenter.toggle": {"en": "Presenter mode", "ko": "발표 모드"},
    "presenter.help": {
        "en": "For a projector: larger text and pictures, the sidebar folded away. The link keeps it (present=1).",
        "ko": "프로젝터용 화면: 글자와 그림을 크게 하고 사이드바를 접습니다. 링크에도 유지됩니다 (present=1).",
    },
    "link.ignored": {
        "en": "Left out of this link: {parts}.",
        "ko": "링크에서 쓸 수 없어 뺀 부분: {parts}.",
    },
    "link.part.language": {"en": "an unknown language", "ko": "알 수 없는 언어"},
    "link.part.model": {"en": "an unknown model", "ko": "없는 모델"},
    "link.part.present": {"en": "the presenter setting", "ko": "발표 모드 값"},
    "link.part.image": {"en": "the image number", "ko": "이미지 번호"},
    "link.part.code": {"en": "the latent vector", "ko": "잠재 벡터"},
    "link.part.page": {"en": "an unknown page", "ko": "없는 페이지"},
    "link.part.job": {"en": "a training this server does not know", "ko": "이 서버에 없는 학습"},
    "link.copy": {"en": "Copy link", "ko": "링크 복사"},
    "link.copied": {"en": "Link copied", "ko": "링크를 복사했습니다"},
    "link.copy_failed": {"en": "Copy the link from the box below:", "ko": "아래 칸에서 링크를 복사하세요:"},
    "link.help": {
        "en": "A link to exactly this view: the page, model, language and, in the explorer, the image and latent "
              "vector.",
        "ko": "지금 화면 그대로 여는 링크입니다: 페이지, 모델, 언어, 그리고 탐색 페이지에서는 이미지와 잠재 벡터까지.",
    },
}
