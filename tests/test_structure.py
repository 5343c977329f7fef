"""The layout's rules, checked: what ae_core may import, where pages live, a quiet and quick CLI, no unused UI strings."""

import ast
import os
import re
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


@pytest.mark.parametrize("path", sorted((PROJECT / "ae_core").glob("*.py")), ids=lambda path: path.name)
def test_ae_core_imports_neither_streamlit_nor_the_ui(path):
    forbidden = {module for module in imported_modules(path)
                 if module.split(".")[0] in ("streamlit", "ui", "views", "app")}
    assert not forbidden, f"{path.name} imports {forbidden}: ae_core holds the logic and no UI"


def test_importing_all_of_ae_core_loads_no_streamlit_and_no_ui_strings():
    script = ("import importlib, pkgutil, sys, ae_core\n"
              "for module in pkgutil.iter_modules(ae_core.__path__):\n"
              "    importlib.import_module('ae_core.' + module.name)\n"
              "print(sorted(name for name in sys.modules if name.split('.')[0] in ('streamlit', 'ui')))")
    completed = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True,
                               env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert completed.stdout.strip() == "[]"


def test_no_pages_folder_beside_app_py():
    # Streamlit would treat the app as a legacy multipage app and run a directly opened page without app.py
    # (docs/design.md, "No pages/ folder beside app.py"): the pages live in views/.
    assert not (PROJECT / "pages").exists()


CLI_PROBE = """
import sys
from ae_core.__main__ import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:  # --help
    code = exit.code
heavy = sorted(name for name in ("tensorflow", "keras") if name in sys.modules)
print("HEAVY:" + ",".join(heavy))
sys.exit(code)
"""


@pytest.mark.parametrize("arguments", [["--help"], ["list"], ["list", "--json"], ["train", "--help"]])
def test_help_and_list_import_no_tensorflow_and_print_nothing_of_it(arguments):
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


def source_text() -> str:
    folders = ("ae_core", "ui", "views", "tests", "scripts", "bench")
    files = [PROJECT / "app.py", *[path for folder in folders for path in (PROJECT / folder).rglob("*.py")
                                   if "strings" not in path.parts and path.name != "i18n.py"]]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_ui_string_is_used():
    """A key is used if it appears literally, or if the part before its last dot starts an f-string's key."""
    text = source_text()
    unused = []
    for key in STRINGS:
        prefix = key.rsplit(".", 1)[0] + "."
        if f'"{key}"' in text or f"'{key}'" in text:
            continue
        if re.search(re.escape(prefix) + r"\{", text):
            continue
        unused.append(key)
    assert unused == []


def test_readme_layout_names_every_top_level_folder():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1]
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, check=True).stdout.split()
    folders = {path.split("/")[0] for path in tracked if "/" in path and not path.startswith(".")}
    missing = [folder for folder in sorted(folders) if f"{folder}/" not in layout]
    assert missing == [], f"README's layout section does not mention {missing}"
    named = set(re.findall(r"^([a-z_]+)/", layout, flags=re.MULTILINE))
    assert named <= folders | {"trained"}, f"README's layout names folders that do not exist: {named - folders}"


@pytest.mark.parametrize("module", ["job_manager", "job_status", "job_runners", "training_request", "progress"])
def test_the_parts_of_the_old_jobs_module_stay_small(module):
    # jobs.py once held the manager, its statuses, the child's command, request validation and the event format in
    # 476 lines; each part stays readable on its own.
    assert len((PROJECT / "ae_core" / f"{module}.py").read_text(encoding="utf-8").splitlines()) < 250
