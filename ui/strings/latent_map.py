"""Strings of the Latent map (PCA) page."""

STRINGS = {
    "map.title": {"en": "Latent map (PCA)", "ko": "잠재 공간 지도 (PCA)"},
    "map.intro": {
        "en": "Every test image's latent vector, projected on the principal axes (PCA) of all of them. Click a point "
              "to open that image in the latent explorer.",
        "ko": "모든 테스트 이미지의 잠재 벡터를 주성분 축(PCA)에 투영한 지도입니다. 점을 클릭하면 그 이미지를 "
              "잠재 공간 탐색 페이지에서 열 수 있습니다.",
    },
    "map.intro_raw": {
        "en": "Every test image's latent vector, drawn on the model's two latent dimensions. Click a point to open "
              "that image in the latent explorer.",
        "ko": "모든 테스트 이미지의 잠재 벡터를 모델의 두 잠재 차원 위에 그린 지도입니다. 점을 클릭하면 그 이미지를 "
              "잠재 공간 탐색 페이지에서 열 수 있습니다.",
    },
    "map.three_d": {"en": "3-D (three principal axes)", "ko": "3차원 (주성분 축 3개)"},
    "map.three_d_unavailable": {
        "en": "This model's latent space has only {dims} dimensions: a 3-D view needs three.",
        "ko": "이 모델의 잠재 공간은 {dims}차원뿐이라 3차원으로 볼 수 없습니다 (3차원이 필요합니다).",
    },
    "map.raw_axes": {
        "en": "This model's latent space has just two dimensions, so the map shows them as they are (z0 across, z1 "
              "up): nothing is hidden and no PCA is needed.",
        "ko": "이 모델의 잠재 공간은 2차원뿐이라 두 차원을 그대로 그렸습니다 (가로 z0, 세로 z1). 숨겨진 차원이 없어 "
              "PCA가 필요 없습니다.",
    },
    "map.axis": {"en": "PC {number}", "ko": "PC {number}"},
    "map.index": {"en": "Image #", "ko": "이미지 번호"},
    "map.marker": {"en": "Explorer's latent vector", "ko": "탐색 중인 잠재 벡터"},
    "map.shown_share": {
        "en": "These {axes} axes hold {share}% of the latent vectors' variance; the rest is hidden in this view.",
        "ko": "이 {axes}개 축에 잠재 벡터 분산의 {share}%가 담겨 있고, 나머지는 이 그림에 보이지 않습니다.",
    },
    "map.selected": {"en": "Selected: image #{index} ({label})", "ko": "선택한 점: 이미지 #{index} ({label})"},
    "map.select_hint": {
        "en": "Click a point on the map to choose an image.",
        "ko": "지도의 점을 클릭해 이미지를 고르세요.",
    },
    "map.open_explorer": {"en": "Open in the latent explorer", "ko": "잠재 공간 탐색에서 열기"},
    "map.original": {"en": "Original", "ko": "원본"},
    "map.reconstruction": {"en": "Reconstruction", "ko": "재구성"},
    "map.variance_header": {"en": "Explained variance", "ko": "설명된 분산"},
    "map.variance_intro": {
        "en": "How much of the latent vectors' variance each principal axis carries, and the running total.",
        "ko": "각 주성분 축이 잠재 벡터 분산을 얼마나 담고 있는지와 그 누적 합입니다.",
    },
    "map.individual": {"en": "Each axis", "ko": "축별"},
    "map.cumulative": {"en": "Cumulative", "ko": "누적"},
    "map.component": {"en": "Principal axis", "ko": "주성분 축"},
    "map.share": {"en": "Share of variance", "ko": "분산 비율"},
    "map.downloads_header": {"en": "Take the codes home", "ko": "잠재 벡터 내려받기"},
    "map.downloads_intro": {
        "en": "All 10,000 test images' latent vectors with their labels, as a table or for TensorBoard's Embedding "
              "Projector (which can also map them with t-SNE and UMAP).",
        "ko": "테스트 이미지 10,000장의 잠재 벡터와 레이블을 표로, 또는 TensorBoard의 Embedding Projector용으로 내려받습니다 "
              "(Projector에서는 t-SNE와 UMAP으로도 그려 볼 수 있습니다).",
    },
    "map.download_csv": {"en": "Latent codes (CSV)", "ko": "잠재 벡터 (CSV)"},
    "map.download_projector": {"en": "Embedding Projector bundle (ZIP)", "ko": "Embedding Projector 묶음 (ZIP)"},
    "map.download_projector_help": {
        "en": "Unzip it and run `tensorboard --logdir <folder>` (Projector tab), or load vectors.tsv, metadata.tsv and "
              "projector_config.json at projector.tensorflow.org.",
        "ko": "압축을 풀고 `tensorboard --logdir <폴더>`를 실행하거나(Projector 탭), projector.tensorflow.org에서 "
              "vectors.tsv, metadata.tsv, projector_config.json을 불러오세요.",
    },
}
