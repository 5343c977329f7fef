"""Autoencoder Lab core: data, models, training, model store and latent-space tools. Never imports streamlit."""
