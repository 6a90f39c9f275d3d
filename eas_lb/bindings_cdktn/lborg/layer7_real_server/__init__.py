# mypy: ignore-errors
r'''
# `lborg_layer7_real_server`

Refer to the Terraform Registry for docs: [`lborg_layer7_real_server`](https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server).
'''
from pkgutil import extend_path
__path__ = extend_path(__path__, __name__)

import abc
import builtins
import datetime
import enum
import typing

import jsii
import publication
import typing_extensions

import typeguard
from importlib.metadata import version as _metadata_package_version
TYPEGUARD_MAJOR_VERSION = int(_metadata_package_version('typeguard').split('.')[0])

def _jsii_check_type(argname: str, value: object, expected_type: typing.Any) -> typing.Any:
    if TYPEGUARD_MAJOR_VERSION <= 2:
        return typeguard.check_type(argname=argname, value=value, expected_type=expected_type) # type:ignore
    else:
        if isinstance(value, jsii._reference_map.InterfaceDynamicProxy): # pyright: ignore [reportAttributeAccessIssue]
           pass
        else:
            if TYPEGUARD_MAJOR_VERSION == 3:
                typeguard.config.collection_check_strategy = typeguard.CollectionCheckStrategy.ALL_ITEMS # type:ignore
                typeguard.check_type(value=value, expected_type=expected_type) # type:ignore
            else:
                typeguard.check_type(value=value, expected_type=expected_type, collection_check_strategy=typeguard.CollectionCheckStrategy.ALL_ITEMS) # type:ignore

from .._jsii import *

import cdktn as _cdktn_78ede62e
import constructs as _constructs_77d1e7e8


