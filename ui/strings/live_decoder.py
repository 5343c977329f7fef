"""Strings of the live decoder component (ui/live_decoder.py)."""

STRINGS = {
    # {ms} is filled in by the browser on every frame.
    "live_decoder.decode_time": {"en": "Decoded in your browser in {ms} ms", "ko": "브라우저에서 디코딩: {ms} ms"},
    "live_decoder.reset": {"en": "Reset sliders", "ko": "슬라이더 되돌리기"},
    "live_decoder.canvas": {"en": "Image decoded from the latent vector", "ko": "잠재 벡터를 디코더로 복원한 이미지"},
    "live_decoder.axis": {"en": "Principal axis {index}", "ko": "주성분 축 {index}"},
}
