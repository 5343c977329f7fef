"""Plotly's own words (its mode bar's buttons and its hints), for ui/plotly_locale.py: "en" is plotly.js's text."""

# Only what the app's charts can show: scatter, WebGL scatter, 3-D scatter, bars and lines, a legend.
_PLOTLY = {
    "download": ("Download plot as a PNG", "그림을 PNG로 내려받기"),
    "download_plain": ("Download plot", "그림 내려받기"),
    "zoom": ("Zoom", "확대/축소 영역 선택"),
    "pan": ("Pan", "이동"),
    "box_select": ("Box Select", "사각형으로 선택"),
    "lasso_select": ("Lasso Select", "올가미로 선택"),
    "zoom_in": ("Zoom in", "확대"),
    "zoom_out": ("Zoom out", "축소"),
    "autoscale": ("Autoscale", "자동 크기 맞춤"),
    "reset_axes": ("Reset axes", "축 되돌리기"),
    "reset_view": ("Reset view", "보기 되돌리기"),
    "spikes": ("Toggle Spike Lines", "보조선 켜기/끄기"),
    "hover_closest": ("Show closest data on hover", "마우스에 가장 가까운 점 보기"),
    "hover_compare": ("Compare data on hover", "마우스 위치의 값 비교"),
    "orbit": ("Orbital rotation", "궤도 회전"),
    "turntable": ("Turntable rotation", "턴테이블 회전"),
    "camera_default": ("Reset camera to default", "카메라를 처음 위치로"),
    "camera_saved": ("Reset camera to last save", "카메라를 마지막 저장 위치로"),
    "legend_hint": ("Double-click on legend to isolate one trace", "범례를 두 번 클릭하면 그 항목만 보입니다"),
    "zoom_hint": ("Double-click to zoom back out", "두 번 클릭하면 원래 크기로 돌아갑니다"),
    "preparing": ("Preparing image - this may take a few seconds", "그림을 만드는 중입니다. 몇 초 걸릴 수 있습니다"),
    "image_done": ("Image download succeeded", "그림을 내려받았습니다"),
    "image_failed": ("Sorry, there was a problem downloading your image!", "그림을 내려받는 중 문제가 생겼습니다"),
    "logo": ("Produced with Plotly.js", "Plotly.js로 만든 그림"),
}
# Streamlit's own mode-bar buttons (not plotly's): ui/plotly_locale.py's mode_bar_css() shows these.
_STREAMLIT = {
    "fullscreen": ("Fullscreen", "전체 화면"),
    "close_fullscreen": ("Close fullscreen", "전체 화면 닫기"),
}

STRINGS = {f"plotly.{name}": {"en": english, "ko": korean}
           for name, (english, korean) in {**_PLOTLY, **_STREAMLIT}.items()}
NAMES = tuple(_PLOTLY)
