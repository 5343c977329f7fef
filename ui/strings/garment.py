"""Strings of the "Your garment" page (views/garment.py) and its drawing canvas (ui/draw_canvas.py)."""

STRINGS = {
    "nav.garment": {"en": "Your garment", "ko": "나만의 옷"},
    "garment.title": {"en": "Your own garment", "ko": "나만의 옷 그리기"},
    "garment.intro": {
        "en": "Draw a garment or upload a photo of one: it is made into a 28×28 image the way Fashion-MNIST's are "
              "(cropped, scaled, light on dark) and sent through the active model. Does the model \"know\" it?",
        "ko": "옷을 직접 그리거나 사진을 올려 보세요. Fashion-MNIST와 같은 방식(잘라내기, 크기 맞추기, 어두운 배경에 "
              "밝은 옷)으로 28×28 이미지로 바꾼 뒤 현재 모델에 넣어 봅니다. 모델이 이 옷을 \"알아볼\" 수 있을까요?",
    },
    "garment.tab_draw": {"en": "Draw", "ko": "그리기"},
    "garment.tab_upload": {"en": "Upload a picture", "ko": "사진 올리기"},
    "garment.draw_hint": {
        "en": "Draw with the mouse, a pen or a finger. The result updates at the end of every stroke.",
        "ko": "마우스, 펜, 손가락으로 그려 보세요. 한 획을 그을 때마다 결과가 바뀝니다.",
    },
    "garment.empty": {"en": "Draw a garment on the black canvas.", "ko": "검은 캔버스에 옷을 그려 보세요."},
    "garment.upload": {"en": "A PNG or JPEG picture (at most 5 MB)", "ko": "PNG 또는 JPEG 사진 (최대 5 MB)"},
    "garment.upload_hint": {
        "en": "One garment, ideally on a plain background.",
        "ko": "옷 한 벌만, 가능하면 단색 배경에서 찍은 사진이 좋습니다.",
    },
    "garment.steps": {"en": "From your picture to a Fashion-MNIST image", "ko": "그림이 Fashion-MNIST 이미지가 되는 과정"},
    "garment.step.gray": {"en": "gray", "ko": "흑백"},
    "garment.step.cropped": {"en": "cropped", "ko": "잘라내기"},
    "garment.step.final": {"en": "28×28, centred", "ko": "28×28, 가운데 정렬"},
    "garment.inverted": {"en": "colours inverted: light garment on dark", "ko": "색 반전: 어두운 배경에 밝은 옷"},
    "garment.input": {"en": "Your garment (28×28)", "ko": "나의 옷 (28×28)"},
    "garment.reconstruction": {"en": "Reconstruction · MSE {mse:.4f}", "ko": "재구성 · MSE {mse:.4f}"},
    "garment.verdict": {
        "en": "The test images' MSE with this model is {median:.4f} for half of them and below {high:.4f} for 95 %: "
              "yours is {position}.",
        "ko": "이 모델에서 테스트 이미지의 MSE는 절반이 {median:.4f} 이하이고 95 %가 {high:.4f} 미만입니다. "
              "여러분의 옷은 {position}.",
    },
    "garment.verdict.typical": {"en": "as well reconstructed as a typical test image",
                                "ko": "보통의 테스트 이미지만큼 잘 재구성되었습니다"},
    "garment.verdict.unusual": {"en": "harder for the model than most test images",
                                "ko": "대부분의 테스트 이미지보다 모델이 재구성하기 어려워합니다"},
    "garment.verdict.unknown": {"en": "unlike almost anything the model was trained on",
                                "ko": "모델이 학습한 것과 거의 닮지 않았습니다"},
    "garment.nearest": {"en": "The 5 nearest test images in latent space", "ko": "잠재 공간에서 가장 가까운 테스트 이미지 5장"},
    "garment.nearest_caption": {"en": "#{index} {label}", "ko": "#{index} {label}"},
    "garment.map": {"en": "Where it lands on the latent map", "ko": "잠재 공간 지도에서의 위치"},
    "garment.marker": {"en": "your garment", "ko": "나의 옷"},
    "garment.open_explorer": {"en": "Open in the latent explorer", "ko": "잠재 공간 탐색에서 열기"},
    "garment.download": {"en": "Download as PNG", "ko": "PNG로 내려받기"},
    "garment.download_help": {"en": "Your garment and its reconstruction side by side, 28×28 each.",
                              "ko": "나의 옷과 재구성 이미지를 나란히 (각 28×28)."},
    # Why a picture was refused (ae_core.uploads.REJECTION_CODES).
    "garment.error.empty": {"en": "The file is empty.", "ko": "빈 파일입니다."},
    "garment.error.too_large_bytes": {
        "en": "The file is {megabytes} MB; at most {limit_megabytes} MB can be used.",
        "ko": "파일 크기가 {megabytes} MB입니다. 최대 {limit_megabytes} MB까지 올릴 수 있습니다.",
    },
    "garment.error.too_many_pixels": {
        "en": "The picture is {width}×{height} pixels; at most {limit_megapixels} megapixels can be used.",
        "ko": "사진 크기가 {width}×{height} 픽셀입니다. 최대 {limit_megapixels}메가픽셀까지 쓸 수 있습니다.",
    },
    "garment.error.too_complex": {
        "en": "This {format} file is stored in an unusually complicated way and would take too long to read. Save it "
              "again as an ordinary PNG or JPEG, or upload a screenshot of it.",
        "ko": "이 {format} 파일은 지나치게 복잡한 방식으로 저장되어 있어 읽는 데 너무 오래 걸립니다. 일반 PNG나 JPEG로 "
              "다시 저장하거나 화면을 캡처해서 올려 주세요.",
    },
    "garment.error.unsupported_format": {
        "en": "This is a {format} file: only PNG and JPEG pictures can be used.",
        "ko": "{format} 파일입니다. PNG와 JPEG 사진만 쓸 수 있습니다.",
    },
    "garment.error.not_an_image": {"en": "This file is not a picture: use a PNG or JPEG.",
                                   "ko": "그림 파일이 아닙니다. PNG나 JPEG 파일을 올려 주세요."},
    "garment.error.corrupt": {"en": "This {format} file is damaged or incomplete.",
                              "ko": "이 {format} 파일은 손상되었거나 일부가 빠져 있습니다."},
    "garment.error.blank": {"en": "No garment could be found in the picture: it looks empty or all one colour.",
                            "ko": "그림에서 옷을 찾을 수 없습니다. 비어 있거나 한 가지 색으로만 보입니다."},
    # A canvas value its script would never send (ui/draw_canvas.py): only a forged message carries one.
    "garment.error.unreadable_drawing": {"en": "The drawing could not be read. Clear the canvas and draw again.",
                                         "ko": "그림을 읽을 수 없습니다. 그림판을 지우고 다시 그려 주세요."},
    "draw.undo": {"en": "Undo", "ko": "되돌리기"},
    "draw.clear": {"en": "Clear", "ko": "지우기"},
    "draw.brush": {"en": "Brush", "ko": "붓 굵기"},
    "draw.canvas": {"en": "Drawing canvas", "ko": "그림판"},
    "draw.preview": {"en": "The model's reconstruction, computed in your browser while you draw",
                     "ko": "그리는 동안 브라우저에서 계산한 모델의 재구성"},
}
