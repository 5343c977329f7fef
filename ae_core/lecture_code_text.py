"""The words of the lecture's code for a model (ae_core/lecture_code.py), in Korean and English: its headings, notes and
comments. The Korean keeps the lecture note's own sentences where it has them ("# 정규화", "# 인코더 정의", "x의 값을
target 값으로도 이용할 것이기 때문에 y 값은 받지 않는다."); the English says the same (docs/design.md, "The lecture's
code for a model").

These are the text of a program a student takes home, written by the CLI as well as the page, so they live beside the
generator in ae_core and not in ui/strings (which holds what the page itself says: its buttons and captions).

Usage: `TEXTS["ko"]["heading.imports"]` → "1) 패키지 로드"
"""

TEXTS = {
    "ko": {
        "title": "오토인코더 실험실: '{name}' 모델을 강의의 Keras 코드로",
        "intro": "앱에 저장된 '{name}' 모델을 처음부터 다시 만들고 학습하는 코드입니다. 설정은 앱에서 그 모델을 학습한 "
                 "값 그대로입니다.",
        "app_result": "앱에서 이 모델의 검증 MSE: {val_mse} ({images})",
        "images.all": "테스트 이미지 10,000장",
        "images.without": "클래스 {number}({label}) 이미지를 뺀 테스트 이미지",
        "stopped": "앱의 모델은 {epochs} 에폭 중 {completed} 에폭까지 학습하고 중지되었습니다.",
        "same_maths": "앱은 같은 계산을 더 빠른 자체 학습 루프로 하므로, 결과는 비슷하지만 똑같지는 않습니다.",
        "needs": "필요한 것: tensorflow, numpy, matplotlib (Colab에는 모두 있습니다).",
        "run": "실행: python {file}",
        "kind.dense": "강의의 오토인코더: Dense 784 → {latent_dim}(relu) → 784(sigmoid)",
        "kind.dense_vae": "Dense 오토인코더: 784 → {hidden}(relu) → 잠재 {latent_dim}차원 → {hidden}(relu) → 784(sigmoid)",
        "kind.conv": "합성곱 오토인코더: Conv {encoder_filters} (stride 2) → Dense({latent_dim}) → Dense → "
                     "ConvTranspose {decoder_filters} → Conv(1, sigmoid)",
        "kind.vae": "변분 오토인코더(VAE, β = {beta}): 인코더가 잠재 차원마다 평균과 로그 분산을 냅니다",
        "variant.noise": "노이즈 제거: 학습할 때 입력에 표준편차 {noise_std}의 가우시안 노이즈를 더하고, 깨끗한 원본을 "
                         "목표로 합니다",
        "variant.exclude": "클래스 {number}({label}) 없이 학습: 이상 탐지 실습용으로, 모델은 이 클래스를 본 적이 없습니다",
        "variant.fraction": "학습 이미지의 {percent}%만 사용합니다 (앱과 같은 시드로 뽑은 같은 표본)",
        "variant.cosine": "학습률을 코사인 곡선을 따라 0까지 줄입니다",

        "heading.settings": "0) 설정",
        "note.settings": "앱에서 이 모델을 학습한 값입니다. 바꿔서 실험해 보세요.",
        "note.subset": "subset에 2000처럼 숫자를 넣으면 학습·테스트 이미지를 앞에서부터 그만큼만 써서 빠르게 시험해 볼 수 "
                       "있습니다.",
        "setting.latent_dim": "잠재 벡터의 차원: 784 픽셀을 이만큼의 숫자로 압축합니다",
        "setting.epochs": "학습 이미지 전체를 몇 번 볼지",
        "setting.batch_size": "최적화 한 단계에 쓰는 이미지 수",
        "setting.learning_rate": "Adam의 학습률",
        "setting.beta": "손실에서 KL 항의 가중치 β",
        "setting.noise_std": "학습 입력에 더하는 노이즈의 표준편차",
        "setting.exclude_class": "학습에서 뺄 클래스: {label}",
        "setting.train_fraction": "학습 이미지 중 쓸 비율",
        "setting.seed": "가중치 초기화와 섞기의 난수 시드",
        "setting.seed_noise": "가중치 초기화, 섞기, 노이즈의 난수 시드",
        "setting.subset": "None이면 모든 이미지, 2000이면 앞에서부터 2000장만 (빠른 시험용)",

        "heading.imports": "1) 패키지 로드",
        "comment.style": "강의의 'seaborn-white' (matplotlib 3.6부터 이 이름)",

        "heading.data": "2) Data Load",
        "note.no_labels": "x의 값을 target 값으로도 이용할 것이기 때문에 y 값은 받지 않는다.",
        "note.labels": "뺄 클래스를 고르려고 y 값(레이블)도 받습니다. 목표는 여전히 x 자신입니다.",
        "comment.seed": "난수 시드: 실행할 때마다 같은 가중치 초기값과 같은 섞기",
        "comment.normalize": "정규화",
        "comment.exclude": "클래스 {label}의 이미지를 학습과 검증에서 뺍니다: 모델은 이 클래스를 한 번도 보지 못합니다",
        "comment.fraction": "학습 이미지 중 train_fraction만 씁니다: 앱과 같은 시드로 뽑은 같은 표본입니다",
        "comment.subset": "빠르게 시험할 때만: 앞에서부터 subset장",

        "heading.model": "3) 모델 정의",
        "note.dense": "이미지를 {latent_dim}차원 잠재 벡터로 압축하는 encoder 및 잠재 공간에서 원본 이미지를 재구성하는 "
                      "decoder 라는 두 개의 Dense layer로 Auto encoder 정의",
        "note.conv": "encoder는 합성곱 층(stride 2)으로 28×28 이미지를 14×14, 7×7로 줄인 뒤 {latent_dim}차원 잠재 벡터로, "
                     "decoder는 전치 합성곱 층으로 7×7에서 다시 28×28로 키웁니다",
        "note.vae": "encoder는 이미지마다 잠재 공간의 정규분포 하나(차원마다 평균과 로그 분산)를 내고, 학습할 때는 그 분포에서 "
                    "뽑은 표본을 decoder가 복원합니다",
        "note.vae_loss": "손실 = 재구성 항(픽셀마다 이진 교차 엔트로피, 이미지마다 합) + β × KL 발산(인코더의 분포와 "
                         "N(0, I) 사이): train_step에서 직접 계산합니다",
        "note.vae_validation": "검증은 평균을 복원한 이미지의 MSE입니다: 앱이 모든 모델을 비교하는 기준입니다",
        "note.noise": "학습할 때만 입력에 노이즈를 더합니다. 목표는 깨끗한 원본이라서, 모델은 노이즈를 지우는 법을 배웁니다",
        "note.subclassing": "Keras Model Subclassing API를 사용",
        "comment.encoder": "인코더 정의",
        "comment.decoder": "디코더 정의",
        "comment.vae_encoder": "인코더 정의: 잠재 공간의 평균과 로그 분산, 두 개의 출력",
        "comment.noise": "학습할 때만: 입력에 노이즈를 더하고 [0, 1]로 자릅니다",
        "comment.trackers": "에폭마다 평균을 내는 손실 기록",
        "comment.decode_mean": "재구성은 평균을 복원합니다 (표본을 뽑는 것은 학습할 때뿐)",
        "comment.sample": "재매개변수화: 평균 + 표준편차 × N(0, 1)의 잡음",
        "comment.clip": "log(0)이 되지 않게",
        "comment.reconstruction": "재구성 항: 픽셀마다 이진 교차 엔트로피, 이미지마다 합",
        "comment.kl": "KL 항: 인코더의 분포와 N(0, I) 사이의 KL 발산",
        "comment.validation": "검증: 평균을 복원한 이미지의 MSE",

        "heading.compile": "4) 모델 생성 및 컴파일",
        "comment.cosine": "학습률: 학습이 끝날 때까지 코사인 곡선을 따라 0으로 줄입니다",
        "comment.vae_compile": "손실은 train_step에서 계산하므로 optimizer만 정합니다",
        "comment.summary": "층마다 출력 크기와 파라미터 수",

        "heading.fit": "5) 모델 학습",
        "note.fit_input": "x_train을 입력과 타겟 모두로 사용하여 모델을 훈련",
        "note.fit_halves": "encoder는 데이터 세트를 784 차원에서 잠재 공간으로 압축하는 방법을 배우고, decoder는 원본 이미지를 "
                           "재구성하는 방법을 배운다.",

        "heading.test": "6) 모델 테스트",
        "comment.encode": "이미지 인코딩",
        "comment.decode": "이미지 디코딩",
        "comment.decode_vae": "이미지 디코딩: 평균을 복원",
        "comment.save_figure": "그림 파일로도 저장합니다",

        "heading.evaluate": "7) 평가",
        "note.evaluate": "검증 MSE: 테스트 이미지의 모든 픽셀에 대한 평균 제곱 오차로, 앱이 보여 주는 값과 같은 기준입니다.",
        "print.app_model": "앱의 모델",
    },
    "en": {
        "title": "Autoencoder Lab: the model '{name}' as the lecture's Keras code",
        "intro": "This code builds and trains the app's stored model '{name}' from scratch, with the settings the app "
                 "trained it with.",
        "app_result": "The app's model reached val MSE {val_mse} ({images})",
        "images.all": "the 10,000 test images",
        "images.without": "the test images without class {number}, {label}",
        "stopped": "The app's model was stopped after {completed} of its {epochs} epochs.",
        "same_maths": "The app does the same maths in its own, faster training loop: expect figures close to its own, "
                      "not identical.",
        "needs": "Needs: tensorflow, numpy, matplotlib (Colab has them all).",
        "run": "Run: python {file}",
        "kind.dense": "The lecture's autoencoder: Dense 784 → {latent_dim} (relu) → 784 (sigmoid)",
        "kind.dense_vae": "A dense autoencoder: 784 → {hidden} (relu) → {latent_dim}-D latent → {hidden} (relu) → 784 "
                          "(sigmoid)",
        "kind.conv": "A convolutional autoencoder: Conv {encoder_filters} (stride 2) → Dense({latent_dim}) → Dense → "
                     "ConvTranspose {decoder_filters} → Conv(1, sigmoid)",
        "kind.vae": "A variational autoencoder (VAE, β = {beta}): the encoder gives a mean and a log-variance per latent "
                    "dimension",
        "variant.noise": "Denoising: while training, Gaussian noise of standard deviation {noise_std} is added to the "
                         "inputs and the clean image is the target",
        "variant.exclude": "Trained without class {number}, {label}, for the anomaly lesson: the model has never seen it",
        "variant.fraction": "Trained on {percent}% of the training images (the same sample as the app's, from the seed)",
        "variant.cosine": "The learning rate decays to zero along a cosine",

        "heading.settings": "0) Settings",
        "note.settings": "The values the app trained this model with. Change them and see what happens.",
        "note.subset": "Set subset to a number such as 2000 to try the code quickly on that many training and test images.",
        "setting.latent_dim": "the size of the code: the 784 pixels are compressed into this many numbers",
        "setting.epochs": "how many times the training images are gone through",
        "setting.batch_size": "images per optimizer step",
        "setting.learning_rate": "Adam's step size",
        "setting.beta": "the weight β of the KL term in the loss",
        "setting.noise_std": "the standard deviation of the noise on the training inputs",
        "setting.exclude_class": "the class left out of training: {label}",
        "setting.train_fraction": "the share of the training images used",
        "setting.seed": "the random seed of the initial weights and the shuffle",
        "setting.seed_noise": "the random seed of the initial weights, the shuffle and the noise",
        "setting.subset": "None for every image; 2000 for the first 2000 only (a quick try)",

        "heading.imports": "1) Load the packages",
        "comment.style": "the lecture's 'seaborn-white', by its name since matplotlib 3.6",

        "heading.data": "2) Load the data",
        "note.no_labels": "The images are the targets too, so the labels (y) are not kept.",
        "note.labels": "The labels (y) are kept to leave a class out; the targets are still the images themselves.",
        "comment.seed": "the random seed: the same initial weights and the same shuffle",
        "comment.normalize": "scale the pixels to [0, 1]",
        "comment.exclude": "class {label} is left out of the training and validation images: the model never sees it",
        "comment.fraction": "train_fraction of the training images: the same sample as the app's, drawn from the seed",
        "comment.subset": "only for a quick try: the first subset images",

        "heading.model": "3) Define the model",
        "note.dense": "An autoencoder of two Dense layers: the encoder compresses an image into a {latent_dim}-dimensional "
                      "code, the decoder rebuilds the image from the code",
        "note.conv": "The encoder's strided convolutions take the 28×28 image down to 14×14 and 7×7, then to a "
                     "{latent_dim}-dimensional code; the decoder's transposed convolutions go from 7×7 back up to 28×28",
        "note.vae": "The encoder gives a normal distribution in the latent space for each image (a mean and a "
                    "log-variance per dimension); while training, the decoder rebuilds a sample drawn from it",
        "note.vae_loss": "The loss is a reconstruction term (each pixel's binary cross-entropy, summed over the image) plus "
                         "β times the KL divergence between the encoder's distribution and N(0, I), computed in "
                         "train_step",
        "note.vae_validation": "Validation measures the MSE of the mean's reconstruction: the figure the app compares all "
                               "models by",
        "note.noise": "Noise is added to the inputs only while training; the target is the clean image, so the model "
                      "learns to remove noise",
        "note.subclassing": "Built with Keras' Model subclassing API",
        "comment.encoder": "the encoder",
        "comment.decoder": "the decoder",
        "comment.vae_encoder": "the encoder: two outputs, the mean and the log-variance in the latent space",
        "comment.noise": "only while training: noise on the inputs, clipped to [0, 1]",
        "comment.trackers": "the losses, averaged over each epoch",
        "comment.decode_mean": "a reconstruction decodes the mean (samples are drawn only while training)",
        "comment.sample": "the reparameterization trick: mean + standard deviation × N(0, 1) noise",
        "comment.clip": "keeps the logarithms finite",
        "comment.reconstruction": "reconstruction term: each pixel's binary cross-entropy, summed over the image",
        "comment.kl": "KL term: the divergence between the encoder's distribution and N(0, I)",
        "comment.validation": "validation: the MSE of the mean's reconstruction",

        "heading.compile": "4) Create and compile the model",
        "comment.cosine": "the learning rate follows a cosine down to zero by the end of training",
        "comment.vae_compile": "the loss is computed in train_step: only the optimizer is given here",
        "comment.summary": "each layer's output shape and number of parameters",

        "heading.fit": "5) Train the model",
        "note.fit_input": "x_train is both the input and the target",
        "note.fit_halves": "The encoder learns to compress the images from 784 dimensions into the latent space, the "
                           "decoder to rebuild the original images.",

        "heading.test": "6) Test the model",
        "comment.encode": "encode the images",
        "comment.decode": "decode them",
        "comment.decode_vae": "decode them: the means rebuilt",
        "comment.save_figure": "also saved as a picture",

        "heading.evaluate": "7) Evaluate",
        "note.evaluate": "Val MSE: the mean squared error over every pixel of the test images, as the app measures it.",
        "print.app_model": "the app's model",
    },
}
