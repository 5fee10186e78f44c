"""The shape of the code: one package namespace, and data that flows one way.

sources → loaders → graph → store/queries → network → webapp, with the build orchestrator and the
interfaces (command line, Python API) above them and the benchmarks above everything they measure.
A module may import its own layer and the layers below; an import of a layer above is a back-edge.
Imports inside functions count too: a late import is still a dependency.
"""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [  # lowest first
    # "atdkg" is the package's __init__, which imports nothing: `from atdkg import queries` passes through it
    ("core", ("atdkg", "atdkg.terms", "atdkg.config", "atdkg.server_process", "atdkg.layouts", "atdkg.ontology")),
    ("loaders", ("atdkg.loaders",)),
    ("queries", ("atdkg.queries",)),
    ("network", ("atdkg.network",)),
    ("webapp", ("atdkg.webapp",)),
    ("build", ("atdkg.build", "atdkg.evaluate")),
    ("interfaces", ("atdkg.api", "atdkg.cli")),
    ("benchmarks", ("atdkg.benchmarks",)),
]
TOP_LEVEL_FOLDERS = ("loaders", "queries", "network", "webapp", "ontology", "benchmarks")


def package_dirs() -> dict[str, Path]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return {package: ROOT / folder for package, folder in config["package-dir"].items()}


def modules() -> dict[str, Path]:
    """Every module of the installed package, by its dotted name."""
    out = {}
    for package, folder in package_dirs().items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if any(p in ("tests", "__pycache__") for p in parts):
                continue
            if package == "atdkg" and parts and parts[0] in TOP_LEVEL_FOLDERS:
                continue
            name = ".".join((package, *parts))
            out[name.removesuffix(".__init__")] = path
    return out


def imports(name: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, node.lineno))
            out += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]  # `from atdkg import queries`
    return out


def layer_of(module: str) -> int | None:
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[1]):
                best = (rank, len(prefix))
    return best[0] if best else None


def edges() -> list[tuple[str, str, Path, int]]:
    known = modules()
    out = []
    for name, path in known.items():
        for target, line in imports(name, path):
            if target in known or any(target.startswith(k + ".") for k in known if k != "atdkg"):
                out.append((name, target if target in known else target.rsplit(".", 1)[0], path, line))
    return out


def test_only_atdkg_is_installed_and_the_folders_stay_at_the_top():
    dirs = package_dirs()
    assert all(package == "atdkg" or package.startswith("atdkg.") for package in dirs)
    for folder in ("ontology", "loaders", "queries", "webapp", "data", "tests"):
        assert (ROOT / folder).is_dir(), folder
    assert {dirs[f"atdkg.{f}"].name for f in ("loaders", "queries", "network", "webapp", "ontology")} == \
        {"loaders", "queries", "network", "webapp", "ontology"}


def test_no_module_imports_a_top_level_folder_by_its_old_name():
    offenders = []
    for name, path in modules().items():
        for target, line in imports(name, path):
            if target.split(".")[0] in TOP_LEVEL_FOLDERS:
                offenders.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    for path in list((ROOT / "tests").rglob("*.py")) + list((ROOT / "benchmarks" / "tests").rglob("*.py")):
        for target, line in imports("tests." + path.stem, path):
            if target.split(".")[0] in (*TOP_LEVEL_FOLDERS, "conftest"):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert offenders == []


def test_the_package_init_imports_nothing_of_ours():
    assert [t for t, _ in imports("atdkg", ROOT / "atdkg" / "__init__.py") if t.startswith("atdkg")] == []


def test_every_module_has_a_layer():
    assert [m for m in modules() if layer_of(m) is None] == []


def test_data_flows_one_way():
    back = [f"{path.relative_to(ROOT)}:{line}: {src} ({LAYERS[layer_of(src)][0]}) imports {dst} "
            f"({LAYERS[layer_of(dst)][0]})"
            for src, dst, path, line in edges() if layer_of(dst) > layer_of(src)]
    assert back == [], "\n".join(back)


def test_no_cycle_between_packages():
    def package(module: str) -> str:
        return LAYERS[layer_of(module)][0]
    graph = nx.DiGraph((package(s), package(d)) for s, d, _, _ in edges() if package(s) != package(d))
    assert list(nx.simple_cycles(graph)) == []


def test_the_benchmarks_have_their_own_entry_point():
    from atdkg.cli import main
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["atdkg-bench"].startswith("atdkg.benchmarks.") and "bench" not in main.commands


def test_the_wheel_holds_only_atdkg_with_its_data(tmp_path):
    """What `pip install` puts in site-packages: one package (and its dist-info), data files included."""
    import subprocess
    import sys
    import zipfile
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("atd_kg-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"atdkg"}
    for expected in ("atdkg/ontology/shapes.ttl", "atdkg/queries/exchanges.rq", "atdkg/queries/competency.yaml",
                     "atdkg/webapp/templates/base.html", "atdkg/webapp/static/style.css",
                     "atdkg/webapp/static/js/network.js", "atdkg/network/cytoscape.schema.json",
                     "atdkg/loaders/genres/report.py", "atdkg/benchmarks/bench.py"):
        assert expected in names, expected
    assert not [n for n in names if "/tests/" in n or n.startswith("atdkg/benchmarks/tests")]
