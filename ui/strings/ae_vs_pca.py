"""Strings of the AE vs PCA page."""

STRINGS = {
    "nav.ae_vs_pca": {"en": "AE vs PCA", "ko": "오토인코더 vs PCA"},
    "pca.title": {"en": "Why not just PCA?", "ko": "그냥 PCA를 쓰면 안 될까?"},
    "pca.intro": {
        "en": "PCA also compresses an image into k numbers: its coordinates along the k directions in which the training "
              "images vary most, rebuilt as a weighted sum of those directions. It is linear and needs no training "
              "loop. How much better does an autoencoder with a latent space of the same size do?",
        "ko": "PCA도 이미지를 k개의 숫자로 압축합니다. 학습 이미지들이 가장 크게 달라지는 k개 방향의 좌표로 나타내고, 그 "
              "방향들의 가중합으로 다시 만듭니다. 선형이고 학습 반복도 필요 없습니다. 같은 크기의 잠재 공간을 가진 "
              "오토인코더는 얼마나 더 잘할까요?",
    },
    "pca.fitting": {"en": "Fitting PCA on the 60,000 training images…", "ko": "학습 이미지 60,000장으로 PCA를 계산하는 중…"},
    "pca.curve": {"en": "PCA on the pixels", "ko": "픽셀 PCA"},
    "pca.x": {"en": "Dimensions k (PCA components, or the model's latent dim)",
              "ko": "차원 수 k (PCA 성분 수, 또는 모델의 잠재 차원)"},
    "pca.y": {"en": "Test MSE (lower is better)", "ko": "테스트 MSE (낮을수록 좋음)"},
    "pca.kind.plain": {"en": "autoencoder", "ko": "오토인코더"},
    "pca.kind.variational": {"en": "variational (VAE)", "ko": "변분 오토인코더 (VAE)"},
    "pca.kind.denoising": {"en": "denoising (trained on noisy inputs)", "ko": "노이즈 제거 (노이즈 입력으로 학습)"},
    "pca.kind.leave_one_out": {"en": "one class left out", "ko": "한 클래스를 빼고 학습"},
    "pca.chart_note": {
        "en": "Each model sits at its latent dim, at its val MSE on the test images. A model below the PCA line "
              "rebuilds better than PCA with as many numbers. Not every point is a fair race: a VAE and a denoising "
              "model are trained for more than rebuilding, and a model trained without one class is measured without "
              "that class too.",
        "ko": "각 모델은 잠재 차원 위치에, 테스트 이미지의 검증 MSE 높이로 표시됩니다. PCA 선보다 아래에 있는 모델은 같은 "
              "개수의 숫자로 PCA보다 더 잘 복원합니다. 다만 모든 점이 공정한 비교는 아닙니다. VAE와 노이즈 제거 모델은 "
              "복원 말고도 다른 목표로 학습했고, 한 클래스를 빼고 학습한 모델은 그 클래스를 빼고 측정했습니다.",
    },
    "pca.side_header": {"en": "The same images, both ways", "ko": "같은 이미지를 두 방법으로"},
    "pca.k": {"en": "PCA components k", "ko": "PCA 성분 수 k"},
    "pca.k_help": {
        "en": "Starts at the active model's latent dim: both then keep as many numbers per image.",
        "ko": "처음에는 현재 모델의 잠재 차원과 같게 맞춰져 있어, 두 방법이 이미지마다 같은 개수의 숫자를 씁니다.",
    },
    "pca.computing": {"en": "Reconstructing the test images…", "ko": "테스트 이미지를 재구성하는 중…"},
    "pca.metric.pca": {"en": "PCA with k = {k}: test MSE", "ko": "PCA (k = {k}): 테스트 MSE"},
    "pca.metric.model": {"en": "{name} ({dims} dims): test MSE", "ko": "{name} ({dims}차원): 테스트 MSE"},
    "pca.metric.ratio": {"en": "Model / PCA", "ko": "모델 / PCA"},
    "pca.metric.ratio_help": {
        "en": "The model's error as a share of PCA's: below 100% means the model rebuilds better. Both are measured on "
              "all 10,000 test images.",
        "ko": "모델의 오차를 PCA 오차에 대한 비율로 나타낸 값입니다. 100%보다 작으면 모델이 더 잘 복원합니다. 둘 다 "
              "테스트 이미지 10,000장 전체로 측정했습니다.",
    },
    "pca.row.original": {"en": "Original", "ko": "원본"},
    "pca.row.pca": {"en": "PCA, k = {k}", "ko": "PCA, k = {k}"},
    "pca.row.model": {"en": "Model: {name}", "ko": "모델: {name}"},
    "pca.rows_note": {
        "en": "Under each reconstruction: its MSE against the original. The active model is chosen in the sidebar.",
        "ko": "재구성 이미지 아래 숫자는 원본과 비교한 MSE입니다. 사용할 모델은 사이드바에서 고릅니다.",
    },
}
