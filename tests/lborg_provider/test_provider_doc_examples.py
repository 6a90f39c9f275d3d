"""The usage example of every resource and data source (shown in docs/) is valid configuration:
all of them together pass `terraform validate` against the real provider schema."""

from __future__ import annotations

import pytest

from lborg_provider.provider import DATA_SOURCES, RESOURCES
from tests.support.paths import REPO_ROOT
from tests.support.terraform import Terraform

pytestmark = pytest.mark.slow

EXAMPLES = REPO_ROOT / "examples" / "terraform"


def test_every_type_has_an_example_and_they_validate(terraform: Terraform) -> None:
    files = []
    for kind, classes, file in (
        ("resources", RESOURCES, "resource.tf"),
        ("data-sources", DATA_SOURCES, "data-source.tf"),
    ):
        for klass in classes:
            path = EXAMPLES / kind / f"lborg{klass.get_name()}" / file
            assert path.is_file(), f"no usage example for lborg{klass.get_name()}: {path}"
            files.append(path.read_text())
    terraform.write('provider "lborg" {}\n' + "\n".join(files))
    terraform.init()
    validated = terraform.run("validate", "-no-color")
    assert "The configuration is valid" in validated.stdout
    commit = (EXAMPLES / "resources" / "lborg_commit" / "resource.tf").read_text()
    assert "depends_on" in commit and "on_destroy = true" in commit
