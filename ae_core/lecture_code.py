"""The lecture's Keras code for any stored model: a program that builds and trains exactly that model on Fashion-MNIST,
in the lecture note's own style, as a .py or as a Jupyter notebook.

The lecture note (docs/design.md, "The lecture's numbers") subclasses `Model` into an `Autoencoder` whose `encoder` and
`decoder` are two `tf.keras.Sequential`s, compiles it with Adam and MSE, fits it on x_train against itself with the
test set as validation, and plots ten originals over their reconstructions. The code written here keeps that shape and
its headings, and extends it where a model needs more (docs/design.md, "The lecture's code for a model"):
convolutional halves, a VAE's two-output encoder with its own `train_step` (its loss as the app's trainer computes
it), noise on the inputs while training (a denoising model), a class left out, a seeded share of the training images,
a cosine schedule. The settings come from the model's metadata (ModelRecord.config and .train_config) and the layer
sizes from ae_core/architecture.py, which ae_core/models.py builds the app's models from; tests/test_lecture_code.py
checks that the code's model has the stored model's layers, shapes and parameters, and runs the code.

What the code does not copy is the app's training loop (many optimizer steps per compiled call,
ae_core/training/trainer.py): the code uses the lecture's `fit`. The maths is the same, the figures close, not
identical. Its words are in the language asked for (ae_core/lecture_code_text.py); the .py prints the val MSE it
reached as its last line, and saves its picture beside itself.

Usage:
    source = python_script(stored, "ko")                  # stored: a StoredModel (ae_core.store.find_model)
    text = notebook_text(stored, "en")                    # the same as a notebook (.ipynb, nbformat 4)
    quick = python_script(stored, "ko", subset=2000, epochs=1)  # the same code, set to try it quickly
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass

from ae_core.architecture import CONV_DECODER_FILTERS, CONV_ENCODER_FILTERS, IMAGE_SHAPE, VAE_HIDDEN_UNITS
from ae_core.config import BY_NAME, ConfigError, ModelConfig, TrainConfig
from ae_core.data import CLASS_NAMES
from ae_core.lecture_code_text import TEXTS
from ae_core.store.metadata import ModelRecord

PYTHON_MIME = "text/x-python"
NOTEBOOK_MIME = "application/x-ipynb+json"
SUBSET_RANGE = (10, 60_000)  # at least the ten images the plot shows; at most all of them
_WIDTH = 110  # where comments and notes wrap
_CODE_WIDTH = 120  # the longest line of code (the lecture's one-line decoder is 117 columns here)
_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]
# The side of the conv encoder's last feature map: each strided convolution halves it (28 -> 14 -> 7).
_CONV_SIDE = IMAGE_SHAPE[0] // 2 ** len(CONV_ENCODER_FILTERS)


class LectureCodeError(ValueError):
    """No code can be written for this model: its metadata holds a training setting no training could have had.
    `problems` are the config's Problems (which setting, which value)."""

    def __init__(self, name: str, error: ConfigError):
        super().__init__(f"The model {name!r} has training settings no training could have had: {error}")
        self.name = name
        self.problems = error.problems


@dataclass(frozen=True)
class Recipe:
    """What a stored model was trained with: the settings the code fills in, and what the app's run reached."""

    name: str
    model: ModelConfig
    training: TrainConfig
    val_mse: float
    epochs_completed: int | None = None
    stopped_early: bool = False


@dataclass(frozen=True)
class Section:
    """One step of the program: its name (settings, imports, data, model, compile, fit, test, evaluate), the lecture's
    heading, its notes (bullet points), its code. The settings' section is the notebook's parameters cell."""

    key: str
    heading: str
    notes: tuple[str, ...]
    code: str
    parameters: bool = False


def recipe_of(name: str, record: ModelRecord) -> Recipe:
    """The recipe in a stored model's metadata; a setting it does not name has its default (the lecture's, or what
    the app did before the setting existed). LectureCodeError when one holds a value no training could have had."""
    settings = {key: value for key, value in record.train_config.items()
                if key in BY_NAME and BY_NAME[key].part == "train"}
    try:
        training = TrainConfig(**settings)
    except ConfigError as error:
        raise LectureCodeError(name, error) from error
    return Recipe(name, record.config, training, record.val_mse, record.epochs_completed, record.stopped_early)


