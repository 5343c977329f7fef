"""The layer sizes of the app's architectures, without Keras: ae_core/models.py builds the models from them, and
ae_core/lecture_code.py writes the same layers as the lecture's Keras code (so that `python -m ae_core code` needs no
TensorFlow).

Usage: `from ae_core.architecture import CONV_ENCODER_FILTERS, IMAGE_SHAPE`
"""

IMAGE_SHAPE = (28, 28)
# Decoder widths are kept small enough for the browser to decode every animation frame
# (docs/design.md, "JavaScript decodes fast enough").
CONV_ENCODER_FILTERS = (32, 64)
CONV_DECODER_FILTERS = (48, 24)
# A VAE's dense halves get one hidden layer: with a 2-D latent space a single linear map cannot draw garments.
VAE_HIDDEN_UNITS = 256
