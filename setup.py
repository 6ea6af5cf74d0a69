"""Builds the compiled parts of the Python package with CMake (see pyproject.toml).

The extension tribe._tribe and the program `tribe` are built by the project's own CMake
build (engine, pybind11 module, CLI; no tests or benchmarks) in build/pip, or in the
already configured build directory named by TRIBE_BUILD_DIR (e.g. build/release, to reuse
what `scripts/setup.sh` built). The program is installed inside the package
(tribe/bin/tribe) and run by the `tribe` command (tribe/_program.py).
"""
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def version() -> str:
    """The engine's version: project(tribe VERSION x.y.z) of CMakeLists.txt, the one
    place it is written (`tribe --version`, the result files and CITATION.cff agree)."""
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(tribe VERSION ([0-9.]+)", f.read()).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.path.abspath(os.environ.get("TRIBE_BUILD_DIR") or os.path.join(ROOT, "build", "pip"))
        jobs = str(os.cpu_count() or 2)
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            subprocess.run(
                [
                    "cmake",
                    "-S",
                    ROOT,
                    "-B",
                    build_dir,
                    "-DCMAKE_BUILD_TYPE=Release",
                    "-DTRIBE_BUILD_TESTS=OFF",
                    "-DTRIBE_BUILD_BENCH=OFF",
                    "-DTRIBE_BUILD_PYTHON=ON",
                    f"-DPython_EXECUTABLE={sys.executable}",
                ],
                check=True,
            )
        subprocess.run(["cmake", "--build", build_dir, "--target", "_tribe", "tribe", "-j", jobs], check=True)
        module_dir = os.path.join(build_dir, "python", "tribe")
        built = [f for f in os.listdir(module_dir) if f.startswith("_tribe") and f.endswith(".so")]
        if len(built) != 1:
            raise RuntimeError(f"expected one _tribe*.so in {module_dir}, found {built}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(module_dir, built[0]), target)
        program_dirs = [os.path.join(os.path.dirname(target), "bin")]
        if self.inplace or getattr(self, "editable_mode", False):
            # An editable install runs the package from python/tribe/: the program goes there.
            program_dirs.append(os.path.join(ROOT, "python", "tribe", "bin"))
        for program_dir in program_dirs:
            os.makedirs(program_dir, exist_ok=True)
            shutil.copy2(os.path.join(build_dir, "bin", "tribe"), os.path.join(program_dir, "tribe"))

    def get_outputs(self):
        outputs = super().get_outputs()
        return outputs + [
            os.path.join(os.path.dirname(o), "bin", "tribe")
            for o in outputs
            if os.path.basename(o).startswith("_tribe")
        ]


setup(version=version(), ext_modules=[Extension("tribe._tribe", sources=[])], cmdclass={"build_ext": CMakeBuild})
