"""Which command exports a project's API documents: its development tools since template 0.3.0,
each app's operator commands in projects of older template versions (an update may target one).
"""

from __future__ import annotations

from pathlib import Path

from archgen._api_documents import _exports


def touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")


def test_one_app_exports_with_its_tools_from_its_root(tmp_path: Path) -> None:
    touch(tmp_path / "tools" / "documents.py")

    assert list(_exports(tmp_path, "serverless", "shop")) == [
        (tmp_path, "tools.documents", "openapi"),
        (tmp_path, "tools.documents", "docs"),
    ]


def test_one_app_of_an_older_version_exports_with_its_operator_commands(tmp_path: Path) -> None:
    touch(tmp_path / "tools" / "our_own_script.py")  # the owners' own tools/ is not ours
    touch(tmp_path / "openapi.json")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "architecture.md").write_text("<!-- BEGIN api: generated -->\n")

    assert list(_exports(tmp_path, "modular-monolith", "shop")) == [
        (tmp_path, "shop.manage", "openapi"),
        (tmp_path, "shop.manage", "docs"),
    ]


def test_microservices_export_every_service_with_the_tools_from_the_root(tmp_path: Path) -> None:
    touch(tmp_path / "tools" / "src" / "shop" / "tools" / "documents.py")
    touch(tmp_path / "services" / "catalog" / "pyproject.toml")

    assert [document for *_, document in _exports(tmp_path, "microservices", "shop")] == [
        "openapi",
        "asyncapi",
        "docs",
    ]
    assert {
        (folder, module) for folder, module, _ in _exports(tmp_path, "microservices", "shop")
    } == {(tmp_path, "shop.tools.documents")}


def test_an_older_version_refreshes_only_the_documents_it_holds(tmp_path: Path) -> None:
    """Template 0.2.0 had no generated sections in docs/architecture.md, nor a command for them."""
    touch(tmp_path / "openapi.json")
    touch(tmp_path / "docs" / "architecture.md")

    assert list(_exports(tmp_path, "modular-monolith", "shop")) == [
        (tmp_path, "shop.manage", "openapi"),
    ]


def test_microservices_of_an_older_version_export_in_each_service(tmp_path: Path) -> None:
    for service in ("identity", "catalog"):
        touch(tmp_path / "services" / service / "openapi.json")
        touch(tmp_path / "services" / service / "asyncapi.json")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "architecture.md").write_text("<!-- BEGIN api: generated -->\n")

    exports = list(_exports(tmp_path, "microservices", "shop"))

    assert (
        tmp_path / "services" / "catalog",
        "shop.services.catalog.manage",
        "asyncapi",
    ) in exports
    assert (tmp_path / "services" / "identity", "shop.services.identity.manage", "docs") in exports
    assert len(exports) == 6
