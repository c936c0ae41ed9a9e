"""Build steps only: put the web page's npm-installed libraries into the wheel; compile the path search.

Everything else is in pyproject.toml. The graph explorer (cytoscape) and the API page (swagger-ui)
come from npm (`npm ci`); an installed wheel has no node_modules beside it, so the files are copied
into `unkg/web/static/vendor/` of the build when they are there. Without them the pages still work
and say which library is missing.

The path search (`graph/_pathsearch.c`, `unkg.graph._pathsearch`) is an optional extension: where no C
compiler is at hand the install goes on and `graph.query` runs the same search in Python (slower).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
VENDOR = {
    "cytoscape.min.js": "node_modules/cytoscape/dist/cytoscape.min.js",
    "swagger-ui-bundle.js": "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "node_modules/swagger-ui-dist/swagger-ui.css",
}


class BuildWithVendor(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install serves them from node_modules in the checkout
        dest = Path(self.build_lib) / "unkg" / "web" / "static" / "vendor"
        for name, rel in VENDOR.items():
            src = HERE / rel
            if src.is_file():
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest / name)


PATH_SEARCH = Extension(
    "unkg.graph._pathsearch", ["graph/_pathsearch.c"], optional=True,
    # the same floating-point operations as the Python search: no contraction into fused multiply-adds
    extra_compile_args=["-O2", "-ffp-contract=off"],
)

setup(cmdclass={"build_py": BuildWithVendor}, ext_modules=[PATH_SEARCH])
