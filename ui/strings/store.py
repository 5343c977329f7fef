"""Strings of the model store: why a folder holds no usable model (ae_core.store.UnavailableModel.reason)."""

STRINGS = {
    "store.reason.symlink": {"en": "it is a symbolic link, which the store never follows",
                             "ko": "심볼릭 링크이므로 저장소가 따라가지 않습니다"},
    "store.reason.bad_name": {"en": "its folder name is not a valid model name", "ko": "폴더 이름이 올바른 모델 이름이 아닙니다"},
    "store.reason.no_metadata": {"en": "it has no metadata.json", "ko": "metadata.json 파일이 없습니다"},
    "store.reason.unreadable": {"en": "its files cannot be read", "ko": "파일을 읽을 수 없습니다"},
    "store.reason.too_large": {"en": "a file in it is far larger than a model's",
                               "ko": "모델 파일로 보기에는 너무 큰 파일이 있습니다"},
    "store.reason.not_json": {"en": "its metadata.json is incomplete or not JSON",
                              "ko": "metadata.json이 불완전하거나 JSON 형식이 아닙니다"},
    "store.reason.not_object": {"en": "its metadata.json does not hold an object",
                                "ko": "metadata.json에 객체(object)가 들어 있지 않습니다"},
    "store.reason.missing": {"en": "its metadata.json lacks a required field", "ko": "metadata.json에 필요한 항목이 빠져 있습니다"},
    "store.reason.wrong_type": {"en": "a field of its metadata.json has the wrong type",
                                "ko": "metadata.json 항목의 형식이 잘못되었습니다"},
    "store.reason.out_of_range": {"en": "a value in its metadata.json is out of range",
                                  "ko": "metadata.json의 값이 허용 범위를 벗어났습니다"},
    "store.reason.bad_file_name": {"en": "its metadata.json names a model file outside its folder or of a foreign name",
                                   "ko": "metadata.json이 폴더 밖의 파일이나 규칙에 맞지 않는 이름의 모델 파일을 가리킵니다"},
    "store.reason.missing_file": {"en": "the model file its metadata.json names is missing",
                                  "ko": "metadata.json이 가리키는 모델 파일이 없습니다"},
    "store.reason.not_a_file": {"en": "the model file its metadata.json names is not a regular file",
                                "ko": "metadata.json이 가리키는 모델 파일이 일반 파일이 아닙니다"},
    "store.reason.checksum": {"en": "the model file does not match the checksum in its metadata.json",
                              "ko": "모델 파일이 metadata.json의 체크섬과 일치하지 않습니다"},
    "store.reason.not_loadable": {"en": "the model file is damaged or not a Keras model",
                                  "ko": "모델 파일이 손상되었거나 Keras 모델이 아닙니다"},
    "store.reason.mismatch": {"en": "its metadata.json describes another model than its model file holds (e.g. conv for a "
                                    "dense model)",
                              "ko": "metadata.json에 적힌 모델 구조가 모델 파일의 실제 구조와 다릅니다 (예: dense 모델인데 conv로 "
                                    "적혀 있음)"},
    "store.reason.duplicate_name": {"en": "a shipped model already has this name", "ko": "같은 이름의 기본 제공 모델이 있습니다"},
    "store.reason.not_found": {"en": "it is no longer in the store", "ko": "저장소에 더 이상 없습니다"},
    # A training's end (ae_core.training.job_status.EndReason "dataset_corrupt"), beside models.end.dataset_missing.
    "models.end.dataset_corrupt": {
        "en": "The training could not load Fashion-MNIST: the server's copies of it are damaged.",
        "ko": "학습 과정에서 Fashion-MNIST를 불러오지 못했습니다: 서버에 있는 데이터 파일이 손상되었습니다.",
    },
}
