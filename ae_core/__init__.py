"""Autoencoder Lab core: data, models, training, model store and latent-space tools. Never imports streamlit.

`PROJECT_ROOT` is the checkout this package lives in: the shipped models, the default trained folder and the folder a
training child runs in are found from it, here and nowhere else.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
