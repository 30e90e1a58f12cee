"""Builds the `resound` Python package offline: setuptools runs the project's own CMake for `_resound`.

    python3 -m venv --system-site-packages venv
    venv/bin/pip install --no-build-isolation --no-index .
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        # At the same depth as ./build so ccache (CCACHE_BASEDIR) reuses the main build's objects.
        build_dir = ROOT / "build-pip"
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
            "-DRESOUND_APPS=OFF", "-DRESOUND_TESTS=OFF", "-DRESOUND_BENCH=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_resound", "-j", str(os.cpu_count() or 2)],
                       check=True)
        built = next((build_dir / "python" / "resound").glob("_resound*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


# Top-level compatibility modules (python/realtime_backend.py, …) install beside the package.
TOP_LEVEL_MODULES = sorted(path.stem for path in (ROOT / "python").glob("*.py"))

setup(
    packages=["resound"],
    py_modules=TOP_LEVEL_MODULES,
    package_dir={"": "python"},
    ext_modules=[CMakeExtension("resound._resound")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