class Layer7RealServer(
    _cdktn_78ede62e.TerraformResource,
    metaclass=jsii.JSIIMeta,
    jsii_type="lborg.layer7RealServer.Layer7RealServer",
):
    '''Represents a {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server lborg_layer7_real_server}.'''

    def __init__(
        self,
        scope: "_constructs_77d1e7e8.Construct",
        id: builtins.str,
        *,
        ip: builtins.str,
        label: builtins.str,
        port: jsii.Number,
        vip: builtins.str,
        drain_seconds: typing.Optional[jsii.Number] = None,
        encrypted: typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]] = None,
        maxconns: typing.Optional[jsii.Number] = None,
        minconns: typing.Optional[jsii.Number] = None,
        state: typing.Optional[builtins.str] = None,
        weight: typing.Optional[jsii.Number] = None,
        connection: typing.Optional[typing.Union[typing.Union["_cdktn_78ede62e.SSHProvisionerConnection", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.WinrmProvisionerConnection", typing.Dict[builtins.str, typing.Any]]]] = None,
        count: typing.Optional[typing.Union[jsii.Number, "_cdktn_78ede62e.TerraformCount"]] = None,
        depends_on: typing.Optional[typing.Sequence["_cdktn_78ede62e.ITerraformDependable"]] = None,
        for_each: typing.Optional["_cdktn_78ede62e.ITerraformIterator"] = None,
        lifecycle: typing.Optional[typing.Union["_cdktn_78ede62e.TerraformResourceLifecycle", typing.Dict[builtins.str, typing.Any]]] = None,
        provider: typing.Optional["_cdktn_78ede62e.TerraformProvider"] = None,
        provisioners: typing.Optional[typing.Sequence[typing.Union[typing.Union["_cdktn_78ede62e.FileProvisioner", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.LocalExecProvisioner", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.RemoteExecProvisioner", typing.Dict[builtins.str, typing.Any]]]]] = None,
    ) -> None:
        '''Create a new {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server lborg_layer7_real_server} Resource.

        :param scope: The scope in which to define this construct.
        :param id: The scoped construct ID. Must be unique amongst siblings in the same scope
        :param ip: The real server's IP address. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#ip Layer7RealServer#ip}
        :param label: The real server's label (for example ``EAS_SSS-1``). The API cannot rename it, so a change replaces the real server. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#label Layer7RealServer#label}
        :param port: The real server's port. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#port Layer7RealServer#port}
        :param vip: Label of the Layer 7 VIP this real server belongs to. Changing it replaces the real server. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#vip Layer7RealServer#vip}
        :param drain_seconds: How long a real server that leaves the configuration is kept draining before it is removed, 0-86400 seconds. Unset: 30 s, long enough for requests in flight and short exchanges to finish and for clients without persistence to move to the other servers (the grace period Kubernetes gives a terminating pod); long-lived or sticky sessions need a time chosen for the application. ``0`` deletes at once, as before. The delete sends lbcli ``drain`` and then ``delete-rip``; ``lborg_commit`` waits until the drain has run before the reload that removes the server from the running service, once for every server removed in the same apply (they drain at the same time). A halted server is not drained. An apply stopped while it waits converges on the next one, which waits what is left. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#drain_seconds Layer7RealServer#drain_seconds}
        :param encrypted: Whether HAProxy re-encrypts traffic to the real server. Read-only in practice: API v2's add-rip/edit-rip have no field for it, so only ``false`` can be planned. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#encrypted Layer7RealServer#encrypted}
        :param maxconns: Maximum connections to this real server (0 = unlimited). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#maxconns Layer7RealServer#maxconns}
        :param minconns: Minimum connections before another real server is used (0 = no minimum). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#minconns Layer7RealServer#minconns}
        :param state: The real server's state: ``online``, ``drain`` or ``halt``. Unset means ``online``. ``drain``: no new connections (clients with persistence may still reach it), established ones continue; ``halt``: out of service. Written with the lbcli actions of the same names for this VIP and real server only (never ``services all``); they act on the running service at once, with no reload. Read back from the appliance where it reports states (see docs/appliance-api.md); where it does not, the provider warns that it cannot see them and keeps what it last wrote. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#state Layer7RealServer#state}
        :param weight: Scheduling weight, 0-256 (0 takes it out). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#weight Layer7RealServer#weight}
        :param connection: 
        :param count: 
        :param depends_on: 
        :param for_each: 
        :param lifecycle: 
        :param provider: 
        :param provisioners: 
        '''
        config = Layer7RealServerConfig(
            ip=ip,
            label=label,
            port=port,
            vip=vip,
            drain_seconds=drain_seconds,
            encrypted=encrypted,
            maxconns=maxconns,
            minconns=minconns,
            state=state,
            weight=weight,
            connection=connection,
            count=count,
            depends_on=depends_on,
            for_each=for_each,
            lifecycle=lifecycle,
            provider=provider,
            provisioners=provisioners,
        )

        jsii.create(self.__class__, self, [scope, id, config])

    @jsii.member(jsii_name="generateConfigForImport")
    @builtins.classmethod
    def generate_config_for_import(
        cls,
        scope: "_constructs_77d1e7e8.Construct",
        import_to_id: builtins.str,
        import_from_id: builtins.str,
        provider: typing.Optional["_cdktn_78ede62e.TerraformProvider"] = None,
    ) -> "_cdktn_78ede62e.ImportableResource":
        '''Generates CDKTN code for importing a Layer7RealServer resource upon running "cdktn plan ".

        :param scope: The scope in which to define this construct.
        :param import_to_id: The construct id used in the generated config for the Layer7RealServer to import.
        :param import_from_id: The id of the existing Layer7RealServer that should be imported. Refer to the {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#import import section} in the documentation of this resource for the id to use
        :param provider: ? Optional instance of the provider where the Layer7RealServer to import is found.
        '''
        return typing.cast("_cdktn_78ede62e.ImportableResource", jsii.sinvoke(cls, "generateConfigForImport", [scope, import_to_id, import_from_id, provider]))

    @jsii.member(jsii_name="resetDrainSeconds")
    def reset_drain_seconds(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetDrainSeconds", []))

    @jsii.member(jsii_name="resetEncrypted")
    def reset_encrypted(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetEncrypted", []))

    @jsii.member(jsii_name="resetMaxconns")
    def reset_maxconns(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetMaxconns", []))

    @jsii.member(jsii_name="resetMinconns")
    def reset_minconns(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetMinconns", []))

    @jsii.member(jsii_name="resetState")
    def reset_state(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetState", []))

    @jsii.member(jsii_name="resetWeight")
    def reset_weight(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetWeight", []))

    @jsii.member(jsii_name="synthesizeAttributes")
    def _synthesize_attributes(self) -> typing.Mapping[builtins.str, typing.Any]:
        return typing.cast(typing.Mapping[builtins.str, typing.Any], jsii.invoke(self, "synthesizeAttributes", []))

    @jsii.member(jsii_name="synthesizeHclAttributes")
    def _synthesize_hcl_attributes(self) -> typing.Mapping[builtins.str, typing.Any]:
        return typing.cast(typing.Mapping[builtins.str, typing.Any], jsii.invoke(self, "synthesizeHclAttributes", []))

    @jsii.python.classproperty
    @jsii.member(jsii_name="tfResourceType")
    def TF_RESOURCE_TYPE(cls) -> builtins.str:
        return typing.cast(builtins.str, jsii.sget(cls, "tfResourceType"))

    @builtins.property
    @jsii.member(jsii_name="id")
    def id(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "id"))

    @builtins.property
    @jsii.member(jsii_name="drainSecondsInput")
    def drain_seconds_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "drainSecondsInput"))

    @builtins.property
    @jsii.member(jsii_name="encryptedInput")
    def encrypted_input(
        self,
    ) -> typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]]:
        return typing.cast(typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]], jsii.get(self, "encryptedInput"))

    @builtins.property
    @jsii.member(jsii_name="ipInput")
    def ip_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "ipInput"))

    @builtins.property
    @jsii.member(jsii_name="labelInput")
    def label_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "labelInput"))

    @builtins.property
    @jsii.member(jsii_name="maxconnsInput")
    def maxconns_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "maxconnsInput"))

    @builtins.property
    @jsii.member(jsii_name="minconnsInput")
    def minconns_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "minconnsInput"))

    @builtins.property
    @jsii.member(jsii_name="portInput")
    def port_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "portInput"))

    @builtins.property
    @jsii.member(jsii_name="stateInput")
    def state_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "stateInput"))

    @builtins.property
    @jsii.member(jsii_name="vipInput")
    def vip_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "vipInput"))

    @builtins.property
    @jsii.member(jsii_name="weightInput")
    def weight_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "weightInput"))

    @builtins.property
    @jsii.member(jsii_name="drainSeconds")
    def drain_seconds(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "drainSeconds"))

    @drain_seconds.setter
    def drain_seconds(self, value: jsii.Number) -> None:
        jsii.set(self, "drainSeconds", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="encrypted")
    def encrypted(self) -> typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]:
        return typing.cast(typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"], jsii.get(self, "encrypted"))

    @encrypted.setter
    def encrypted(
        self,
        value: typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"],
    ) -> None:
        jsii.set(self, "encrypted", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="ip")
    def ip(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "ip"))

    @ip.setter
    def ip(self, value: builtins.str) -> None:
        jsii.set(self, "ip", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="label")
    def label(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "label"))

    @label.setter
    def label(self, value: builtins.str) -> None:
        jsii.set(self, "label", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="maxconns")
    def maxconns(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "maxconns"))

    @maxconns.setter
    def maxconns(self, value: jsii.Number) -> None:
        jsii.set(self, "maxconns", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="minconns")
    def minconns(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "minconns"))

    @minconns.setter
    def minconns(self, value: jsii.Number) -> None:
        jsii.set(self, "minconns", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="port")
    def port(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "port"))

    @port.setter
    def port(self, value: jsii.Number) -> None:
        jsii.set(self, "port", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="state")
    def state(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "state"))

    @state.setter
    def state(self, value: builtins.str) -> None:
        jsii.set(self, "state", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="vip")
    def vip(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "vip"))

    @vip.setter
    def vip(self, value: builtins.str) -> None:
        jsii.set(self, "vip", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="weight")
    def weight(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "weight"))

    @weight.setter
    def weight(self, value: jsii.Number) -> None:
        jsii.set(self, "weight", value) # pyright: ignore[reportArgumentType]


