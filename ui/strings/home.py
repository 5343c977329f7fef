"""Strings of the home page: what an autoencoder is, in the lecture's words, and where to go next."""

STRINGS = {
    "nav.home": {"en": "What is an autoencoder?", "ko": "오토인코더란?"},
    "home.title": {"en": "Autoencoder Lab", "ko": "오토인코더 실험실"},
    "home.intro": {
        "en": "An autoencoder learns to rebuild its input. The **encoder** maps an image into a small "
              "**latent space**; the **decoder** maps that latent vector back to an image of the original size. "
              "It is trained only by comparing its output with its input (here: mean squared error).",
        "ko": "오토인코더는 입력을 다시 복원하도록 학습하는 네트워크입니다. **인코더**는 이미지를 저차원 **잠재 공간**의 "
              "잠재 벡터로 압축하고, **디코더**는 이 잠재 벡터를 원본과 같은 크기의 이미지로 복원합니다. "
              "출력과 입력을 비교하는 것(여기서는 평균 제곱 오차, MSE)만으로 학습합니다.",
    },
    "home.example": {"en": "One test image through the active model", "ko": "테스트 이미지 한 장이 현재 모델을 지나는 과정"},
    "home.original": {"en": "Original (784 pixels)", "ko": "원본 (784 픽셀)"},
    "home.code": {"en": "Latent vector ({dims} numbers)", "ko": "잠재 벡터 ({dims}개의 값)"},
    "home.reconstruction": {"en": "Reconstruction · MSE {mse:.4f}", "ko": "재구성 · MSE {mse:.4f}"},
    "home.another": {"en": "Another image", "ko": "다른 이미지"},
    "home.code_axis_x": {"en": "latent dimension", "ko": "잠재 차원"},
    "home.code_axis_y": {"en": "value", "ko": "값"},
    "home.next": {"en": "Where to go next", "ko": "다음 단계"},
    "home.go.reconstructions": {"en": "Compare originals with reconstructions, find the worst ones, add noise.",
                                "ko": "원본과 재구성 이미지를 비교하고, 오차가 큰 이미지를 찾고, 노이즈를 더해 봅니다."},
    "home.go.explorer": {"en": "Move latent coordinates and watch the decoded garment change.",
                         "ko": "잠재 좌표를 움직이며 디코딩된 옷 이미지가 바뀌는 것을 봅니다."},
    "home.go.latent_map": {"en": "See all 10,000 test images in the latent space, mapped with PCA.",
                           "ko": "테스트 이미지 10,000장을 PCA로 잠재 공간 지도에 그려 봅니다."},
    "home.go.latent_grid": {"en": "Decode a whole grid of latent codes at once, beside the map of the same plane.",
                            "ko": "잠재 공간의 격자 전체를 한꺼번에 디코딩하고, 같은 평면의 지도와 나란히 봅니다."},
    "home.go.denoising": {"en": "Feed noisy images to a plain and a denoising autoencoder, side by side.",
                          "ko": "노이즈 섞인 이미지를 일반 오토인코더와 노이즈 제거 오토인코더에 나란히 넣어 봅니다."},
    "home.go.anomalies": {"en": "Use the reconstruction error to find images the model has never seen the like of.",
                          "ko": "재구성 오차로 모델이 처음 보는 종류의 이미지를 찾아봅니다."},
    "home.go.ae_vs_pca": {"en": "Does an autoencoder compress better than plain PCA? Every model against PCA's curve.",
                          "ko": "오토인코더가 단순한 PCA보다 더 잘 압축할까요? 모든 모델을 PCA 곡선과 비교합니다."},
    "home.go.garment": {"en": "Draw or upload your own garment and see what the model makes of it.",
                        "ko": "직접 그리거나 사진을 올린 옷을 모델이 어떻게 재구성하는지 봅니다."},
    "home.go.models": {"en": "Choose a model or train your own (the lecture's recipe takes seconds).",
                       "ko": "모델을 고르거나 직접 학습해 봅니다 (강의 설정으로 몇 초면 끝납니다)."},
}
