"""The layout's rules, checked: what ae_core (and the store within it) may import, where pages live, a quiet and quick
CLI, one place for the project's root, no unused UI strings."""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from ui.i18n import STRINGS

PROJECT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


CORE_FILES = sorted((PROJECT / "ae_core").rglob("*.py"))


def core_id(path: Path) -> str:
    return str(path.relative_to(PROJECT))


@pytest.mark.parametrize("path", CORE_FILES, ids=core_id)
def test_ae_core_imports_neither_streamlit_nor_the_ui(path):
    forbidden = {module for module in imported_modules(path)
                 if module.split(".")[0] in ("streamlit", "ui", "views", "app")}
    assert not forbidden, f"{core_id(path)} imports {forbidden}: ae_core holds the logic and no UI"


@pytest.mark.parametrize("path", sorted((PROJECT / "ae_core" / "store").rglob("*.py")), ids=core_id)
def test_the_store_imports_no_training_code(path):
    # Scripts and notebooks load models with `from ae_core import store` and nothing of the trainer's.
    forbidden = {module for module in imported_modules(path) if module.startswith("ae_core.training")}
    assert not forbidden, f"{core_id(path)} imports {forbidden}: the store knows nothing of training"


def test_importing_all_of_ae_core_loads_no_streamlit_and_no_ui_strings():
    script = ("import importlib, pkgutil, sys, ae_core\n"
              "for module in pkgutil.walk_packages(ae_core.__path__, 'ae_core.'):\n"
              "    importlib.import_module(module.name)\n"
              "print(len(sys.modules), sorted(name for name in sys.modules if name.split('.')[0] in ('streamlit', 'ui')))")
    completed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True,
                               env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert completed.stdout.strip().endswith(" []"), completed.stdout
    assert "ae_core.training.job_manager" in subprocess.run(
        [sys.executable, "-c", script.replace("print(len(sys.modules), ", "print(list(sys.modules), ")], cwd=PROJECT,
        capture_output=True, text=True, check=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}).stdout, \
        "the walk reached the subpackages"


@pytest.mark.parametrize("path", CORE_FILES, ids=core_id)
def test_only_ae_core_init_finds_the_project_root(path):
    # A module that counts parents from its own file breaks when it moves into a subpackage: ae_core.PROJECT_ROOT is
    # the one answer.
    if path == PROJECT / "ae_core" / "__init__.py":
        return
    assert "Path(__file__)" not in path.read_text(encoding="utf-8"), f"{core_id(path)}: use ae_core.PROJECT_ROOT"


def test_no_pages_folder_beside_app_py():
    # Streamlit would treat the app as a legacy multipage app and run a directly opened page without app.py
    # (docs/design.md, "No pages/ folder beside app.py"): the pages live in views/.
    assert not (PROJECT / "pages").exists()


CLI_PROBE = """
import sys
from ae_core.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:  # --help
    code = exit.code
heavy = sorted(name for name in ("tensorflow", "keras") if name in sys.modules)
print("HEAVY:" + ",".join(heavy))
sys.exit(code)
"""


@pytest.mark.parametrize("arguments", [["--help"], ["list"], ["list", "--json"], ["train", "--help"], ["code", "dense-64"],
                                       ["code", "vae-conv-16", "--notebook", "--lang", "en"]])
def test_help_list_and_code_import_no_tensorflow_and_print_nothing_of_it(arguments):
    completed = subprocess.run([sys.executable, "-c", CLI_PROBE, *arguments], cwd=PROJECT, capture_output=True,
                               text=True, timeout=60, check=False, env={key: value for key, value in os.environ.items()
                                                           if key != "TF_CPP_MIN_LOG_LEVEL"})
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().endswith("HEAVY:"), completed.stdout[-300:]
    assert completed.stderr == ""


def test_evaluate_prints_no_tensorflow_start_up_lines():
    environment = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    completed = subprocess.run([sys.executable, "-m", "ae_core", "evaluate", "dense-64", "--json"], cwd=PROJECT,
                               capture_output=True, text=True, timeout=300, env=environment, check=False)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stderr == "", completed.stderr[-2000:]
    verbose = subprocess.run([sys.executable, "-m", "ae_core", "evaluate", "dense-64", "--json", "--verbose"],
                             cwd=PROJECT, capture_output=True, text=True, timeout=300, env=environment, check=False)
    assert verbose.returncode == 0 and verbose.stdout == completed.stdout