@jsii.data_type(
    jsii_type="lborg.layer7RealServer.Layer7RealServerConfig",
    jsii_struct_bases=[_cdktn_78ede62e.TerraformMetaArguments],
    name_mapping={
        "connection": "connection",
        "count": "count",
        "depends_on": "dependsOn",
        "for_each": "forEach",
        "lifecycle": "lifecycle",
        "provider": "provider",
        "provisioners": "provisioners",
        "ip": "ip",
        "label": "label",
        "port": "port",
        "vip": "vip",
        "drain_seconds": "drainSeconds",
        "encrypted": "encrypted",
        "maxconns": "maxconns",
        "minconns": "minconns",
        "state": "state",
        "weight": "weight",
    },
)
class Layer7RealServerConfig(_cdktn_78ede62e.TerraformMetaArguments):
    def __init__(
        self,
        *,
        connection: typing.Optional[typing.Union[typing.Union["_cdktn_78ede62e.SSHProvisionerConnection", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.WinrmProvisionerConnection", typing.Dict[builtins.str, typing.Any]]]] = None,
        count: typing.Optional[typing.Union[jsii.Number, "_cdktn_78ede62e.TerraformCount"]] = None,
        depends_on: typing.Optional[typing.Sequence["_cdktn_78ede62e.ITerraformDependable"]] = None,
        for_each: typing.Optional["_cdktn_78ede62e.ITerraformIterator"] = None,
        lifecycle: typing.Optional[typing.Union["_cdktn_78ede62e.TerraformResourceLifecycle", typing.Dict[builtins.str, typing.Any]]] = None,
        provider: typing.Optional["_cdktn_78ede62e.TerraformProvider"] = None,
        provisioners: typing.Optional[typing.Sequence[typing.Union[typing.Union["_cdktn_78ede62e.FileProvisioner", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.LocalExecProvisioner", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.RemoteExecProvisioner", typing.Dict[builtins.str, typing.Any]]]]] = None,
        ip: builtins.str,
        label: builtins.str,
        port: jsii.Number,
        vip: builtins.str,
        drain_seconds: typing.Optional[jsii.Number] = None,
        encrypted: typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]] = None,
        maxconns: typing.Optional[jsii.Number] = None,
        minconns: typing.Optional[jsii.Number] = None,
        state: typing.Optional[builtins.str] = None,
        weight: typing.Optional[jsii.Number] = None,
    ) -> None:
        '''
        :param connection: 
        :param count: 
        :param depends_on: 
        :param for_each: 
        :param lifecycle: 
        :param provider: 
        :param provisioners: 
        :param ip: The real server's IP address. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#ip Layer7RealServer#ip}
        :param label: The real server's label (for example ``EAS_SSS-1``). The API cannot rename it, so a change replaces the real server. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#label Layer7RealServer#label}
        :param port: The real server's port. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#port Layer7RealServer#port}
        :param vip: Label of the Layer 7 VIP this real server belongs to. Changing it replaces the real server. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#vip Layer7RealServer#vip}
        :param drain_seconds: How long a real server that leaves the configuration is kept draining before it is removed, 0-86400 seconds. Unset: 30 s, long enough for requests in flight and short exchanges to finish and for clients without persistence to move to the other servers (the grace period Kubernetes gives a terminating pod); long-lived or sticky sessions need a time chosen for the application. ``0`` deletes at once, as before. The delete sends lbcli ``drain`` and then ``delete-rip``; ``lborg_commit`` waits until the drain has run before the reload that removes the server from the running service, once for every server removed in the same apply (they drain at the same time). A halted server is not drained. An apply stopped while it waits converges on the next one, which waits what is left. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#drain_seconds Layer7RealServer#drain_seconds}
        :param encrypted: Whether HAProxy re-encrypts traffic to the real server. Read-only in practice: API v2's add-rip/edit-rip have no field for it, so only ``false`` can be planned. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#encrypted Layer7RealServer#encrypted}
        :param maxconns: Maximum connections to this real server (0 = unlimited). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#maxconns Layer7RealServer#maxconns}
        :param minconns: Minimum connections before another real server is used (0 = no minimum). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#minconns Layer7RealServer#minconns}
        :param state: The real server's state: ``online``, ``drain`` or ``halt``. Unset means ``online``. ``drain``: no new connections (clients with persistence may still reach it), established ones continue; ``halt``: out of service. Written with the lbcli actions of the same names for this VIP and real server only (never ``services all``); they act on the running service at once, with no reload. Read back from the appliance where it reports states (see docs/appliance-api.md); where it does not, the provider warns that it cannot see them and keeps what it last wrote. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#state Layer7RealServer#state}
        :param weight: Scheduling weight, 0-256 (0 takes it out). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#weight Layer7RealServer#weight}
        '''
        if isinstance(lifecycle, dict):
            lifecycle = _cdktn_78ede62e.TerraformResourceLifecycle(**lifecycle)
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "ip": ip,
            "label": label,
            "port": port,
            "vip": vip,
        }
        if connection is not None:
            self._values["connection"] = connection
        if count is not None:
            self._values["count"] = count
        if depends_on is not None:
            self._values["depends_on"] = depends_on
        if for_each is not None:
            self._values["for_each"] = for_each
        if lifecycle is not None:
            self._values["lifecycle"] = lifecycle
        if provider is not None:
            self._values["provider"] = provider
        if provisioners is not None:
            self._values["provisioners"] = provisioners
        if drain_seconds is not None:
            self._values["drain_seconds"] = drain_seconds
        if encrypted is not None:
            self._values["encrypted"] = encrypted
        if maxconns is not None:
            self._values["maxconns"] = maxconns
        if minconns is not None:
            self._values["minconns"] = minconns
        if state is not None:
            self._values["state"] = state
        if weight is not None:
            self._values["weight"] = weight

    @builtins.property
    def connection(
        self,
    ) -> typing.Optional[typing.Union["_cdktn_78ede62e.SSHProvisionerConnection", "_cdktn_78ede62e.WinrmProvisionerConnection"]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("connection")
        return typing.cast(typing.Optional[typing.Union["_cdktn_78ede62e.SSHProvisionerConnection", "_cdktn_78ede62e.WinrmProvisionerConnection"]], result)

    @builtins.property
    def count(
        self,
    ) -> typing.Optional[typing.Union[jsii.Number, "_cdktn_78ede62e.TerraformCount"]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("count")
        return typing.cast(typing.Optional[typing.Union[jsii.Number, "_cdktn_78ede62e.TerraformCount"]], result)

    @builtins.property
    def depends_on(
        self,
    ) -> typing.Optional[typing.List["_cdktn_78ede62e.ITerraformDependable"]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("depends_on")
        return typing.cast(typing.Optional[typing.List["_cdktn_78ede62e.ITerraformDependable"]], result)

    @builtins.property
    def for_each(self) -> typing.Optional["_cdktn_78ede62e.ITerraformIterator"]:
        '''
        :stability: experimental
        '''
        result = self._values.get("for_each")
        return typing.cast(typing.Optional["_cdktn_78ede62e.ITerraformIterator"], result)

    @builtins.property
    def lifecycle(
        self,
    ) -> typing.Optional["_cdktn_78ede62e.TerraformResourceLifecycle"]:
        '''
        :stability: experimental
        '''
        result = self._values.get("lifecycle")
        return typing.cast(typing.Optional["_cdktn_78ede62e.TerraformResourceLifecycle"], result)

    @builtins.property
    def provider(self) -> typing.Optional["_cdktn_78ede62e.TerraformProvider"]:
        '''
        :stability: experimental
        '''
        result = self._values.get("provider")
        return typing.cast(typing.Optional["_cdktn_78ede62e.TerraformProvider"], result)

    @builtins.property
    def provisioners(
        self,
    ) -> typing.Optional[typing.List[typing.Union["_cdktn_78ede62e.FileProvisioner", "_cdktn_78ede62e.LocalExecProvisioner", "_cdktn_78ede62e.RemoteExecProvisioner"]]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("provisioners")
        return typing.cast(typing.Optional[typing.List[typing.Union["_cdktn_78ede62e.FileProvisioner", "_cdktn_78ede62e.LocalExecProvisioner", "_cdktn_78ede62e.RemoteExecProvisioner"]]], result)

    @builtins.property
    def ip(self) -> builtins.str:
        '''The real server's IP address.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#ip Layer7RealServer#ip}
        '''
        result = self._values.get("ip")
        assert result is not None, "Required property 'ip' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def label(self) -> builtins.str:
        '''The real server's label (for example ``EAS_SSS-1``). The API cannot rename it, so a change replaces the real server.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#label Layer7RealServer#label}
        '''
        result = self._values.get("label")
        assert result is not None, "Required property 'label' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def port(self) -> jsii.Number:
        '''The real server's port.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#port Layer7RealServer#port}
        '''
        result = self._values.get("port")
        assert result is not None, "Required property 'port' is missing"
        return typing.cast(jsii.Number, result)

    @builtins.property
    def vip(self) -> builtins.str:
        '''Label of the Layer 7 VIP this real server belongs to. Changing it replaces the real server.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#vip Layer7RealServer#vip}
        '''
        result = self._values.get("vip")
        assert result is not None, "Required property 'vip' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def drain_seconds(self) -> typing.Optional[jsii.Number]:
        '''How long a real server that leaves the configuration is kept draining before it is removed, 0-86400 seconds.

        Unset: 30 s, long enough for requests in flight and short exchanges to finish and for clients without persistence to move to the other servers (the grace period Kubernetes gives a terminating pod); long-lived or sticky sessions need a time chosen for the application. ``0`` deletes at once, as before. The delete sends lbcli ``drain`` and then ``delete-rip``; ``lborg_commit`` waits until the drain has run before the reload that removes the server from the running service, once for every server removed in the same apply (they drain at the same time). A halted server is not drained. An apply stopped while it waits converges on the next one, which waits what is left.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#drain_seconds Layer7RealServer#drain_seconds}
        '''
        result = self._values.get("drain_seconds")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def encrypted(
        self,
    ) -> typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]]:
        '''Whether HAProxy re-encrypts traffic to the real server.

        Read-only in practice: API v2's add-rip/edit-rip have no field for it, so only ``false`` can be planned.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#encrypted Layer7RealServer#encrypted}
        '''
        result = self._values.get("encrypted")
        return typing.cast(typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]], result)

    @builtins.property
    def maxconns(self) -> typing.Optional[jsii.Number]:
        '''Maximum connections to this real server (0 = unlimited).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#maxconns Layer7RealServer#maxconns}
        '''
        result = self._values.get("maxconns")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def minconns(self) -> typing.Optional[jsii.Number]:
        '''Minimum connections before another real server is used (0 = no minimum).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#minconns Layer7RealServer#minconns}
        '''
        result = self._values.get("minconns")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def state(self) -> typing.Optional[builtins.str]:
        '''The real server's state: ``online``, ``drain`` or ``halt``.

        Unset means ``online``. ``drain``: no new connections (clients with persistence may still reach it), established ones continue; ``halt``: out of service. Written with the lbcli actions of the same names for this VIP and real server only (never ``services all``); they act on the running service at once, with no reload. Read back from the appliance where it reports states (see docs/appliance-api.md); where it does not, the provider warns that it cannot see them and keeps what it last wrote.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#state Layer7RealServer#state}
        '''
        result = self._values.get("state")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def weight(self) -> typing.Optional[jsii.Number]:
        '''Scheduling weight, 0-256 (0 takes it out).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_real_server#weight Layer7RealServer#weight}
        '''
        result = self._values.get("weight")
        return typing.cast(typing.Optional[jsii.Number], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "Layer7RealServerConfig(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


__all__ = [
    "Layer7RealServer",
    "Layer7RealServerConfig",
]

publication.publish()
