"""The floor of the site benchmark: the least a `tf` provider can do per resource.

One resource type, `floor_item`, whose state is one small JSON file per item in a directory
given to the provider. It runs on the same framework (`tf`, the same Python, the same gRPC
handshake) as the lborg provider, so the difference between the two is what lborg adds: the
appliance's API, its checks and its state handling.

`install(mirror_dir)` puts it into a filesystem mirror as `local/bench/floor`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tf.schema import Attribute, Schema
from tf.types import Number, String

HOST, NAMESPACE, TYPE, VERSION = "local", "bench", "floor", "0.1.0"
SOURCE = f"{HOST}/{NAMESPACE}/{TYPE}"


class FloorItem:
    """A named item with a few values, like a VIP or real server, kept in `<directory>/<name>.json`."""

    def __init__(self, provider: FloorProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "_item"

    @classmethod
    def get_schema(cls) -> Schema:
        return Schema(
            attributes=[
                Attribute("id", String(), computed=True),
                Attribute("name", String(), required=True, requires_replace=True),
                Attribute("parent", String(), optional=True),
                Attribute("ip", String(), optional=True),
                Attribute("port", Number(), optional=True),
            ]
        )

    def _path(self, name: str) -> Path:
        return self.provider.directory / f"{name.replace('/', '__')}.json"

    def validate(self, diags: Any, type_name: str, config: dict[str, Any]) -> None:
        return None

    def plan(self, ctx: Any, current: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        return planned

    def upgrade(self, ctx: Any, version: int, old: dict[str, Any]) -> dict[str, Any]:
        return old

    def create(self, ctx: Any, planned: dict[str, Any]) -> dict[str, Any]:
        state = {**planned, "id": planned["name"]}
        self._path(str(planned["name"])).write_text(json.dumps(state))
        return state

    def read(self, ctx: Any, current: dict[str, Any]) -> dict[str, Any] | None:
        path = self._path(str(current["name"]))
        if not path.exists():
            return None
        loaded: dict[str, Any] = json.loads(path.read_text())
        return loaded

    def update(self, ctx: Any, current: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        return self.create(ctx, planned)

    def delete(self, ctx: Any, current: dict[str, Any]) -> None:
        self._path(str(current["name"])).unlink(missing_ok=True)

    def import_(self, ctx: Any, id: str) -> dict[str, Any] | None:
        return self.read(ctx, {"name": id})


class FloorProvider:
    def __init__(self) -> None:
        self.directory = Path(".")

    def get_model_prefix(self) -> str:
        return "floor"

    def full_name(self) -> str:
        return SOURCE

    def get_provider_schema(self, diags: Any) -> Schema:
        return Schema(attributes=[Attribute("directory", String(), required=True)])

    def validate_config(self, diags: Any, config: dict[str, Any]) -> None:
        return None

    def configure_provider(self, diags: Any, config: dict[str, Any]) -> None:
        self.directory = Path(str(config["directory"]))
        self.directory.mkdir(parents=True, exist_ok=True)

    def get_data_sources(self) -> list[type[Any]]:
        return []

    def get_resources(self) -> list[type[Any]]:
        return [FloorItem]

    def get_functions(self) -> list[type[Any]]:
        return []

    def new_resource(self, klass: type[Any]) -> Any:
        return klass(self)

    def new_data_source(self, klass: type[Any]) -> Any:
        return klass(self)

    def new_function(self, klass: type[Any]) -> Any:
        return klass(self)


def main() -> int:
    from tf.runner import run_provider

    provider = FloorProvider()
    start_cpu = time.process_time()
    run_provider(provider, sys.argv)
    stats = os.environ.get("LBORG_STATS_FILE")  # the same report as the lborg provider's
    if stats:
        line = {"pid": os.getpid(), "start_cpu": start_cpu, "cpu": time.process_time()}
        with open(stats, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({**line, "requests": 0, "request_seconds": 0.0}) + "\n")
    return 0


def install(mirror_dir: Path) -> None:
    """Put a launcher for this file, run by this interpreter, into `mirror_dir`."""
    from tf.runner import install_provider

    executable = f"terraform-provider-{TYPE}"
    with tempfile.TemporaryDirectory() as scratch:
        launcher = Path(scratch) / executable
        launcher.write_text(
            f"#!{sys.executable}\n"
            "import sys\n"
            f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})\n"
            "from floor_provider import main\n"
            "sys.exit(main())\n",
            encoding="utf-8",
        )
        launcher.chmod(0o755)
        install_provider(HOST, NAMESPACE, TYPE, VERSION, mirror_dir, launcher)
    for manifest in (mirror_dir / HOST / NAMESPACE / TYPE).glob("*.json"):
        manifest.unlink()


if __name__ == "__main__":
    sys.exit(main())
