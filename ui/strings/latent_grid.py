"""Strings of the Latent grid page."""

STRINGS = {
    "nav.latent_grid": {"en": "Latent grid", "ko": "잠재 공간 격자"},
    "grid.title": {"en": "Latent grid (manifold)", "ko": "잠재 공간 격자 (매니폴드)"},
    "grid.size": {"en": "Grid size (N × N images)", "ko": "격자 크기 (N × N 이미지)"},
    "grid.size_help": {
        "en": "All the grid's images are decoded at once, in one call of the decoder.",
        "ko": "격자의 모든 이미지를 디코더 한 번 호출로 한꺼번에 디코딩합니다.",
    },
    "grid.intro.principal": {
        "en": "Each cell is the decoder's image of one point of a plane through the latent space: the test codes' mean, "
              "moved along their first two principal axes (PC1 across, PC2 up) over the range where 98% of the test "
              "codes lie. These two axes carry {share}% of the codes' variance; every other direction stays at the mean.",
        "ko": "각 칸은 잠재 공간의 한 평면 위에 있는 점을 디코더가 이미지로 만든 것입니다. 테스트 이미지 잠재 벡터들의 평균에서 "
              "첫 두 주성분 축(가로 PC1, 세로 PC2)을 따라 움직이며, 테스트 잠재 벡터의 98%가 들어가는 범위를 덮습니다. "
              "이 두 축이 잠재 벡터 분산의 {share}%를 차지하고, 나머지 방향은 모두 평균에 고정됩니다.",
    },
    "grid.intro.raw": {
        "en": "This model's latent space has only two dimensions: each cell decodes the code (z0, z1) at its place, over "
              "the range where 98% of the test codes lie. The map on the right is the latent space itself, no PCA.",
        "ko": "이 모델의 잠재 공간은 2차원뿐입니다. 각 칸은 그 자리의 잠재 벡터 (z0, z1)를 디코딩한 이미지이며, 테스트 잠재 "
              "벡터의 98%가 들어가는 범위를 덮습니다. 오른쪽 지도는 PCA 없이 잠재 공간 그대로입니다.",
    },
    "grid.intro.prior": {
        "en": "A variational autoencoder: its codes are trained to follow the normal distribution N(0, 1) in every "
              "dimension. As in the Keras VAE example, the rows and columns sit at that distribution's quantiles from 5% "
              "to 95%, so each step holds the same share of it: the steps are narrower near 0, where most codes are. The "
              "map's axes are stretched the same way; their labels are the real values of z{x} and z{y}.",
        "ko": "변분 오토인코더(VAE)입니다. 잠재 벡터가 모든 차원에서 정규분포 N(0, 1)을 따르도록 학습됩니다. Keras의 VAE "
              "예제처럼 행과 열을 이 분포의 5%에서 95%까지의 분위수에 놓았기 때문에, 한 칸마다 분포의 같은 몫을 "
              "차지합니다. 그래서 잠재 벡터가 많이 모이는 0 근처에서는 간격이 좁습니다. 오른쪽 지도의 축도 똑같이 "
              "늘였으며, 눈금은 z{x}, z{y}의 실제 값입니다.",
    },
    "grid.other_dims": {
        "en": "z{x} and z{y} are the two dimensions along which the test codes vary most; the other {rest} stay at 0, "
              "the prior's mean.",
        "ko": "z{x}와 z{y}는 테스트 잠재 벡터가 가장 크게 변하는 두 차원이고, 나머지 {rest}개 차원은 사전분포의 평균인 0에 "
              "고정됩니다.",
    },
    "grid.click_hint": {
        "en": "Click a cell to open its code in the latent explorer, or a point on the map to open that test image there.",
        "ko": "칸을 클릭하면 그 잠재 벡터를, 지도의 점을 클릭하면 그 테스트 이미지를 잠재 공간 탐색 페이지에서 엽니다.",
    },
    "grid.panel.grid": {"en": "Decoded grid", "ko": "디코딩한 격자"},
    "grid.panel.map": {"en": "Test images' codes on the same plane", "ko": "같은 평면 위의 테스트 이미지 잠재 벡터"},
    "grid.axis.principal": {"en": "PC{number}", "ko": "PC{number}"},
    "grid.axis.raw": {"en": "z{number}", "ko": "z{number}"},
    "grid.cell_hover": {"en": "Open in the explorer", "ko": "탐색 페이지에서 열기"},
    "grid.index": {"en": "test image", "ko": "테스트 이미지"},
    "grid.inside": {
        "en": "{inside} of the {total} test images lie inside the grid and are drawn on the map.",
        "ko": "테스트 이미지 {total}장 중 {inside}장이 격자 안에 있어 지도에 표시됩니다.",
    },
    "grid.negative": {
        "en": "Note: this encoder ends in a ReLU, so it never outputs a negative value; yet a plane along the principal "
              "axes leaves that range, and {share}% of the cells' codes have negative values. Those images show what "
              "the decoder makes of codes it never saw in training.",
        "ko": "참고: 이 인코더는 ReLU로 끝나므로 음수를 출력하지 않습니다. 그러나 주성분 축을 따라 만든 평면은 그 범위를 "
              "벗어나, 칸의 {share}%는 음수 값을 가진 잠재 벡터입니다. 그 이미지들은 디코더가 학습 때 한 번도 보지 못한 "
              "잠재 벡터로 만든 것입니다.",
    },
    "grid.download": {"en": "Download the grid (PNG)", "ko": "격자 그림 내려받기 (PNG)"},
}
