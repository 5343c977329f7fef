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
    "models.start": {"en": "Start training", "ko": "학습 시작"},
    "models.error.bad_name": {
        "en": "“{value}” is not a valid name: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.",
        "ko": "“{value}”은(는) 쓸 수 없는 이름입니다: 영문자, 숫자, '-', '_', '.'로 1-64자, '.'로 시작하지 않게 지어 주세요.",
    },
    "models.error.name_taken": {
        "en": "A model or a training named “{value}” already exists: choose another name.",
        "ko": "“{value}” 이름의 모델이나 학습이 이미 있습니다: 다른 이름을 지어 주세요.",
    },
    "models.error.disk_full": {
        "en": "The server's disk is full, so no training can start now. Nothing was saved; ask your teacher to make "
              "room on the server, then start it again.",
        "ko": "서버 디스크가 가득 차서 지금은 학습을 시작할 수 없습니다. 아무것도 저장되지 않았습니다. 선생님께 서버 공간을 "
              "확보해 달라고 한 뒤 다시 시작하세요.",
    },
    "models.error.not_writable": {
        "en": "The server may not write to its model folder, so no training can start. Nothing was saved; ask your "
              "teacher to check the server.",
        "ko": "서버가 모델 폴더에 쓸 수 없어 학습을 시작할 수 없습니다. 아무것도 저장되지 않았습니다. 선생님께 서버 확인을 "
              "부탁하세요.",
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
    # Why a training ended without a saved model (ae_core.training.job_status.EndReason codes).
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
    "models.end.disk_full": {
        "en": "The training could not start: the server's disk is full. Nothing was saved.",
        "ko": "서버 디스크가 가득 차서 학습을 시작하지 못했습니다. 아무것도 저장되지 않았습니다.",
    },
    "models.end.could_not_start": {
        "en": "The training could not be started on the server.",
        "ko": "서버에서 학습을 시작하지 못했습니다.",
    },
    # A job that another server process ran (a tab whose process died reconnects to another one): ui/training.py.
    "models.end.server_restarted": {
        "en": "The server process that ran this training restarted before a full epoch was done: nothing was saved. "
              "You can start it again above.",
        "ko": "이 학습을 실행하던 서버 프로세스가 한 에폭을 마치기 전에 다시 시작되어 저장된 것이 없습니다. "
              "위에서 학습을 다시 시작할 수 있습니다.",
    },
    "models.restarted_saved": {
        "en": "The server process that ran this training restarted, and the training stopped with it: **{name}** was "
              "saved with what it learnt in {epochs} of {planned} epochs (val MSE {val_mse:.5f}).",
        "ko": "이 학습을 실행하던 서버 프로세스가 다시 시작되면서 학습도 멈췄습니다. **{name}**은(는) {planned} 에폭 중 "
              "{epochs} 에폭까지 학습한 상태로 저장되었습니다 (검증 MSE {val_mse:.5f}).",
    },
    "models.restarted": {
        "en": "The server process that ran this training has restarted. {text}",
        "ko": "이 학습을 실행하던 서버 프로세스가 다시 시작되었습니다. {text}",
    },
    "models.restarted_running": {
        "en": "The server process that ran this training has restarted: the training stops too, and keeps what it "
              "learnt in full epochs…",
        "ko": "이 학습을 실행하던 서버 프로세스가 다시 시작되었습니다. 학습도 곧 멈추며, 다 마친 에폭까지의 학습 결과는 "
              "저장됩니다…",
    },
    "models.elsewhere_running": {
        "en": "This training runs on another server process of the class: its progress shows here, but it cannot be "
              "stopped from this page.",
        "ko": "이 학습은 수업의 다른 서버 프로세스에서 실행 중입니다. 진행 상황은 여기에 표시되지만 이 페이지에서는 "
              "중지할 수 없습니다.",
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
    "models.error.not_a_number": {
        "en": "{field}: “{value}” is not a number. Write it like 0.001 or 1e-3.",
        "ko": "{field}: “{value}”은(는) 숫자가 아닙니다. 0.001이나 1e-3처럼 써 주세요.",
    },
    "models.download_model": {"en": "Download {name}.keras", "ko": "{name}.keras 내려받기"},
    "models.download_code": {"en": "The lecture's code (.py)", "ko": "강의 코드 (.py)"},
    "models.download_code_help": {
        "en": "The lecture's Keras code that builds and trains this very model with its settings, for your own "
              "computer or Colab. Run it with python: it plots originals over reconstructions and prints the val MSE "
              "it reaches.",
        "ko": "이 모델을 그 설정 그대로 만들고 학습하는 강의 스타일의 Keras 코드입니다. 내 컴퓨터나 Colab에서 "
              "python으로 실행하면 원본과 재구성 이미지를 그리고, 도달한 검증 MSE를 출력합니다.",
    },
    "models.download_notebook": {"en": "Notebook (.ipynb)", "ko": "노트북 (.ipynb)"},
    "models.download_notebook_help": {
        "en": "The same code as a Jupyter notebook under the lecture's headings; it opens in Jupyter or Colab.",
        "ko": "같은 코드를 강의의 순서대로 나눈 Jupyter 노트북입니다. Jupyter나 Colab에서 열 수 있습니다.",
    },
    "models.tab.code": {"en": "Keras code", "ko": "Keras 코드"},
    "models.code.intro": {
        "en": "The lecture's Keras code that builds and trains {name} with the settings it was trained with. To try it "
              "in a minute, set subset = 2000 and epochs = 1.",
        "ko": "{name} 모델을 학습할 때의 설정 그대로 만들고 학습하는 강의 스타일의 Keras 코드입니다. 1분 안에 시험해 "
              "보려면 subset = 2000, epochs = 1로 바꿔 보세요.",
    },
    "models.code.unavailable": {
        "en": "No code can be written for {name}: its stored settings hold a value no training could have had. "
              "{problem}",
        "ko": "{name} 모델의 코드를 만들 수 없습니다: 저장된 설정에 어떤 학습도 가질 수 없는 값이 있습니다. {problem}",
    },
    "models.download_model_help": {
        "en": "The model file opens in any Python with Keras: keras.saving.load_model(path); "
              "model.get_layer(\"encoder\") and model.get_layer(\"decoder\") are its two halves.",
        "ko": "Keras가 있는 어떤 파이썬에서도 열 수 있습니다: keras.saving.load_model(path). "
              "model.get_layer(\"encoder\")와 model.get_layer(\"decoder\")가 인코더와 디코더입니다.",
    },
}