SOURCE_FOLDERS = ("ae_core", "ui", "views", "tests", "scripts", "bench")


def source_files() -> list[Path]:
    return [PROJECT / "app.py", *[path for folder in SOURCE_FOLDERS for path in (PROJECT / folder).rglob("*.py")
                                  if "strings" not in path.parts and path.name != "i18n.py"]]


def dynamic_suffixes() -> dict[str, set[str]]:
    """The key families that code builds with an f-string (`t(f"class.{index}")`), and every suffix the code can put
    after each prefix, from the code's own definitions. A family not listed here counts a key as used only when its
    suffix is a string the code writes literally (an EndReason("abandoned"), a reason code)."""
    from ae_core import config
    from ae_core.config import ARCHITECTURES, SETTINGS
    from ui.strings.plotly import NAMES as PLOTLY_NAMES
    from ui.training_form import GROUPS

    setting_keys = set()
    for setting in SETTINGS:
        setting_keys |= {setting.name, f"{setting.name}.help", *([f"{setting.name}.none"] if setting.optional else [])}
        if not setting.labels and setting.choices:
            setting_keys |= {f"{setting.name}.{choice}" for choice in setting.choices}
    return {
        "arch.": set(ARCHITECTURES),
        "class.": {str(index) for index in range(config.CLASS_RANGE[1] + 1)},
        "plotly.": set(PLOTLY_NAMES),
        "models.group.": set(GROUPS) | {f"{group}.help" for group in GROUPS},
        "setting.": setting_keys,
    }


def unused_strings() -> list[str]:
    """The UI string keys no code uses. A key is used where it appears literally; a key that code builds (an f-string's
    prefix, then a value) is used where the value is one the code can produce (dynamic_suffixes, or a string it writes
    literally)."""
    texts, literals, prefixes = [], set(), set()
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        literals |= {node.value for node in ast.walk(ast.parse(text))
                     if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        prefixes |= set(re.findall(r"""f["']([a-z_]+(?:\.[a-z_]+)*\.)\{""", text))
    text = "\n".join(texts)
    families = dynamic_suffixes()
    unused = []
    for key in STRINGS:
        if f'"{key}"' in text or f"'{key}'" in text:
            continue
        family = max((prefix for prefix in prefixes if key.startswith(prefix)), key=len, default=None)
        suffix = key[len(family):] if family else None
        if family and (suffix in families[family] if family in families else suffix in literals):
            continue
        unused.append(key)
    return unused


def test_every_ui_string_is_used():
    assert unused_strings() == []


def test_the_string_check_finds_an_unused_key(monkeypatch):
    # A key under a family's prefix whose suffix no code produces is reported, as a plain unused key is (the suffixes
    # are made now: written here, they would be literals of the source the check reads).
    unused = [f"setting.{secrets.token_hex(4)}", f"models.end.{secrets.token_hex(4)}", f"{secrets.token_hex(4)}.title"]
    for key in unused:
        monkeypatch.setitem(STRINGS, key, {"en": "x", "ko": "x"})
    assert unused_strings() == unused


def test_readme_layout_names_every_top_level_folder():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1]
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True).stdout.split()
    folders = {path.split("/")[0] for path in tracked if "/" in path and not path.startswith(".")}
    missing = [folder for folder in sorted(folders) if f"{folder}/" not in layout]
    assert missing == [], f"README's layout section does not mention {missing}"
    named = set(re.findall(r"^([a-z_]+)/", layout, flags=re.MULTILINE))
    assert named <= folders | {"trained"}, f"README's layout names folders that do not exist: {named - folders}"


@pytest.mark.parametrize("path", sorted((PROJECT / "ae_core" / "training").glob("*.py")) +
                         sorted((PROJECT / "ae_core" / "store").glob("*.py")) +
                         sorted((PROJECT / "ae_core" / "classroom").rglob("*.py")), ids=core_id)
def test_the_training_store_and_classroom_modules_stay_small(path):
    # jobs.py once held the manager, its statuses, the child's command, request validation and the event format in
    # 476 lines, store.py five concepts in 691: each part stays readable on its own.
    assert len(path.read_text(encoding="utf-8").splitlines()) < 250
