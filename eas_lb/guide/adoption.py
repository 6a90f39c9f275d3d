"""The adoption record: what `eas-lb adopt` found on a pair configured by hand.

`adopt` writes it beside the site file (`site.yaml` → `site.adopted.json`); the stacks read it at
synth. It holds two kinds of facts:

- **names to keep**: a VIP or real server a person labelled otherwise than the guide keeps its
  label, because the API cannot rename either (a new label would re-create it, an outage); so
  does a real server an earlier version labelled by position (`EAS_SSS-<n>`), recorded by
  `migrate-labels` (or `deploy`) from the stacks' state (`eas_lb.guide.kept_labels`);
- **objects to import**: per appliance, the import id of every object the stack manages that
  already exists, so the next `cdktf deploy` imports it (a Terraform `import` block) instead of
  creating it. An import block for an object already in state does nothing, so the record may
  stay in the site repository after the first deploy; delete it (or run `adopt` again) only when
  the appliances were emptied and the stack is to create everything anew.

The commit of an appliance is imported too, with the reload triggers the stack had when adopt
ran; a service with a value off the guide (or changed since) is imported as `adopted`, so the
first deploy reloads exactly the services it changes and nothing when nothing was off.

Pure data and file handling: no cdktf, no HTTP.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eas_lb.guide.mapping import ManagementPoolOptions, ServicePoolOptions
from eas_lb.inputs.pools import InputFileError, Pool, Problem, Section
from lborg_support.files import write_atomic

RECORD_SUFFIX = ".adopted.json"
#: The trigger value of a service whose configuration the first deploy changes.
PENDING_TRIGGER = "adopted"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AdoptedPool(_Record):
    """The names a pool keeps from the appliance (only those that differ from the guide's)."""

    section: Section
    name: str
    vip_label: str | None = Field(default=None, description="the VIP's label, when not MGMT_/SERV_<POOL>")
    server_labels: dict[str, str] = Field(
        default_factory=dict, description="real server label by server IP, when not EAS_SSS-<address>"
    )


class AdoptedAppliance(_Record):
    """What to import on one appliance, and its commit's reload triggers as adopt saw them."""

    imports: dict[str, list[str]] = Field(
        default_factory=dict, description="resource type → import ids of objects that exist"
    )
    commit_triggers: dict[str, str] = Field(
        default_factory=dict, description="the stack's lborg_commit triggers when adopt ran"
    )
    reload: list[str] = Field(
        default_factory=list, description="services the first deploy changes, so it reloads them"
    )

    def has(self, resource_type: str, import_id: str) -> bool:
        return import_id in self.imports.get(resource_type, ())


class PairAdoption(_Record):
    pools: list[AdoptedPool] = Field(default_factory=list)
    appliances: dict[str, AdoptedAppliance] = Field(default_factory=dict)
    unmanaged_vips: list[str] = Field(
        default_factory=list, description="labels of the VIPs adopt left untouched (not EAS pools)"
    )

    def names(self, pool: Pool) -> AdoptedPool | None:
        return next((p for p in self.pools if p.section is pool.section and p.name == pool.name), None)

    def management_options(self, pool: Pool) -> ManagementPoolOptions | None:
        """The guide's options with the names this pool keeps, or None when it keeps none."""
        names = self.names(pool)
        if names is None:
            return None
        return ManagementPoolOptions(label=names.vip_label, server_labels=names.server_labels)

    def service_options(self, pool: Pool) -> ServicePoolOptions | None:
        names = self.names(pool)
        if names is None:
            return None
        return ServicePoolOptions(label=names.vip_label, server_labels=names.server_labels)

    def vip_label(self, pool: Pool) -> str:
        """The pool's VIP label on the appliance: the kept one, else the guide's."""
        names = self.names(pool)
        return names.vip_label if names is not None and names.vip_label else pool.label


class AdoptionRecord(_Record):
    version: Literal[1] = 1
    site: str
    pairs: dict[str, PairAdoption] = Field(default_factory=dict)


class AdoptionRecordError(InputFileError):
    """An adoption record that cannot be read."""


def record_path(site_file: Path) -> Path:
    """`my-site/site.yaml` → `my-site/site.adopted.json`."""
    return site_file.with_name(site_file.stem + RECORD_SUFFIX)


def load_record(site_file: Path) -> AdoptionRecord | None:
    """The record beside `site_file`, or None when the site was never adopted."""
    path = record_path(site_file)
    if not path.exists():
        return None
    try:
        return AdoptionRecord.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as error:
        raise AdoptionRecordError(
            [Problem(str(path), 0, 0, f"cannot read the adoption record: {error}")]
        ) from None
    except json.JSONDecodeError as error:
        problem = Problem(str(path), error.lineno, error.colno, f"not JSON: {error.msg}; run adopt again")
        raise AdoptionRecordError([problem]) from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        message = f"{where}: {first['msg']}; the record is written by `eas-lb adopt`: run it again"
        raise AdoptionRecordError([Problem(str(path), 0, 0, message)]) from None


def save_record(site_file: Path, record: AdoptionRecord) -> Path:
    """Write the record atomically (a reader never sees half a file); returns its path."""
    path = record_path(site_file)
    text = json.dumps(record.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return path