def sections(recipe: Recipe, language: str = "ko", *, subset: int | None = None, for_notebook: bool = False
             ) -> list[Section]:
    """The program's steps, in order. `subset`: the settings' `subset` value (None: every image)."""
    if subset is not None and not SUBSET_RANGE[0] <= subset <= SUBSET_RANGE[1]:
        raise ValueError(f"subset must be None or between {SUBSET_RANGE[0]} and {SUBSET_RANGE[1]}, got {subset}")
    writer = _Writer(recipe, TEXTS[language])
    return [writer.settings(subset), writer.imports(), writer.data(), writer.model(), writer.compile(), writer.fit(),
            writer.test(save_figure=not for_notebook), writer.evaluate()]


def python_script(stored, language: str = "ko", *, subset: int | None = None, epochs: int | None = None) -> str:
    """The program as a .py: its sections under the lecture's headings as comments. `stored` is a StoredModel (a
    ModelRecord with a name); `epochs` replaces the recipe's (a quick try)."""
    recipe = _recipe(stored, epochs)
    texts = TEXTS[language]
    parts = [_comment_block([texts["title"].format(name=recipe.name), "", *_header_lines(recipe, texts),
                             texts["run"].format(file=script_file_name(recipe.name))])]
    for section in sections(recipe, language, subset=subset):
        notes = [f"- {note}" for note in section.notes]
        parts.append(_comment_block([section.heading, *notes]) + "\n" + section.code)
    return "\n\n\n".join(parts) + "\n"


def notebook(stored, language: str = "ko", *, subset: int | None = None, epochs: int | None = None):
    """The program as an nbformat 4 notebook: a title, then each section's heading and notes above its code."""
    import nbformat  # only a notebook needs it

    recipe = _recipe(stored, epochs)
    texts = TEXTS[language]
    header = [f"# {texts['title'].format(name=recipe.name)}", "", *_header_lines(recipe, texts)]
    # Cell ids named after the sections (nbformat would draw random ones): the same model gives the same file.
    cells = [nbformat.v4.new_markdown_cell("\n".join(header), id="title")]
    for section in sections(recipe, language, subset=subset, for_notebook=True):
        cells.append(nbformat.v4.new_markdown_cell("\n".join([f"### {section.heading}", "",
                                                              *(f"- {note}" for note in section.notes)]).rstrip(),
                                                   id=f"{section.key}-notes"))
        metadata = {"tags": ["parameters"]} if section.parameters else {}  # where papermill puts its values
        cells.append(nbformat.v4.new_code_cell(section.code, metadata=metadata, id=section.key))
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernel, "language_info": {"name": "python"}})


def notebook_text(stored, language: str = "ko", *, subset: int | None = None, epochs: int | None = None) -> str:
    """The notebook as the JSON text of an .ipynb file."""
    import nbformat

    return nbformat.writes(notebook(stored, language, subset=subset, epochs=epochs))


def script_file_name(name: str) -> str:
    return f"{name}.py"


def notebook_file_name(name: str) -> str:
    return f"{name}.ipynb"


def _recipe(stored, epochs: int | None) -> Recipe:
    recipe = recipe_of(stored.name, stored)
    if epochs is not None:
        recipe = dataclasses.replace(recipe, training=dataclasses.replace(recipe.training, epochs=epochs))
    return recipe


def _header_lines(recipe: Recipe, texts: dict) -> list[str]:
    """The title's paragraph: what the model is, what the app's run reached, what to expect."""
    model, training = recipe.model, recipe.training
    kind = texts["kind.conv" if model.arch == "conv" else "kind.dense_vae" if model.variational else "kind.dense"].format(
        latent_dim=model.latent_dim, hidden=VAE_HIDDEN_UNITS, encoder_filters="/".join(map(str, CONV_ENCODER_FILTERS)),
        decoder_filters="/".join(map(str, CONV_DECODER_FILTERS)))
    facts = [kind]
    if model.variational:
        facts.append(texts["kind.vae"].format(beta=model.beta))
    if training.noise_std > 0:
        facts.append(texts["variant.noise"].format(noise_std=training.noise_std))
    if training.exclude_class is not None:
        facts.append(texts["variant.exclude"].format(number=training.exclude_class,
                                                     label=CLASS_NAMES[training.exclude_class]))
    if training.train_fraction < 1:
        facts.append(texts["variant.fraction"].format(percent=f"{training.train_fraction * 100:g}"))
    if training.schedule == "cosine":
        facts.append(texts["variant.cosine"])
    images = (texts["images.all"] if training.exclude_class is None else texts["images.without"].format(
        number=training.exclude_class, label=CLASS_NAMES[training.exclude_class]))
    facts.append(texts["app_result"].format(val_mse=f"{recipe.val_mse:.5f}", images=images))
    if recipe.stopped_early and recipe.epochs_completed is not None:
        facts.append(texts["stopped"].format(epochs=training.epochs, completed=recipe.epochs_completed))
    return [texts["intro"].format(name=recipe.name), "", *(f"- {fact}" for fact in facts), "",
            texts["same_maths"], texts["needs"]]


