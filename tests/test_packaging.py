import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
PACKAGE_DIR = REPO_DIR / "wagtail_support"

pytestmark = pytest.mark.packaging


def shipped_data_files():
    """Every non-Python file inside the package (templates, static, locale) and every migration."""
    for path in PACKAGE_DIR.rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        if path.suffix != ".py" or "migrations" in path.parts:
            yield path.relative_to(REPO_DIR).as_posix()


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO_DIR)],
        check=True,
        capture_output=True,
    )
    return out


def test_wheel_holds_the_package_data_and_nothing_else(dist):
    (wheel,) = dist.glob("wagtail_support-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set(shipped_data_files())
    assert any("/locale/pl/" in n for n in expected) and any("/locale/ru/" in n for n in expected)
    assert expected <= names, expected - names
    top_level = {n.split("/", 1)[0] for n in names}
    assert {t for t in top_level if not t.endswith(".dist-info")} == {"wagtail_support"}


def test_sdist_leaves_out_tests_and_sandbox(dist):
    (sdist,) = dist.glob("wagtail_support-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert set(shipped_data_files()) <= names
    assert {"LICENSE", "README.md", "setup.cfg", "pyproject.toml"} <= names
    assert not {n for n in names if n.startswith(("tests/", "sandbox/", "ci/", ".ci/"))}


def test_twine_accepts_the_metadata(dist):
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
