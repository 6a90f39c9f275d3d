"""The one module that knows which CDK for Terraform runs the constructs: cdktf or CDK Terrain.

CDKTF 0.21 (`cdktf`, archived upstream) is the default; its community fork CDK Terrain (`cdktn`)
keeps the same classes under another import name, the same `cdktf.json`, `cdktf.out/`,
`CDKTF_*` variables and logical ids, so a stack synthesizes to the same `cdk.tf.json` and its
state stays as it is. An installation chooses once with the setting `EAS_LB_FRAMEWORK` (`cdktf`,
the default, or `cdktn`; `pip install "eas-lb[cdktn]"` brings the fork). Everything else imports
the framework's classes, the generated lborg bindings and the CLI's name from here; what needs
only the framework's name or CLI (no cdktf loaded) imports `eas_lb.synth.framework_choice`.

Each framework has its own generated bindings (`eas_lb/bindings` from `cdktf get`,
`eas_lb/bindings_cdktn` from `cdktn get`): the bindings' jsii assembly depends on the framework's,
so one process loads exactly one framework.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import TYPE_CHECKING, Final

from eas_lb.synth.framework_choice import (
    BINDINGS,
    DEFAULT,
    FRAMEWORKS,
    PACKAGES,
    SETTING,
    Framework,
    FrameworkError,
    chosen,
    use_supported_node,
)


def _load(name: str, framework: Framework) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        raise FrameworkError(
            f"{SETTING}={framework}, but {error.name} is not installed: install {PACKAGES[framework]}"
            + (
                ", then run `python -m eas_lb.tools.regenerate_bindings`"
                if (error.name or "").startswith(BINDINGS[framework])
                else ""
            )
        ) from error


def _binding(module: str) -> ModuleType:
    """One module of the chosen framework's generated lborg bindings (`commit`, `layer7_vip`...)."""
    return _load(f"{BINDINGS[NAME]}.lborg.{module}", NAME)


NAME: Final[Framework] = chosen()
# jsii starts its Node.js runtime with the first binding loaded: on the checkout's Node.js 22.
use_supported_node(os.environ)
#: The framework's command-line tool (npm `cdktf-cli` or `cdktn-cli`): `cdktf` or `cdktn`.
CLI: Final = NAME
#: Whether the site's VM stacks can be built. Their vSphere bindings are cdktf's prebuilt package
#: (`cdktf-cdktf-provider-vsphere`); cdktn ships none, and cdktf's cannot run in a cdktn stack
#: (cdktn's synthesis calls `_resetResolveDiscoveredProviderFeatureUsage` on every element, which
#: cdktf's elements lack). Bindings from `cdktn get hashicorp/vsphere` need the Terraform registry.
VSPHERE_STACKS: Final = NAME == "cdktf"

if TYPE_CHECKING:
    # Both frameworks have the same API; the type checker reads it from cdktf's stubs.
    from cdktf import (
        Annotations,
        App,
        ITerraformDependable,
        LocalBackend,
        PgBackend,
        Postcondition,
        S3Backend,
        TerraformOutput,
        TerraformProvider,
        TerraformResource,
        TerraformResourceLifecycle,
        TerraformStack,
        TerraformVariable,
        Testing,
    )

    from eas_lb.bindings.lborg.commit import Commit
    from eas_lb.bindings.lborg.data_lborg_global_settings import DataLborgGlobalSettings
    from eas_lb.bindings.lborg.floating_ip import FloatingIp
    from eas_lb.bindings.lborg.ha_pair import HaPair
    from eas_lb.bindings.lborg.hostname import Hostname
    from eas_lb.bindings.lborg.interface_address import InterfaceAddress
    from eas_lb.bindings.lborg.layer4_real_server import Layer4RealServer
    from eas_lb.bindings.lborg.layer4_vip import Layer4Vip
    from eas_lb.bindings.lborg.layer7_real_server import Layer7RealServer
    from eas_lb.bindings.lborg.layer7_vip import Layer7Vip
    from eas_lb.bindings.lborg.provider import LborgProvider
    from eas_lb.bindings.lborg.route import Route
else:
    _core = _load(NAME, NAME)
    Annotations = _core.Annotations
    App = _core.App
    ITerraformDependable = _core.ITerraformDependable
    LocalBackend = _core.LocalBackend
    PgBackend = _core.PgBackend
    Postcondition = _core.Postcondition
    S3Backend = _core.S3Backend
    TerraformOutput = _core.TerraformOutput
    TerraformProvider = _core.TerraformProvider
    TerraformResource = _core.TerraformResource
    TerraformResourceLifecycle = _core.TerraformResourceLifecycle
    TerraformStack = _core.TerraformStack
    TerraformVariable = _core.TerraformVariable
    Testing = _core.Testing

    # One row per generated binding module, as under TYPE_CHECKING above: a table, not repeated logic.
    Commit = _binding("commit").Commit
    DataLborgGlobalSettings = _binding("data_lborg_global_settings").DataLborgGlobalSettings
    FloatingIp = _binding("floating_ip").FloatingIp
    HaPair = _binding("ha_pair").HaPair
    Hostname = _binding("hostname").Hostname
    InterfaceAddress = _binding("interface_address").InterfaceAddress
    # The table's rows go on (Layer 4, Layer 7, provider, route): alike the rows above by design.
    Layer4RealServer = _binding("layer4_real_server").Layer4RealServer
    Layer4Vip = _binding("layer4_vip").Layer4Vip
    Layer7RealServer = _binding("layer7_real_server").Layer7RealServer
    Layer7Vip = _binding("layer7_vip").Layer7Vip
    LborgProvider = _binding("provider").LborgProvider
    Route = _binding("route").Route

__all__ = [
    "BINDINGS",
    "CLI",
    "DEFAULT",
    "FRAMEWORKS",
    "NAME",
    "PACKAGES",
    "SETTING",
    "VSPHERE_STACKS",
    "Annotations",
    "App",
    "Commit",
    "DataLborgGlobalSettings",
    "FloatingIp",
    "Framework",
    "FrameworkError",
    "HaPair",
    "Hostname",
    "ITerraformDependable",
    "InterfaceAddress",
    "Layer4RealServer",
    "Layer4Vip",
    "Layer7RealServer",
    "Layer7Vip",
    "LborgProvider",
    "LocalBackend",
    "PgBackend",
    "Postcondition",
    "Route",
    "S3Backend",
    "TerraformOutput",
    "TerraformProvider",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "TerraformVariable",
    "Testing",
    "chosen",
]