def display_width(text: str) -> int:
    """Columns `text` takes in an editor: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` broken at spaces into lines of at most `width` columns (a longer word stays whole)."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and display_width(candidate) > width:
            lines.append(line)
            candidate = indent + word
        line = candidate
    return [*lines, line]


def _comment_block(lines: list[str]) -> str:
    wrapped = []
    for line in lines:
        wrapped += _wrap(line, _WIDTH - 2, "  " if line.startswith("- ") else "")
    return "\n".join(f"# {line}".rstrip() for line in wrapped)


def _layer_list(layers: list[str], indent: int) -> str:
    """`[a, b, c]` on one line where it fits, else one layer a line."""
    one_line = "[" + ", ".join(layers) + "]"
    if indent + len("self.encoder = tf.keras.Sequential(") + len(one_line) + 1 <= _CODE_WIDTH:
        return one_line
    inner = " " * (indent + 4)
    return "[\n" + "".join(f"{inner}{layer},\n" for layer in layers) + " " * indent + "]"


class _Writer:
    """Writes each section of one recipe's program in one language."""

    def __init__(self, recipe: Recipe, texts: dict):
        self.recipe, self.texts = recipe, texts
        self.config, self.training = recipe.model, recipe.training
        self.noisy = self.training.noise_std > 0

    def _comment(self, key: str, **values) -> str:
        return "# " + self.texts[key].format(**values)

    def _noted(self, code: str, key: str, **values) -> str:
        """A line of code with its comment after it, or above it where the two would not fit on one line."""
        indent = code[:len(code) - len(code.lstrip())]
        line = f"{code}  {self._comment(key, **values)}"
        return line if display_width(line) <= _CODE_WIDTH else f"{indent}{self._comment(key, **values)}\n{code}"

    def settings(self, subset: int | None) -> Section:
        training = self.training
        values = [("latent_dim", self.config.latent_dim), ("epochs", training.epochs),
                  ("batch_size", training.batch_size), ("learning_rate", training.learning_rate)]
        if self.config.variational:
            values.append(("beta", self.config.beta))
        if self.noisy:
            values.append(("noise_std", training.noise_std))
        if training.exclude_class is not None:
            values.append(("exclude_class", training.exclude_class))
        if training.train_fraction < 1:
            values.append(("train_fraction", training.train_fraction))
        values += [("seed", training.seed), ("subset", subset)]
        label = CLASS_NAMES[training.exclude_class] if training.exclude_class is not None else ""
        random_draws = self.noisy or self.config.variational  # then the seed draws noise too
        keys = {name: f"setting.{name}" for name, _ in values} | {"seed": "setting.seed_noise" if random_draws else "setting.seed"}
        lines = [self._noted(f"{name} = {value!r}", keys[name], label=label) for name, value in values]
        return Section("settings", self.texts["heading.settings"], (self.texts["note.settings"], self.texts["note.subset"]),
                       "\n".join(lines), parameters=True)

    def imports(self) -> Section:
        layers = ["Dense", "Flatten", "Input", "Reshape"]
        if self.config.arch == "conv":
            layers = ["Conv2D", "Conv2DTranspose", *layers]
        lines = ["import math"] if self.training.schedule == "cosine" else []
        lines += ["import tensorflow as tf", "from tensorflow.keras.datasets import fashion_mnist",
                  "from tensorflow.keras.models import Model", f"from tensorflow.keras.layers import {', '.join(layers)}"]
        if not self.config.variational:
            lines.append("from tensorflow.keras.losses import MeanSquaredError")
        lines += ["import numpy as np", "import matplotlib.pyplot as plt",
                  # The lecture's plt.style.use('seaborn-white'): matplotlib 3.8 knows that style by this name only.
                  self._noted("plt.style.use('seaborn-v0_8-white')", "comment.style")]
        return Section("imports", self.texts["heading.imports"], (), "\n".join(lines))

    def data(self) -> Section:
        training = self.training
        leave_out = training.exclude_class is not None
        lines = [self._noted("tf.keras.utils.set_random_seed(seed)", "comment.seed"), "",
                 "(x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()" if leave_out
                 else "(x_train, _), (x_test, _) = fashion_mnist.load_data()", "",
                 self._comment("comment.normalize"),
                 "x_train = x_train.astype('float32') / 255.",
                 "x_test = x_test.astype('float32') / 255."]
        if leave_out:
            lines += ["", self._comment("comment.exclude", label=CLASS_NAMES[training.exclude_class]),
                      "x_train = x_train[y_train != exclude_class]", "x_test = x_test[y_test != exclude_class]"]
        if training.train_fraction < 1:
            # The app's own sample (ae_core/training/trainer.py, _training_images): the same generator and seed.
            lines += ["", self._comment("comment.fraction"),
                      "count = max(batch_size, round(len(x_train) * train_fraction))",
                      "sample = np.random.default_rng([seed, 1]).choice(len(x_train), min(count, len(x_train)), "
                      "replace=False)",
                      "x_train = x_train[np.sort(sample)]"]
        lines += ["", self._noted("if subset:", "comment.subset"),
                  "    x_train, x_test = x_train[:subset], x_test[:subset]", "", "print(x_train.shape)",
                  "print(x_test.shape)"]
        notes = (self.texts["note.labels" if leave_out else "note.no_labels"],)
        return Section("data", self.texts["heading.data"], notes, "\n".join(lines))

    # --- the model ------------------------------------------------------------------------------------------------
    def _feature_layers(self) -> list[str]:
        """The encoder's layers before its code."""
        if self.config.arch == "dense":
            return ["Flatten()", *([f"Dense({VAE_HIDDEN_UNITS}, activation='relu')"] if self.config.variational else [])]
        convolutions = [f"Conv2D({filters}, 3, strides=2, padding='same', activation='relu')"
                        for filters in CONV_ENCODER_FILTERS]
        return [f"Reshape(({IMAGE_SHAPE[0]}, {IMAGE_SHAPE[1]}, 1))", *convolutions, "Flatten()"]

    def _decoder_layers(self) -> list[str]:
        layers = ["Input((latent_dim,))"]
        if self.config.arch == "dense":
            if self.config.variational:
                layers.append(f"Dense({VAE_HIDDEN_UNITS}, activation='relu')")
            layers += [f"Dense({_PIXELS}, activation='sigmoid')", f"Reshape({IMAGE_SHAPE})"]
            return layers
        first = CONV_DECODER_FILTERS[0]
        layers += [f"Dense({_CONV_SIDE} * {_CONV_SIDE} * {first}, activation='relu')",
                   f"Reshape(({_CONV_SIDE}, {_CONV_SIDE}, {first}))"]
        layers += [f"Conv2DTranspose({filters}, 3, strides=2, padding='same', activation='relu')"
                   for filters in CONV_DECODER_FILTERS]
        return [*layers, "Conv2D(1, 3, padding='same', activation='sigmoid')", f"Reshape({IMAGE_SHAPE})"]

    def model(self) -> Section:
        notes = [self.texts["note.conv" if self.config.arch == "conv" else "note.dense"].format(
            latent_dim=self.config.latent_dim)]
        if self.config.variational:
            notes += [self.texts["note.vae"], self.texts["note.vae_loss"], self.texts["note.vae_validation"]]
        if self.noisy:
            notes.append(self.texts["note.noise"])
        notes.append(self.texts["note.subclassing"])
        code = self._variational_class() if self.config.variational else self._plain_class()
        return Section("model", self.texts["heading.model"], tuple(notes), code)

    def _plain_class(self) -> str:
        code_layer = "Dense(latent_dim, activation='relu')" if self.config.arch == "dense" else "Dense(latent_dim)"
        encoder = [f"Input({IMAGE_SHAPE})", *self._feature_layers(), code_layer]
        lines = ["class Autoencoder(Model):",
                 f"    def __init__(self, latent_dim{', noise_std' if self.noisy else ''}):",
                 "        super().__init__()", "",
                 "        self.latent_dim = latent_dim"]
        lines += ["        self.noise_std = noise_std"] if self.noisy else []
        lines += [f"        {self._comment('comment.encoder')}",
                  f"        self.encoder = tf.keras.Sequential({_layer_list(encoder, 8)})",
                  f"        {self._comment('comment.decoder')}",
                  f"        self.decoder = tf.keras.Sequential({_layer_list(self._decoder_layers(), 8)})", ""]
        if self.noisy:
            lines += ["    def call(self, x, training=False):",
                      self._noted("        if training:", "comment.noise"),
                      "            x = tf.clip_by_value(x + self.noise_std * tf.random.normal(tf.shape(x)), 0.0, 1.0)"]
        else:
            lines += ["    def call(self, x):"]
        lines += ["        encoded = self.encoder(x)", "        decoded = self.decoder(encoded)", "        return decoded"]
        return "\n".join(lines)

    def _variational_class(self) -> str:
        parameters = "latent_dim, beta" + (", noise_std" if self.noisy else "")
        lines = ["class VariationalAutoencoder(Model):",
                 f"    def __init__(self, {parameters}):",
                 "        super().__init__()", "",
                 "        self.latent_dim = latent_dim",
                 "        self.beta = beta"]
        lines += ["        self.noise_std = noise_std"] if self.noisy else []
        lines += [f"        {self._comment('comment.vae_encoder')}",
                  f"        image = Input({IMAGE_SHAPE})",
                  f"        features = tf.keras.Sequential({_layer_list(self._feature_layers(), 8)})(image)",
                  "        self.encoder = Model(image, [Dense(latent_dim)(features), Dense(latent_dim)(features)])",
                  f"        {self._comment('comment.decoder')}",
                  f"        self.decoder = tf.keras.Sequential({_layer_list(self._decoder_layers(), 8)})",
                  f"        {self._comment('comment.trackers')}",
                  "        self.loss_tracker = tf.keras.metrics.Mean(name='loss')",
                  "        self.reconstruction_tracker = tf.keras.metrics.Mean(name='reconstruction')",
                  "        self.kl_tracker = tf.keras.metrics.Mean(name='kl')",
                  "        self.mse_tracker = tf.keras.metrics.Mean(name='mse')", "",
                  "    @property",
                  "    def metrics(self):",
                  "        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker, self.mse_tracker]", "",
                  "    def call(self, x):",
                  "        mean, log_variance = self.encoder(x)",
                  self._noted("        return self.decoder(mean)", "comment.decode_mean"), "",
                  "    def train_step(self, data):",
                  "        x, target = data"]
        if self.noisy:
            lines += [f"        {self._comment('comment.noise')}",
                      "        x = tf.clip_by_value(x + self.noise_std * tf.random.normal(tf.shape(x)), 0.0, 1.0)"]
        # The loss of ae_core/training/trainer.py (_compiled_steps, losses), written out.
        lines += ["        with tf.GradientTape() as tape:",
                  "            mean, log_variance = self.encoder(x)",
                  f"            {self._comment('comment.sample')}",
                  "            z = mean + tf.exp(0.5 * log_variance) * tf.random.normal(tf.shape(mean))",
                  self._noted("            decoded = tf.clip_by_value(self.decoder(z), 1e-7, 1 - 1e-7)", "comment.clip"),
                  f"            {self._comment('comment.reconstruction')}",
                  "            cross_entropy = -(target * tf.math.log(decoded) + (1 - target) * tf.math.log(1 - decoded))",
                  "            reconstruction = tf.reduce_mean(tf.reduce_sum(cross_entropy, axis=[1, 2]))",
                  f"            {self._comment('comment.kl')}",
                  "            kl = tf.reduce_mean(tf.reduce_sum(",
                  "                -0.5 * (1 + log_variance - tf.square(mean) - tf.exp(log_variance)), axis=1))",
                  "            loss = reconstruction + self.beta * kl",
                  "        gradients = tape.gradient(loss, self.trainable_weights)",
                  "        self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))",
                  "        self.loss_tracker.update_state(loss)",
                  "        self.reconstruction_tracker.update_state(reconstruction)",
                  "        self.kl_tracker.update_state(kl)",
                  "        return {'loss': self.loss_tracker.result(), 'reconstruction': self.reconstruction_tracker.result(),",
                  "                'kl': self.kl_tracker.result()}", "",
                  "    def test_step(self, data):",
                  f"        {self._comment('comment.validation')}",
                  "        x, target = data",
                  "        self.mse_tracker.update_state(tf.reduce_mean(tf.square(self(x) - target), axis=[1, 2]))",
                  "        return {'mse': self.mse_tracker.result()}"]
        return "\n".join(lines)

    # --- training and testing -------------------------------------------------------------------------------------
    def compile(self) -> Section:
        variational = self.config.variational
        arguments = "latent_dim" + (", beta" if variational else "") + (", noise_std" if self.noisy else "")
        lines = [f"autoEncoder = {'VariationalAutoencoder' if variational else 'Autoencoder'}({arguments})"]
        rate = "learning_rate"
        if self.training.schedule == "cosine":
            lines += [self._comment("comment.cosine"),
                      "steps = epochs * math.ceil(len(x_train) / batch_size)",
                      "schedule = tf.keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)"]
            rate = "schedule"
        if variational:
            lines.append(self._noted(f"autoEncoder.compile(optimizer=tf.keras.optimizers.Adam(learning_rate={rate}))",
                                     "comment.vae_compile"))
        else:
            lines.append(f"autoEncoder.compile(optimizer=tf.keras.optimizers.Adam(learning_rate={rate}), "
                         "loss=MeanSquaredError())")
        lines.append(self._noted("autoEncoder.summary(expand_nested=True)", "comment.summary"))
        return Section("compile", self.texts["heading.compile"], (), "\n".join(lines))

    def fit(self) -> Section:
        code = "\n".join(["history = autoEncoder.fit(x_train, x_train,",
                          "                          epochs=epochs,",
                          "                          batch_size=batch_size,",
                          "                          shuffle=True,",
                          "                          validation_data=(x_test, x_test))"])
        return Section("fit", self.texts["heading.fit"], (self.texts["note.fit_input"], self.texts["note.fit_halves"]), code)

    def test(self, save_figure: bool) -> Section:
        if self.config.variational:
            lines = [self._noted("mean, log_variance = autoEncoder.encoder.predict(x_test, verbose=0)", "comment.encode"),
                     self._noted("decoded_imgs = autoEncoder.decoder.predict(mean, verbose=0)", "comment.decode_vae")]
        else:
            lines = [self._noted("encoded_imgs = autoEncoder.encoder.predict(x_test, verbose=0)", "comment.encode"),
                     self._noted("decoded_imgs = autoEncoder.decoder.predict(encoded_imgs, verbose=0)", "comment.decode")]
        lines += ["", "n = 10", "plt.figure(figsize=(20, 4))", "", "for i in range(n):"]
        for row, (images, title) in enumerate((("x_test", "original"), ("decoded_imgs", "reconstructed"))):
            lines += [f"    ax = plt.subplot(2, n, i + 1{' + n' if row else ''})", f"    plt.imshow({images}[i])",
                      f"    plt.title('{title}')", "    plt.gray()", "    ax.get_xaxis().set_visible(False)",
                      "    ax.get_yaxis().set_visible(False)", *([""] if not row else [])]
        lines.append("")
        if save_figure:
            lines.append(self._noted(f"plt.savefig({self.recipe.name + '-reconstructions.png'!r})", "comment.save_figure"))
        lines.append("plt.show()")
        return Section("test", self.texts["heading.test"], (), "\n".join(lines))

    def evaluate(self) -> Section:
        lines = ["val_mse = float(np.mean(np.square(decoded_imgs - x_test)))",
                 f'print(f"val MSE {{val_mse:.5f}} ({self.texts["print.app_model"]}: {self.recipe.val_mse:.5f})")']
        return Section("evaluate", self.texts["heading.evaluate"], (self.texts["note.evaluate"],), "\n".join(lines))
