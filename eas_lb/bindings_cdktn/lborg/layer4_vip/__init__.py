# mypy: ignore-errors
r'''
# `lborg_layer4_vip`

Refer to the Terraform Registry for docs: [`lborg_layer4_vip`](https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip).
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


class Layer4Vip(
    _cdktn_78ede62e.TerraformResource,
    metaclass=jsii.JSIIMeta,
    jsii_type="lborg.layer4Vip.Layer4Vip",
):
    '''Represents a {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip lborg_layer4_vip}.'''

    def __init__(
        self,
        scope: "_constructs_77d1e7e8.Construct",
        id: builtins.str,
        *,
        ip: builtins.str,
        label: builtins.str,
        ports: builtins.str,
        check_port: typing.Optional[jsii.Number] = None,
        check_type: typing.Optional[builtins.str] = None,
        forwarding: typing.Optional[builtins.str] = None,
        persistent: typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]] = None,
        persist_time: typing.Optional[jsii.Number] = None,
        protocol: typing.Optional[builtins.str] = None,
        scheduler: typing.Optional[builtins.str] = None,
        connection: typing.Optional[typing.Union[typing.Union["_cdktn_78ede62e.SSHProvisionerConnection", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.WinrmProvisionerConnection", typing.Dict[builtins.str, typing.Any]]]] = None,
        count: typing.Optional[typing.Union[jsii.Number, "_cdktn_78ede62e.TerraformCount"]] = None,
        depends_on: typing.Optional[typing.Sequence["_cdktn_78ede62e.ITerraformDependable"]] = None,
        for_each: typing.Optional["_cdktn_78ede62e.ITerraformIterator"] = None,
        lifecycle: typing.Optional[typing.Union["_cdktn_78ede62e.TerraformResourceLifecycle", typing.Dict[builtins.str, typing.Any]]] = None,
        provider: typing.Optional["_cdktn_78ede62e.TerraformProvider"] = None,
        provisioners: typing.Optional[typing.Sequence[typing.Union[typing.Union["_cdktn_78ede62e.FileProvisioner", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.LocalExecProvisioner", typing.Dict[builtins.str, typing.Any]], typing.Union["_cdktn_78ede62e.RemoteExecProvisioner", typing.Dict[builtins.str, typing.Any]]]]] = None,
    ) -> None:
        '''Create a new {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip lborg_layer4_vip} Resource.

        :param scope: The scope in which to define this construct.
        :param id: The scoped construct ID. Must be unique amongst siblings in the same scope
        :param ip: The Layer 4 VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#ip Layer4Vip#ip}
        :param label: The Layer 4 VIP's label on the appliance (for example ``MGMT_HTTPS-443``). The API cannot rename a VIP, so changing it replaces the VIP (and its real servers). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#label Layer4Vip#label}
        :param ports: The port or ports the VIP listens on, as text: ``443``, ``80,443`` (or the lbcli help's ``80:443``), a range ``8000-8010``, or a mix. Compared as a set of ports. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#ports Layer4Vip#ports}
        :param check_port: The port health checks connect to. Default: the VIP's first port. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#check_port Layer4Vip#check_port}
        :param check_type: Health check (lbcli help): ``negotiate``, ``connect``, ``ping``, ``external``, ``off`` (no checks, always off), ``on`` (no checks, always on), ``5`` or ``10`` (that many connects, then one negotiate). Read from ``check/type`` or ``service/check/type``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#check_type Layer4Vip#check_type}
        :param forwarding: Forwarding method: ``gate`` (direct routing), ``masq`` (NAT), ``ipip`` (tunnel) or ``snat``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#forwarding Layer4Vip#forwarding}
        :param persistent: Source IP persistence on (``true``) or off. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#persistent Layer4Vip#persistent}
        :param persist_time: Persistence timeout in **seconds**. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#persist_time Layer4Vip#persist_time}
        :param protocol: ``tcp``, ``udp``, ``tcpudp``, ``ops`` or ``fwm`` (lbcli help). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#protocol Layer4Vip#protocol}
        :param scheduler: Balancing: ``wlc`` (weighted least connection), ``wrr`` (weighted round robin) or ``dh``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#scheduler Layer4Vip#scheduler}
        :param connection: 
        :param count: 
        :param depends_on: 
        :param for_each: 
        :param lifecycle: 
        :param provider: 
        :param provisioners: 
        '''
        config = Layer4VipConfig(
            ip=ip,
            label=label,
            ports=ports,
            check_port=check_port,
            check_type=check_type,
            forwarding=forwarding,
            persistent=persistent,
            persist_time=persist_time,
            protocol=protocol,
            scheduler=scheduler,
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
        '''Generates CDKTN code for importing a Layer4Vip resource upon running "cdktn plan ".

        :param scope: The scope in which to define this construct.
        :param import_to_id: The construct id used in the generated config for the Layer4Vip to import.
        :param import_from_id: The id of the existing Layer4Vip that should be imported. Refer to the {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#import import section} in the documentation of this resource for the id to use
        :param provider: ? Optional instance of the provider where the Layer4Vip to import is found.
        '''
        return typing.cast("_cdktn_78ede62e.ImportableResource", jsii.sinvoke(cls, "generateConfigForImport", [scope, import_to_id, import_from_id, provider]))

    @jsii.member(jsii_name="resetCheckPort")
    def reset_check_port(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetCheckPort", []))

    @jsii.member(jsii_name="resetCheckType")
    def reset_check_type(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetCheckType", []))

    @jsii.member(jsii_name="resetForwarding")
    def reset_forwarding(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetForwarding", []))

    @jsii.member(jsii_name="resetPersistent")
    def reset_persistent(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPersistent", []))

    @jsii.member(jsii_name="resetPersistTime")
    def reset_persist_time(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPersistTime", []))

    @jsii.member(jsii_name="resetProtocol")
    def reset_protocol(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetProtocol", []))

    @jsii.member(jsii_name="resetScheduler")
    def reset_scheduler(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetScheduler", []))

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
    @jsii.member(jsii_name="checkPortInput")
    def check_port_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "checkPortInput"))

    @builtins.property
    @jsii.member(jsii_name="checkTypeInput")
    def check_type_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "checkTypeInput"))

    @builtins.property
    @jsii.member(jsii_name="forwardingInput")
    def forwarding_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "forwardingInput"))

    @builtins.property
    @jsii.member(jsii_name="ipInput")
    def ip_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "ipInput"))

    @builtins.property
    @jsii.member(jsii_name="labelInput")
    def label_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "labelInput"))

    @builtins.property
    @jsii.member(jsii_name="persistentInput")
    def persistent_input(
        self,
    ) -> typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]]:
        return typing.cast(typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]], jsii.get(self, "persistentInput"))

    @builtins.property
    @jsii.member(jsii_name="persistTimeInput")
    def persist_time_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "persistTimeInput"))

    @builtins.property
    @jsii.member(jsii_name="portsInput")
    def ports_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "portsInput"))

    @builtins.property
    @jsii.member(jsii_name="protocolInput")
    def protocol_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "protocolInput"))

    @builtins.property
    @jsii.member(jsii_name="schedulerInput")
    def scheduler_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "schedulerInput"))

    @builtins.property
    @jsii.member(jsii_name="checkPort")
    def check_port(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "checkPort"))

    @check_port.setter
    def check_port(self, value: jsii.Number) -> None:
        jsii.set(self, "checkPort", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="checkType")
    def check_type(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "checkType"))

    @check_type.setter
    def check_type(self, value: builtins.str) -> None:
        jsii.set(self, "checkType", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="forwarding")
    def forwarding(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "forwarding"))

    @forwarding.setter
    def forwarding(self, value: builtins.str) -> None:
        jsii.set(self, "forwarding", value) # pyright: ignore[reportArgumentType]

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
    @jsii.member(jsii_name="persistent")
    def persistent(self) -> typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]:
        return typing.cast(typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"], jsii.get(self, "persistent"))

    @persistent.setter
    def persistent(
        self,
        value: typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"],
    ) -> None:
        jsii.set(self, "persistent", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="persistTime")
    def persist_time(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "persistTime"))

    @persist_time.setter
    def persist_time(self, value: jsii.Number) -> None:
        jsii.set(self, "persistTime", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="ports")
    def ports(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "ports"))

    @ports.setter
    def ports(self, value: builtins.str) -> None:
        jsii.set(self, "ports", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="protocol")
    def protocol(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "protocol"))

    @protocol.setter
    def protocol(self, value: builtins.str) -> None:
        jsii.set(self, "protocol", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="scheduler")
    def scheduler(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "scheduler"))

    @scheduler.setter
    def scheduler(self, value: builtins.str) -> None:
        jsii.set(self, "scheduler", value) # pyright: ignore[reportArgumentType]


@jsii.data_type(
    jsii_type="lborg.layer4Vip.Layer4VipConfig",
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
        "ports": "ports",
        "check_port": "checkPort",
        "check_type": "checkType",
        "forwarding": "forwarding",
        "persistent": "persistent",
        "persist_time": "persistTime",
        "protocol": "protocol",
        "scheduler": "scheduler",
    },
)
class Layer4VipConfig(_cdktn_78ede62e.TerraformMetaArguments):
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
        ports: builtins.str,
        check_port: typing.Optional[jsii.Number] = None,
        check_type: typing.Optional[builtins.str] = None,
        forwarding: typing.Optional[builtins.str] = None,
        persistent: typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]] = None,
        persist_time: typing.Optional[jsii.Number] = None,
        protocol: typing.Optional[builtins.str] = None,
        scheduler: typing.Optional[builtins.str] = None,
    ) -> None:
        '''
        :param connection: 
        :param count: 
        :param depends_on: 
        :param for_each: 
        :param lifecycle: 
        :param provider: 
        :param provisioners: 
        :param ip: The Layer 4 VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#ip Layer4Vip#ip}
        :param label: The Layer 4 VIP's label on the appliance (for example ``MGMT_HTTPS-443``). The API cannot rename a VIP, so changing it replaces the VIP (and its real servers). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#label Layer4Vip#label}
        :param ports: The port or ports the VIP listens on, as text: ``443``, ``80,443`` (or the lbcli help's ``80:443``), a range ``8000-8010``, or a mix. Compared as a set of ports. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#ports Layer4Vip#ports}
        :param check_port: The port health checks connect to. Default: the VIP's first port. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#check_port Layer4Vip#check_port}
        :param check_type: Health check (lbcli help): ``negotiate``, ``connect``, ``ping``, ``external``, ``off`` (no checks, always off), ``on`` (no checks, always on), ``5`` or ``10`` (that many connects, then one negotiate). Read from ``check/type`` or ``service/check/type``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#check_type Layer4Vip#check_type}
        :param forwarding: Forwarding method: ``gate`` (direct routing), ``masq`` (NAT), ``ipip`` (tunnel) or ``snat``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#forwarding Layer4Vip#forwarding}
        :param persistent: Source IP persistence on (``true``) or off. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#persistent Layer4Vip#persistent}
        :param persist_time: Persistence timeout in **seconds**. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#persist_time Layer4Vip#persist_time}
        :param protocol: ``tcp``, ``udp``, ``tcpudp``, ``ops`` or ``fwm`` (lbcli help). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#protocol Layer4Vip#protocol}
        :param scheduler: Balancing: ``wlc`` (weighted least connection), ``wrr`` (weighted round robin) or ``dh``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#scheduler Layer4Vip#scheduler}
        '''
        if isinstance(lifecycle, dict):
            lifecycle = _cdktn_78ede62e.TerraformResourceLifecycle(**lifecycle)
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "ip": ip,
            "label": label,
            "ports": ports,
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
        if check_port is not None:
            self._values["check_port"] = check_port
        if check_type is not None:
            self._values["check_type"] = check_type
        if forwarding is not None:
            self._values["forwarding"] = forwarding
        if persistent is not None:
            self._values["persistent"] = persistent
        if persist_time is not None:
            self._values["persist_time"] = persist_time
        if protocol is not None:
            self._values["protocol"] = protocol
        if scheduler is not None:
            self._values["scheduler"] = scheduler

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
        '''The Layer 4 VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#ip Layer4Vip#ip}
        '''
        result = self._values.get("ip")
        assert result is not None, "Required property 'ip' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def label(self) -> builtins.str:
        '''The Layer 4 VIP's label on the appliance (for example ``MGMT_HTTPS-443``).

        The API cannot rename a VIP, so changing it replaces the VIP (and its real servers).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#label Layer4Vip#label}
        '''
        result = self._values.get("label")
        assert result is not None, "Required property 'label' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def ports(self) -> builtins.str:
        '''The port or ports the VIP listens on, as text: ``443``, ``80,443`` (or the lbcli help's ``80:443``), a range ``8000-8010``, or a mix.

        Compared as a set of ports.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#ports Layer4Vip#ports}
        '''
        result = self._values.get("ports")
        assert result is not None, "Required property 'ports' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def check_port(self) -> typing.Optional[jsii.Number]:
        '''The port health checks connect to. Default: the VIP's first port.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#check_port Layer4Vip#check_port}
        '''
        result = self._values.get("check_port")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def check_type(self) -> typing.Optional[builtins.str]:
        '''Health check (lbcli help): ``negotiate``, ``connect``, ``ping``, ``external``, ``off`` (no checks, always off), ``on`` (no checks, always on), ``5`` or ``10`` (that many connects, then one negotiate).

        Read from ``check/type`` or ``service/check/type``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#check_type Layer4Vip#check_type}
        '''
        result = self._values.get("check_type")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def forwarding(self) -> typing.Optional[builtins.str]:
        '''Forwarding method: ``gate`` (direct routing), ``masq`` (NAT), ``ipip`` (tunnel) or ``snat``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#forwarding Layer4Vip#forwarding}
        '''
        result = self._values.get("forwarding")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def persistent(
        self,
    ) -> typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]]:
        '''Source IP persistence on (``true``) or off.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#persistent Layer4Vip#persistent}
        '''
        result = self._values.get("persistent")
        return typing.cast(typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]], result)

    @builtins.property
    def persist_time(self) -> typing.Optional[jsii.Number]:
        '''Persistence timeout in **seconds**.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#persist_time Layer4Vip#persist_time}
        '''
        result = self._values.get("persist_time")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def protocol(self) -> typing.Optional[builtins.str]:
        '''``tcp``, ``udp``, ``tcpudp``, ``ops`` or ``fwm`` (lbcli help).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#protocol Layer4Vip#protocol}
        '''
        result = self._values.get("protocol")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def scheduler(self) -> typing.Optional[builtins.str]:
        '''Balancing: ``wlc`` (weighted least connection), ``wrr`` (weighted round robin) or ``dh``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer4_vip#scheduler Layer4Vip#scheduler}
        '''
        result = self._values.get("scheduler")
        return typing.cast(typing.Optional[builtins.str], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "Layer4VipConfig(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


__all__ = [
    "Layer4Vip",
    "Layer4VipConfig",
]

publication.publish()
