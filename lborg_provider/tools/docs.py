"""Generate registry-layout documentation from the schema (the schema is the single source).

`docs/index.md`, `docs/resources/<name>.md`, `docs/data-sources/<name>.md`. A test compares the
checked-in files with what this module renders, so the docs cannot drift from the schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tf.schema import Attribute
from tf.types import Unknown

from lborg_provider import PROVIDER_SOURCE, PROVIDER_VERSION
from lborg_provider.model.choices import Choices
from lborg_provider.model.tables import ObjectTable
from lborg_provider.provider import DATA_SOURCES, RESOURCES, provider_attributes
from lborg_support.files import write_atomic

PREFIX = "lborg"

IMPORT_IDS: dict[str, str] = {
    "lborg_layer7_vip": "MGMT_HTTPS-443",
    "lborg_layer7_real_server": "MGMT_HTTPS-443/EAS_SSS-1",
    "lborg_layer4_vip": "SERV_SIP-5060",
    "lborg_layer4_real_server": "SERV_SIP-5060/EAS_SSS-1",
    "lborg_floating_ip": "192.168.85.1",
    "lborg_hostname": "hostname",
    "lborg_interface_address": "eth1/192.168.85.240/18",
    "lborg_route": "default",
    "lborg_commit": "commit",
}


def _type_name(attribute: Attribute) -> str:
    raw = json.loads(attribute.type.tf_type())
    return _describe(raw)


def _describe(raw: Any) -> str:
    if isinstance(raw, str):
        return {"string": "String", "number": "Number", "bool": "Boolean"}.get(raw, raw)
    kind, element = raw[0], raw[1]
    return f"{kind.capitalize()} of {_describe(element)}"


def _line(attribute: Attribute, allowed: Choices | None = None) -> str:
    notes = []
    if attribute.sensitive:
        notes.append("Sensitive")
    if attribute.requires_replace:
        notes.append("Changing it replaces the resource")
    head = f"- `{attribute.name}` ({_type_name(attribute)}{', ' + ', '.join(notes) if notes else ''})"
    text = f"{head} {attribute.description or ''}".rstrip()
    if allowed is not None:
        text += f" Allowed values: {allowed.listing()}."
    if attribute.default is not Unknown and attribute.default is not None:
        default = json.dumps(attribute.default)
        text += f" Default: `{default}`."
    return text


def _schema_section(attributes: Iterable[Attribute], choices: Mapping[str, Choices] | None = None) -> str:
    groups: dict[str, list[str]] = {"Required": [], "Optional": [], "Read-Only": []}
    for attribute in sorted(attributes, key=lambda a: a.name):
        line = _line(attribute, (choices or {}).get(attribute.name))
        if attribute.required:
            groups["Required"].append(line)
        elif attribute.optional:
            groups["Optional"].append(line)
        else:
            groups["Read-Only"].append(line)
    parts = ["## Schema"]
    for title, lines in groups.items():
        if lines:
            parts.append(f"### {title}\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _front_matter(title: str, description: str) -> str:
    first = description.split(". ")[0].rstrip(".") + "."
    return f'---\npage_title: "{title}"\nsubcategory: ""\ndescription: |-\n  {first}\n---\n'


def _example(kind: str, name: str) -> str:
    path = Path(__file__).resolve().parents[2] / "examples" / "terraform" / kind / name / f"{kind[:-1]}.tf"
    if path.is_file():
        return "## Example Usage\n\n```terraform\n" + path.read_text(encoding="utf-8").strip() + "\n```\n\n"
    return ""


def allowed_values(klass: Any) -> dict[str, Choices]:
    """The closed sets of values of a type's attributes, from its field table (if it has one)."""
    table = getattr(klass, "table", None)
    if not isinstance(table, ObjectTable):
        return {}
    return {f.attr: f.choices for f in table.fields if f.choices is not None}


def render_resource(klass: Any, kind: str) -> str:
    name = PREFIX + klass.get_name()
    label = "Resource" if kind == "resources" else "Data Source"
    schema = klass.get_schema()
    body = [
        _front_matter(f"{name} {label} - {PREFIX}", schema.description or ""),
        f"# {name} ({label})\n",
        (schema.description or "").strip() + "\n",
        _example(kind, name),
        _schema_section(schema.attributes, allowed_values(klass)) + "\n",
    ]
    if kind == "resources" and name in IMPORT_IDS:
        body.append(f"\n## Import\n\n```shell\nterraform import {name}.example {IMPORT_IDS[name]}\n```\n")
    return "\n".join(part for part in body if part)


def render_index() -> str:
    return "\n".join(
        [
            _front_matter("lborg Provider", "Manages Loadbalancer.org appliances through API v2."),
            "# lborg Provider\n",
            "Manages Loadbalancer.org appliances (API v2): Layer 7 and Layer 4 VIPs and their real "
            "servers, floating IPs, HA pairing, per-node network settings, and one reload per service "
            "per apply through `lborg_commit`. One provider block is one appliance; use aliases for "
            "an HA pair.\n",
            f"Source address `{PROVIDER_SOURCE}`, version `{PROVIDER_VERSION}`. Install it into a local "
            "filesystem mirror with `eas-lb provider install` and point `TF_CLI_CONFIG_FILE` at "
            "the path it prints.\n",
            "## Example Usage\n",
            '```terraform\nprovider "lborg" {\n  endpoint     = "https://lb1.example.net:9443"\n'
            '  username     = "loadbalancer"\n  password_env = "LB1_PASSWORD"\n'
            '  api_key_env  = "LB1_API_KEY"\n  ca_file      = "lb1-ca.pem"\n}\n```\n',
            "Secrets: prefer `password_env`/`api_key_env` (names of environment variables) or the "
            "`*_file` attributes; `LBORG_PASSWORD` and `LBORG_API_KEY` are the fallbacks.\n",
            _schema_section(provider_attributes()) + "\n",
        ]
    )


def render_all() -> dict[Path, str]:
    """Relative path → content for every documentation file."""
    files: dict[Path, str] = {Path("index.md"): render_index()}
    for klass in RESOURCES:
        files[Path("resources") / f"{klass.get_name().lstrip('_')}.md"] = render_resource(klass, "resources")
    for klass in DATA_SOURCES:
        files[Path("data-sources") / f"{klass.get_name().lstrip('_')}.md"] = render_resource(
            klass, "data-sources"
        )
    return files


def write_all(root: Path, files: dict[Path, str]) -> list[Path]:
    written = []
    for relative, content in files.items():
        path = root / relative
        write_atomic(path, content.encode("utf-8"))
        written.append(path)
    return written


def stale_files(root: Path, files: dict[Path, str]) -> list[Path]:
    """Files that are missing or differ from what the schema renders."""
    stale = []
    for relative, content in files.items():
        path = root / relative
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            stale.append(path)
    return stale
