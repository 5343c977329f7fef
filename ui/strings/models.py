"""Strings of the Models & training page."""

STRINGS = {
    "models.title": {"en": "Models & training", "ko": "모델 및 학습"},
    "models.intro": {
        "en": "The stored autoencoders and how well they reconstruct the test images (val MSE: lower is better). "
              "Pick the model the other pages use, or train a new one.",
        "ko": "저장된 오토인코더와 테스트 이미지 재구성 성능입니다 (검증 MSE: 낮을수록 좋습니다). "
              "다른 페이지에서 사용할 모델을 고르거나 새 모델을 학습하세요.",
    },
    "models.stored_header": {"en": "Stored models", "ko": "저장된 모델"},
    "models.col.active": {"en": "In use", "ko": "사용 중"},
    "models.col.name": {"en": "Name", "ko": "이름"},
    "models.col.seconds": {"en": "Training time (s)", "ko": "학습 시간(초)"},
    "models.col.created": {"en": "Created", "ko": "만든 시각"},
    "models.col.origin": {"en": "Origin", "ko": "출처"},
    "models.choose": {"en": "Model to use", "ko": "사용할 모델 선택"},
    "models.use": {"en": "Use this model", "ko": "이 모델 사용"},
    "models.in_use": {"en": "The other pages use **{name}**.", "ko": "다른 페이지에서 **{name}** 모델을 사용합니다."},
    "models.train_header": {"en": "Train a new model", "ko": "새 모델 학습"},
    "models.train_intro": {
        "en": "The lecture's recipe is the default: Dense, latent dim 64, 10 epochs, batch 32, learning rate 0.001. "
              "Training runs on the server in the background; you can keep using the other pages.",
        "ko": "기본값은 강의의 설정입니다: Dense, 잠재 차원 64, 10 에폭, 배치 32, 학습률 0.001. "
              "학습은 서버에서 따로 실행되므로 그동안 다른 페이지를 계속 사용할 수 있습니다.",
    },
    "models.name": {"en": "Name", "ko": "모델 이름"},
    "models.name_help": {
        "en": "Letters, digits, '-', '_' or '.'. Leave empty for an automatic name.",
        "ko": "영문자, 숫자, '-', '_', '.'만 쓸 수 있습니다. 비워 두면 이름을 자동으로 정합니다.",
    },
    "models.batch_size": {"en": "Batch size", "ko": "배치 크기"},
    "models.learning_rate": {"en": "Learning rate", "ko": "학습률"},
    "models.seed": {"en": "Random seed", "ko": "랜덤 시드"},
    "models.start": {"en": "Start training", "ko": "학습 시작"},
    "models.error.bad_name": {
        "en": "“{value}” is not a valid name: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.",
        "ko": "“{value}”은(는) 쓸 수 없는 이름입니다: 영문자, 숫자, '-', '_', '.'로 1-64자, '.'로 시작하지 않게 지어 주세요.",
    },
    "models.error.name_taken": {
        "en": "A model or a training named “{value}” already exists: choose another name.",
        "ko": "“{value}” 이름의 모델이나 학습이 이미 있습니다: 다른 이름을 지어 주세요.",
    },
    "models.error.arch": {"en": "Unknown architecture “{value}”.", "ko": "알 수 없는 모델 구조입니다: “{value}”."},
    "models.error.schedule": {"en": "Unknown learning-rate schedule “{value}”.",
                              "ko": "알 수 없는 학습률 스케줄입니다: “{value}”."},
    "models.error.latent_dim": {
        "en": "The latent dim must be between {low} and {high} (got {value}).",
        "ko": "잠재 차원은 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.error.epochs": {
        "en": "Epochs must be between {low} and {high} (got {value}).",
        "ko": "에폭 수는 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.error.batch_size": {
        "en": "The batch size must be between {low} and {high} (got {value}).",
        "ko": "배치 크기는 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.error.learning_rate": {
        "en": "The learning rate must be between {low} and {high} (got {value}).",
        "ko": "학습률은 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.error.seed": {
        "en": "The seed must be between {low} and {high} (got {value}).",
        "ko": "랜덤 시드는 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.error.busy": {
        "en": "Your training is still running: stop it or wait for it to finish before starting another.",
        "ko": "아직 학습이 진행 중입니다: 중지하거나 끝난 뒤에 새 학습을 시작하세요.",
    },
    "models.job_header": {"en": "Training “{name}”", "ko": "“{name}” 학습"},
    "models.job_lost": {
        "en": "The server restarted and no longer follows your training. Models it saved appear in the table above.",
        "ko": "서버가 다시 시작되어 학습 상태를 더 이상 알 수 없습니다. 저장된 모델은 위 표에 나타납니다.",
    },
    "models.slots": {
        "en": "This server runs up to {cap} trainings at once: {running} running now, {queued} waiting.",
        "ko": "이 서버는 학습을 동시에 {cap}개까지 실행합니다. 지금 {running}개 실행 중, {queued}개 대기 중입니다.",
    },
    "models.queued": {
        "en": "Waiting in the queue: position {position}. It starts as soon as a training slot is free.",
        "ko": "대기열 {position}번째입니다. 학습 자리가 비면 바로 시작합니다.",
    },
    "models.cancel": {"en": "Cancel", "ko": "취소"},
    "models.starting": {"en": "Starting TensorFlow and loading the data…", "ko": "TensorFlow를 시작하고 데이터를 불러오는 중…"},
    "models.progress": {
        "en": "Epoch {epoch}/{epochs} · batch {batch}/{batches}",
        "ko": "에폭 {epoch}/{epochs} · 배치 {batch}/{batches}",
    },
    "models.elapsed": {"en": "Elapsed", "ko": "경과 시간"},
    "models.remaining": {"en": "Remaining (est.)", "ko": "남은 시간(예상)"},
    "models.batch_loss": {"en": "Loss (this epoch)", "ko": "손실 (이번 에폭)"},
    "models.stop": {"en": "Stop", "ko": "중지"},
    "models.stopping": {
        "en": "Stopping after the current batch; what was learnt in full epochs is kept…",
        "ko": "현재 배치가 끝나면 멈춥니다. 다 마친 에폭까지의 학습 결과는 저장됩니다…",
    },
    "models.done": {
        "en": "Saved **{name}**: val MSE {val_mse:.5f} after {epochs} epochs ({seconds}).",
        "ko": "**{name}** 저장 완료: {epochs} 에폭 학습 후 검증 MSE {val_mse:.5f} ({seconds}).",
    },
    "models.stopped_saved": {
        "en": "Stopped. **{name}** was saved with what it learnt in {epochs} epochs (val MSE {val_mse:.5f}).",
        "ko": "중지했습니다. **{name}**은(는) {epochs} 에폭까지 학습한 상태로 저장되었습니다 (검증 MSE {val_mse:.5f}).",
    },
    # Why a training ended without a saved model (ae_core.job_manager.EndReason codes).
    "models.end.stopped": {
        "en": "Stopped before a full epoch was done: nothing was saved.",
        "ko": "한 에폭을 마치기 전에 중지되어 저장된 것이 없습니다.",
    },
    "models.end.time_limit": {
        "en": "Stopped at the server's time limit for one training, before a full epoch was done: nothing was saved.",
        "ko": "학습 한 번에 허용된 시간이 다 되어 중지되었고, 한 에폭도 마치지 못해 저장된 것이 없습니다.",
    },
    "models.end.cancelled": {"en": "Cancelled before it started.", "ko": "시작하기 전에 취소했습니다."},
    "models.end.abandoned": {
        "en": "Cancelled while it waited in the queue: its page had been closed for a long time.",
        "ko": "대기열에서 기다리는 동안 페이지가 오래 닫혀 있어 취소되었습니다.",
    },
    "models.end.out_of_memory": {
        "en": "The training failed: the server ran out of memory. Try a smaller batch size or latent dim.",
        "ko": "학습에 실패했습니다: 서버의 메모리가 부족합니다. 배치 크기나 잠재 차원을 줄여 보세요.",
    },
    "models.end.signal": {
        "en": "The training was ended from outside (signal {number}, {name}); on a server this is often a lack of memory.",
        "ko": "학습이 외부에서 종료되었습니다 (시그널 {number}, {name}). 서버에서는 메모리 부족인 경우가 많습니다.",
    },
    "models.end.exit_code": {
        "en": "The training failed (exit code {code}).",
        "ko": "학습에 실패했습니다 (종료 코드 {code}).",
    },
    "models.end.error": {"en": "The training failed: {message}", "ko": "학습에 실패했습니다: {message}"},
    "models.end.dataset_missing": {
        "en": "The training could not load Fashion-MNIST on the server.",
        "ko": "학습 과정에서 서버의 Fashion-MNIST 데이터를 불러오지 못했습니다.",
    },
    "models.end.could_not_start": {
        "en": "The training could not be started on the server.",
        "ko": "서버에서 학습을 시작하지 못했습니다.",
    },
    "models.unavailable_header": {"en": "Unavailable models ({count})", "ko": "사용할 수 없는 모델 ({count})"},
    "models.unavailable_intro": {
        "en": "These folders in the model store hold no usable model; the other models are not affected.",
        "ko": "모델 저장소의 이 폴더들에는 사용할 수 있는 모델이 없습니다. 다른 모델에는 영향이 없습니다.",
    },
    "models.chart.x": {"en": "Epoch", "ko": "에폭"},
    "models.chart.y": {"en": "MSE", "ko": "MSE"},
    "models.chart.loss": {"en": "loss (training)", "ko": "손실 (학습)"},
    "models.chart.val_loss": {"en": "val loss (test images)", "ko": "검증 손실 (테스트 이미지)"},
    "models.chart.reference": {"en": "lecture {value}", "ko": "강의 기준 {value}"},
    "models.cosine": {"en": "Decay the learning rate to zero (cosine)", "ko": "학습률을 0까지 줄이기 (코사인)"},
    "models.cosine_help": {
        "en": "Often ends lower when you also raise the learning rate: conv-64 used 2e-3 with this over 30 epochs.",
        "ko": "학습률을 조금 높여 함께 쓰면 더 낮은 오차로 끝나는 경우가 많습니다. "
              "conv-64는 2e-3과 이 설정으로 30 에폭 학습했습니다.",
    },

    "models.col.kind": {"en": "Kind", "ko": "종류"},
    "models.kind.plain": {"en": "plain", "ko": "일반"},
    "models.kind.variational": {"en": "VAE (β = {beta})", "ko": "VAE (β = {beta})"},
    "models.kind.denoising": {"en": "denoising (noise {noise})", "ko": "노이즈 제거 (노이즈 {noise})"},
    "models.kind.leave_one_out": {"en": "trained without {label}", "ko": "{label} 빼고 학습"},
    "models.recipe": {
        "en": "Trained for {epochs} epochs, batch {batch}, learning rate {rate}; kind: {kind}.",
        "ko": "{epochs} 에폭, 배치 {batch}, 학습률 {rate}로 학습; 종류: {kind}.",
    },
    "models.detail_header": {"en": "How a model learnt", "ko": "모델이 학습한 과정"},
    "models.detail_choose": {"en": "Model", "ko": "모델"},
    "models.tab.curves": {"en": "Loss curves", "ko": "손실 곡선"},
    "models.tab.film": {"en": "Learning film", "ko": "학습 과정 영상"},
    "models.film.intro": {
        "en": "The same test images reconstructed after each epoch ({shown} of {epochs} epochs shown): watch the model "
              "learn, from blurry shapes to garments.",
        "ko": "에폭이 끝날 때마다 같은 테스트 이미지를 재구성한 결과입니다 (전체 {epochs} 에폭 중 {shown}개 표시). "
              "흐릿한 형태가 점점 옷의 모습을 갖춰 가는 과정을 볼 수 있습니다.",
    },
    "models.film.original": {"en": "original", "ko": "원본"},
    "models.film.epoch": {"en": "epoch {epoch}", "ko": "{epoch} 에폭"},
    "models.film.none": {
        "en": "This model was trained before the app recorded learning films. Train a new one to watch it learn.",
        "ko": "이 모델은 학습 과정을 기록하기 전에 학습되었습니다. 새 모델을 학습하면 학습 과정을 볼 수 있습니다.",
    },
    "models.film.unreadable": {
        "en": "This model's learning film could not be read.",
        "ko": "이 모델의 학습 과정 기록을 읽을 수 없습니다.",
    },
    "models.chart.reconstruction": {"en": "reconstruction term (cross-entropy, per image)",
                                    "ko": "재구성 항 (이미지당 교차 엔트로피)"},
    "models.chart.kl": {"en": "KL term (divergence from N(0, 1))", "ko": "KL 항 (N(0, 1)과의 차이)"},
    "models.range_help": {"en": "From {low} to {high}.", "ko": "{low}에서 {high} 사이의 값입니다."},
    "models.learning_rate_help": {
        "en": "Between 0.00001 and 0.1; 1e-3 is written the same as 0.001.",
        "ko": "0.00001에서 0.1 사이의 값입니다. 0.001은 1e-3으로 써도 됩니다.",
    },
    "models.variants": {"en": "Variants for the next lessons", "ko": "다음 수업을 위한 변형"},
    "models.variants_help": {
        "en": "Leave them as they are for the lecture's autoencoder.",
        "ko": "강의의 오토인코더를 학습하려면 그대로 두세요.",
    },
    "models.variational": {"en": "Variational (VAE)", "ko": "변분 오토인코더 (VAE)"},
    "models.variational_help": {
        "en": "The encoder gives a mean and a spread for each latent dimension; training decodes a random sample from "
              "them and pulls the codes towards N(0, 1). A 2-D VAE draws the whole latent space on the Latent grid page.",
        "ko": "인코더가 잠재 차원마다 평균과 퍼짐(분산)을 내놓고, 학습 때는 그 분포에서 뽑은 표본을 디코딩하며 잠재 벡터를 "
              "N(0, 1) 쪽으로 끌어당깁니다. 잠재 차원이 2인 VAE는 '잠재 공간 격자' 페이지에서 잠재 공간 전체를 볼 수 "
              "있습니다.",
    },
    "models.beta": {"en": "β (weight of the KL term)", "ko": "β (KL 항의 가중치)"},
    "models.beta_help": {
        "en": "Only for a VAE. 1 is the textbook VAE; larger values make a smoother latent space and blurrier images. "
              "Between 0 and 100.",
        "ko": "VAE에만 쓰입니다. 1이 교과서의 VAE이고, 값이 클수록 잠재 공간은 매끄러워지지만 이미지는 흐려집니다. "
              "0에서 100 사이의 값입니다.",
    },
    "models.noise_std": {"en": "Input noise std (denoising)", "ko": "입력 노이즈 표준편차 (노이즈 제거)"},
    "models.noise_std_help": {
        "en": "Above 0: a denoising autoencoder. Gaussian noise of this std is added to every training input, and the "
              "clean image is the target. 0.3 is a good start.",
        "ko": "0보다 크면 노이즈 제거 오토인코더가 됩니다. 학습 입력마다 이 표준편차의 가우시안 노이즈를 더하고, 깨끗한 "
              "이미지를 정답으로 씁니다. 0.3부터 시작해 보세요.",
    },
    "models.exclude_class": {"en": "Leave out class", "ko": "학습에서 뺄 클래스"},
    "models.exclude_none": {"en": "none (all ten classes)", "ko": "없음 (10개 클래스 모두)"},
    "models.exclude_help": {
        "en": "The model never sees this class: the Anomalies page then asks whether its reconstruction error finds it.",
        "ko": "모델이 이 클래스를 한 번도 보지 못하게 합니다. '이상 탐지' 페이지에서 재구성 오차로 이 클래스를 찾아낼 수 "
              "있는지 확인합니다.",
    },
    "models.error.not_a_number": {
        "en": "{field}: “{value}” is not a number. Write it like 0.001 or 1e-3.",
        "ko": "{field}: “{value}”은(는) 숫자가 아닙니다. 0.001이나 1e-3처럼 써 주세요.",
    },
    "models.error.beta": {
        "en": "β must be between {low} and {high} (got {value}).",
        "ko": "β는 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.error.noise_std": {
        "en": "The noise std must be between {low} and {high} (got {value}).",
        "ko": "노이즈 표준편차는 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.error.exclude_class": {
        "en": "The class to leave out must be between {low} and {high} (got {value}).",
        "ko": "뺄 클래스는 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    },
    "models.download_model": {"en": "Download {name}.keras", "ko": "{name}.keras 내려받기"},
    "models.download_model_help": {
        "en": "The model file opens in any Python with Keras: keras.saving.load_model(path); "
              "model.get_layer(\"encoder\") and model.get_layer(\"decoder\") are its two halves.",
        "ko": "Keras가 있는 어떤 파이썬에서도 열 수 있습니다: keras.saving.load_model(path). "
              "model.get_layer(\"encoder\")와 model.get_layer(\"decoder\")가 인코더와 디코더입니다.",
    },
}
