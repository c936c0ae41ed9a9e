"""Build step only: put the web page's npm-installed libraries into the wheel.

Everything else is in pyproject.toml. The graph explorer (cytoscape) and the API page (swagger-ui)
come from npm (`npm ci`); an installed wheel has no node_modules beside it, so the files are copied
into `unkg/web/static/vendor/` of the build when they are there. Without them the pages still work
and say which library is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
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


setup(cmdclass={"build_py": BuildWithVendor})
