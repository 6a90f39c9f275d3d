# mypy: ignore-errors
r'''
# `lborg_layer7_vip`

Refer to the Terraform Registry for docs: [`lborg_layer7_vip`](https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip).
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

import cdktf as _cdktf_9a9027ec
import constructs as _constructs_77d1e7e8


class Layer7Vip(
    _cdktf_9a9027ec.TerraformResource,
    metaclass=jsii.JSIIMeta,
    jsii_type="lborg.layer7Vip.Layer7Vip",
):
    '''Represents a {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip lborg_layer7_vip}.'''

    def __init__(
        self,
        scope: _constructs_77d1e7e8.Construct,
        id: builtins.str,
        *,
        ip: builtins.str,
        label: builtins.str,
        ports: builtins.str,
        check_port: typing.Optional[jsii.Number] = None,
        check_type: typing.Optional[builtins.str] = None,
        maxconn: typing.Optional[jsii.Number] = None,
        mode: typing.Optional[builtins.str] = None,
        persistence: typing.Optional[builtins.str] = None,
        persist_table_size: typing.Optional[jsii.Number] = None,
        persist_time: typing.Optional[jsii.Number] = None,
        scheduler: typing.Optional[builtins.str] = None,
        timeout_client: typing.Optional[builtins.str] = None,
        timeout_server: typing.Optional[builtins.str] = None,
        connection: typing.Optional[typing.Union[typing.Union[_cdktf_9a9027ec.SSHProvisionerConnection, typing.Dict[builtins.str, typing.Any]], typing.Union[_cdktf_9a9027ec.WinrmProvisionerConnection, typing.Dict[builtins.str, typing.Any]]]] = None,
        count: typing.Optional[typing.Union[jsii.Number, _cdktf_9a9027ec.TerraformCount]] = None,
        depends_on: typing.Optional[typing.Sequence[_cdktf_9a9027ec.ITerraformDependable]] = None,
        for_each: typing.Optional[_cdktf_9a9027ec.ITerraformIterator] = None,
        lifecycle: typing.Optional[typing.Union[_cdktf_9a9027ec.TerraformResourceLifecycle, typing.Dict[builtins.str, typing.Any]]] = None,
        provider: typing.Optional[_cdktf_9a9027ec.TerraformProvider] = None,
        provisioners: typing.Optional[typing.Sequence[typing.Union[typing.Union[_cdktf_9a9027ec.FileProvisioner, typing.Dict[builtins.str, typing.Any]], typing.Union[_cdktf_9a9027ec.LocalExecProvisioner, typing.Dict[builtins.str, typing.Any]], typing.Union[_cdktf_9a9027ec.RemoteExecProvisioner, typing.Dict[builtins.str, typing.Any]]]]] = None,
    ) -> None:
        '''Create a new {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip lborg_layer7_vip} Resource.

        :param scope: The scope in which to define this construct.
        :param id: The scoped construct ID. Must be unique amongst siblings in the same scope
        :param ip: The Layer 7 VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#ip Layer7Vip#ip}
        :param label: The Layer 7 VIP's label on the appliance (for example ``MGMT_HTTPS-443``). The API cannot rename a VIP, so changing it replaces the VIP (and its real servers). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#label Layer7Vip#label}
        :param ports: The port or ports the VIP listens on, as text: ``443``, ``80,443`` (or the lbcli help's ``80:443``), a range ``8000-8010``, or a mix. Compared as a set of ports. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#ports Layer7Vip#ports}
        :param check_port: The port health checks connect to. Default: the VIP's first port. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#check_port Layer7Vip#check_port}
        :param check_type: Health check: ``connect``, ``negotiate_http``, ``negotiate_http_head``, ``negotiate_https``, ``negotiate_https_head``, ``external``, ``mysql`` or ``none``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#check_type Layer7Vip#check_type}
        :param maxconn: Maximum concurrent connections to the VIP (HAProxy ``maxconn``); beyond it new connections wait until one ends. A change takes effect at the next HAProxy reload, which keeps established connections. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#maxconn Layer7Vip#maxconn}
        :param mode: ``tcp`` or ``http``; the lbcli help names ``tcp`` an alias of ``other_tcp``, so either spelling is accepted and they compare equal. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#mode Layer7Vip#mode}
        :param persistence: Persistence (lbcli help): ``none``, ``ip`` (source IP), ``http`` (HTTP cookie), ``http_ip``, ``appsession``, ``sslsesid``, ``rdp-session``, ``rdp-cookie``, ``xff`` or ``fallback_persist``. ``http_cookie``, an earlier spelling of this provider with no vendor source, is read as ``http``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persistence Layer7Vip#persistence}
        :param persist_table_size: Size of the persistence (stick) table, in entries, for the persistence modes that use one (``ip``, ``http_ip``, ``xff``, ``appsession``, ``sslsesid``, ``rdp-cookie``; lbcli help). When it is full HAProxy evicts the oldest entries and their clients lose their server. A change takes effect at the next HAProxy reload. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persist_table_size Layer7Vip#persist_table_size}
        :param persist_time: Persistence timeout in **minutes**. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persist_time Layer7Vip#persist_time}
        :param scheduler: Balancing: ``roundrobin`` (weighted round robin) or ``leastconn``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#scheduler Layer7Vip#scheduler}
        :param timeout_client: Client-side inactivity timeout: milliseconds (``900000``) or with a unit (``12h``). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#timeout_client Layer7Vip#timeout_client}
        :param timeout_server: Real-server-side inactivity timeout: milliseconds (``901000``) or with a unit (``12h``). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#timeout_server Layer7Vip#timeout_server}
        :param connection: 
        :param count: 
        :param depends_on: 
        :param for_each: 
        :param lifecycle: 
        :param provider: 
        :param provisioners: 
        '''
        config = Layer7VipConfig(
            ip=ip,
            label=label,
            ports=ports,
            check_port=check_port,
            check_type=check_type,
            maxconn=maxconn,
            mode=mode,
            persistence=persistence,
            persist_table_size=persist_table_size,
            persist_time=persist_time,
            scheduler=scheduler,
            timeout_client=timeout_client,
            timeout_server=timeout_server,
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
        scope: _constructs_77d1e7e8.Construct,
        import_to_id: builtins.str,
        import_from_id: builtins.str,
        provider: typing.Optional[_cdktf_9a9027ec.TerraformProvider] = None,
    ) -> _cdktf_9a9027ec.ImportableResource:
        '''Generates CDKTF code for importing a Layer7Vip resource upon running "cdktf plan ".

        :param scope: The scope in which to define this construct.
        :param import_to_id: The construct id used in the generated config for the Layer7Vip to import.
        :param import_from_id: The id of the existing Layer7Vip that should be imported. Refer to the {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#import import section} in the documentation of this resource for the id to use
        :param provider: ? Optional instance of the provider where the Layer7Vip to import is found.
        '''
        return typing.cast(_cdktf_9a9027ec.ImportableResource, jsii.sinvoke(cls, "generateConfigForImport", [scope, import_to_id, import_from_id, provider]))

    @jsii.member(jsii_name="resetCheckPort")
    def reset_check_port(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetCheckPort", []))

    @jsii.member(jsii_name="resetCheckType")
    def reset_check_type(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetCheckType", []))

    @jsii.member(jsii_name="resetMaxconn")
    def reset_maxconn(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetMaxconn", []))

    @jsii.member(jsii_name="resetMode")
    def reset_mode(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetMode", []))

    @jsii.member(jsii_name="resetPersistence")
    def reset_persistence(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPersistence", []))

    @jsii.member(jsii_name="resetPersistTableSize")
    def reset_persist_table_size(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPersistTableSize", []))

    @jsii.member(jsii_name="resetPersistTime")
    def reset_persist_time(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPersistTime", []))

    @jsii.member(jsii_name="resetScheduler")
    def reset_scheduler(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetScheduler", []))

    @jsii.member(jsii_name="resetTimeoutClient")
    def reset_timeout_client(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetTimeoutClient", []))

    @jsii.member(jsii_name="resetTimeoutServer")
    def reset_timeout_server(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetTimeoutServer", []))

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
    @jsii.member(jsii_name="ipInput")
    def ip_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "ipInput"))

    @builtins.property
    @jsii.member(jsii_name="labelInput")
    def label_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "labelInput"))

    @builtins.property
    @jsii.member(jsii_name="maxconnInput")
    def maxconn_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "maxconnInput"))

    @builtins.property
    @jsii.member(jsii_name="modeInput")
    def mode_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "modeInput"))

    @builtins.property
    @jsii.member(jsii_name="persistenceInput")
    def persistence_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "persistenceInput"))

    @builtins.property
    @jsii.member(jsii_name="persistTableSizeInput")
    def persist_table_size_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "persistTableSizeInput"))

    @builtins.property
    @jsii.member(jsii_name="persistTimeInput")
    def persist_time_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "persistTimeInput"))

    @builtins.property
    @jsii.member(jsii_name="portsInput")
    def ports_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "portsInput"))

    @builtins.property
    @jsii.member(jsii_name="schedulerInput")
    def scheduler_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "schedulerInput"))

    @builtins.property
    @jsii.member(jsii_name="timeoutClientInput")
    def timeout_client_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "timeoutClientInput"))

    @builtins.property
    @jsii.member(jsii_name="timeoutServerInput")
    def timeout_server_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "timeoutServerInput"))

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
    @jsii.member(jsii_name="maxconn")
    def maxconn(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "maxconn"))

    @maxconn.setter
    def maxconn(self, value: jsii.Number) -> None:
        jsii.set(self, "maxconn", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="mode")
    def mode(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "mode"))

    @mode.setter
    def mode(self, value: builtins.str) -> None:
        jsii.set(self, "mode", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="persistence")
    def persistence(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "persistence"))

    @persistence.setter
    def persistence(self, value: builtins.str) -> None:
        jsii.set(self, "persistence", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="persistTableSize")
    def persist_table_size(self) -> jsii.Number:
        return typing.cast(jsii.Number, jsii.get(self, "persistTableSize"))

    @persist_table_size.setter
    def persist_table_size(self, value: jsii.Number) -> None:
        jsii.set(self, "persistTableSize", value) # pyright: ignore[reportArgumentType]

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
    @jsii.member(jsii_name="scheduler")
    def scheduler(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "scheduler"))

    @scheduler.setter
    def scheduler(self, value: builtins.str) -> None:
        jsii.set(self, "scheduler", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="timeoutClient")
    def timeout_client(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "timeoutClient"))

    @timeout_client.setter
    def timeout_client(self, value: builtins.str) -> None:
        jsii.set(self, "timeoutClient", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="timeoutServer")
    def timeout_server(self) -> builtins.str:
        return typing.cast(builtins.str, jsii.get(self, "timeoutServer"))

    @timeout_server.setter
    def timeout_server(self, value: builtins.str) -> None:
        jsii.set(self, "timeoutServer", value) # pyright: ignore[reportArgumentType]


@jsii.data_type(
    jsii_type="lborg.layer7Vip.Layer7VipConfig",
    jsii_struct_bases=[_cdktf_9a9027ec.TerraformMetaArguments],
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
        "maxconn": "maxconn",
        "mode": "mode",
        "persistence": "persistence",
        "persist_table_size": "persistTableSize",
        "persist_time": "persistTime",
        "scheduler": "scheduler",
        "timeout_client": "timeoutClient",
        "timeout_server": "timeoutServer",
    },
)
class Layer7VipConfig(_cdktf_9a9027ec.TerraformMetaArguments):
    def __init__(
        self,
        *,
        connection: typing.Optional[typing.Union[typing.Union[_cdktf_9a9027ec.SSHProvisionerConnection, typing.Dict[builtins.str, typing.Any]], typing.Union[_cdktf_9a9027ec.WinrmProvisionerConnection, typing.Dict[builtins.str, typing.Any]]]] = None,
        count: typing.Optional[typing.Union[jsii.Number, _cdktf_9a9027ec.TerraformCount]] = None,
        depends_on: typing.Optional[typing.Sequence[_cdktf_9a9027ec.ITerraformDependable]] = None,
        for_each: typing.Optional[_cdktf_9a9027ec.ITerraformIterator] = None,
        lifecycle: typing.Optional[typing.Union[_cdktf_9a9027ec.TerraformResourceLifecycle, typing.Dict[builtins.str, typing.Any]]] = None,
        provider: typing.Optional[_cdktf_9a9027ec.TerraformProvider] = None,
        provisioners: typing.Optional[typing.Sequence[typing.Union[typing.Union[_cdktf_9a9027ec.FileProvisioner, typing.Dict[builtins.str, typing.Any]], typing.Union[_cdktf_9a9027ec.LocalExecProvisioner, typing.Dict[builtins.str, typing.Any]], typing.Union[_cdktf_9a9027ec.RemoteExecProvisioner, typing.Dict[builtins.str, typing.Any]]]]] = None,
        ip: builtins.str,
        label: builtins.str,
        ports: builtins.str,
        check_port: typing.Optional[jsii.Number] = None,
        check_type: typing.Optional[builtins.str] = None,
        maxconn: typing.Optional[jsii.Number] = None,
        mode: typing.Optional[builtins.str] = None,
        persistence: typing.Optional[builtins.str] = None,
        persist_table_size: typing.Optional[jsii.Number] = None,
        persist_time: typing.Optional[jsii.Number] = None,
        scheduler: typing.Optional[builtins.str] = None,
        timeout_client: typing.Optional[builtins.str] = None,
        timeout_server: typing.Optional[builtins.str] = None,
    ) -> None:
        '''
        :param connection: 
        :param count: 
        :param depends_on: 
        :param for_each: 
        :param lifecycle: 
        :param provider: 
        :param provisioners: 
        :param ip: The Layer 7 VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#ip Layer7Vip#ip}
        :param label: The Layer 7 VIP's label on the appliance (for example ``MGMT_HTTPS-443``). The API cannot rename a VIP, so changing it replaces the VIP (and its real servers). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#label Layer7Vip#label}
        :param ports: The port or ports the VIP listens on, as text: ``443``, ``80,443`` (or the lbcli help's ``80:443``), a range ``8000-8010``, or a mix. Compared as a set of ports. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#ports Layer7Vip#ports}
        :param check_port: The port health checks connect to. Default: the VIP's first port. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#check_port Layer7Vip#check_port}
        :param check_type: Health check: ``connect``, ``negotiate_http``, ``negotiate_http_head``, ``negotiate_https``, ``negotiate_https_head``, ``external``, ``mysql`` or ``none``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#check_type Layer7Vip#check_type}
        :param maxconn: Maximum concurrent connections to the VIP (HAProxy ``maxconn``); beyond it new connections wait until one ends. A change takes effect at the next HAProxy reload, which keeps established connections. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#maxconn Layer7Vip#maxconn}
        :param mode: ``tcp`` or ``http``; the lbcli help names ``tcp`` an alias of ``other_tcp``, so either spelling is accepted and they compare equal. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#mode Layer7Vip#mode}
        :param persistence: Persistence (lbcli help): ``none``, ``ip`` (source IP), ``http`` (HTTP cookie), ``http_ip``, ``appsession``, ``sslsesid``, ``rdp-session``, ``rdp-cookie``, ``xff`` or ``fallback_persist``. ``http_cookie``, an earlier spelling of this provider with no vendor source, is read as ``http``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persistence Layer7Vip#persistence}
        :param persist_table_size: Size of the persistence (stick) table, in entries, for the persistence modes that use one (``ip``, ``http_ip``, ``xff``, ``appsession``, ``sslsesid``, ``rdp-cookie``; lbcli help). When it is full HAProxy evicts the oldest entries and their clients lose their server. A change takes effect at the next HAProxy reload. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persist_table_size Layer7Vip#persist_table_size}
        :param persist_time: Persistence timeout in **minutes**. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persist_time Layer7Vip#persist_time}
        :param scheduler: Balancing: ``roundrobin`` (weighted round robin) or ``leastconn``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#scheduler Layer7Vip#scheduler}
        :param timeout_client: Client-side inactivity timeout: milliseconds (``900000``) or with a unit (``12h``). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#timeout_client Layer7Vip#timeout_client}
        :param timeout_server: Real-server-side inactivity timeout: milliseconds (``901000``) or with a unit (``12h``). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#timeout_server Layer7Vip#timeout_server}
        '''
        if isinstance(lifecycle, dict):
            lifecycle = _cdktf_9a9027ec.TerraformResourceLifecycle(**lifecycle)
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
        if maxconn is not None:
            self._values["maxconn"] = maxconn
        if mode is not None:
            self._values["mode"] = mode
        if persistence is not None:
            self._values["persistence"] = persistence
        if persist_table_size is not None:
            self._values["persist_table_size"] = persist_table_size
        if persist_time is not None:
            self._values["persist_time"] = persist_time
        if scheduler is not None:
            self._values["scheduler"] = scheduler
        if timeout_client is not None:
            self._values["timeout_client"] = timeout_client
        if timeout_server is not None:
            self._values["timeout_server"] = timeout_server

    @builtins.property
    def connection(
        self,
    ) -> typing.Optional[typing.Union[_cdktf_9a9027ec.SSHProvisionerConnection, _cdktf_9a9027ec.WinrmProvisionerConnection]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("connection")
        return typing.cast(typing.Optional[typing.Union[_cdktf_9a9027ec.SSHProvisionerConnection, _cdktf_9a9027ec.WinrmProvisionerConnection]], result)

    @builtins.property
    def count(
        self,
    ) -> typing.Optional[typing.Union[jsii.Number, _cdktf_9a9027ec.TerraformCount]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("count")
        return typing.cast(typing.Optional[typing.Union[jsii.Number, _cdktf_9a9027ec.TerraformCount]], result)

    @builtins.property
    def depends_on(
        self,
    ) -> typing.Optional[typing.List[_cdktf_9a9027ec.ITerraformDependable]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("depends_on")
        return typing.cast(typing.Optional[typing.List[_cdktf_9a9027ec.ITerraformDependable]], result)

    @builtins.property
    def for_each(self) -> typing.Optional[_cdktf_9a9027ec.ITerraformIterator]:
        '''
        :stability: experimental
        '''
        result = self._values.get("for_each")
        return typing.cast(typing.Optional[_cdktf_9a9027ec.ITerraformIterator], result)

    @builtins.property
    def lifecycle(self) -> typing.Optional[_cdktf_9a9027ec.TerraformResourceLifecycle]:
        '''
        :stability: experimental
        '''
        result = self._values.get("lifecycle")
        return typing.cast(typing.Optional[_cdktf_9a9027ec.TerraformResourceLifecycle], result)

    @builtins.property
    def provider(self) -> typing.Optional[_cdktf_9a9027ec.TerraformProvider]:
        '''
        :stability: experimental
        '''
        result = self._values.get("provider")
        return typing.cast(typing.Optional[_cdktf_9a9027ec.TerraformProvider], result)

    @builtins.property
    def provisioners(
        self,
    ) -> typing.Optional[typing.List[typing.Union[_cdktf_9a9027ec.FileProvisioner, _cdktf_9a9027ec.LocalExecProvisioner, _cdktf_9a9027ec.RemoteExecProvisioner]]]:
        '''
        :stability: experimental
        '''
        result = self._values.get("provisioners")
        return typing.cast(typing.Optional[typing.List[typing.Union[_cdktf_9a9027ec.FileProvisioner, _cdktf_9a9027ec.LocalExecProvisioner, _cdktf_9a9027ec.RemoteExecProvisioner]]], result)

    @builtins.property
    def ip(self) -> builtins.str:
        '''The Layer 7 VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#ip Layer7Vip#ip}
        '''
        result = self._values.get("ip")
        assert result is not None, "Required property 'ip' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def label(self) -> builtins.str:
        '''The Layer 7 VIP's label on the appliance (for example ``MGMT_HTTPS-443``).

        The API cannot rename a VIP, so changing it replaces the VIP (and its real servers).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#label Layer7Vip#label}
        '''
        result = self._values.get("label")
        assert result is not None, "Required property 'label' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def ports(self) -> builtins.str:
        '''The port or ports the VIP listens on, as text: ``443``, ``80,443`` (or the lbcli help's ``80:443``), a range ``8000-8010``, or a mix.

        Compared as a set of ports.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#ports Layer7Vip#ports}
        '''
        result = self._values.get("ports")
        assert result is not None, "Required property 'ports' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def check_port(self) -> typing.Optional[jsii.Number]:
        '''The port health checks connect to. Default: the VIP's first port.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#check_port Layer7Vip#check_port}
        '''
        result = self._values.get("check_port")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def check_type(self) -> typing.Optional[builtins.str]:
        '''Health check: ``connect``, ``negotiate_http``, ``negotiate_http_head``, ``negotiate_https``, ``negotiate_https_head``, ``external``, ``mysql`` or ``none``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#check_type Layer7Vip#check_type}
        '''
        result = self._values.get("check_type")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def maxconn(self) -> typing.Optional[jsii.Number]:
        '''Maximum concurrent connections to the VIP (HAProxy ``maxconn``);

        beyond it new connections wait until one ends. A change takes effect at the next HAProxy reload, which keeps established connections.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#maxconn Layer7Vip#maxconn}
        '''
        result = self._values.get("maxconn")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def mode(self) -> typing.Optional[builtins.str]:
        '''``tcp`` or ``http``;

        the lbcli help names ``tcp`` an alias of ``other_tcp``, so either spelling is accepted and they compare equal.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#mode Layer7Vip#mode}
        '''
        result = self._values.get("mode")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def persistence(self) -> typing.Optional[builtins.str]:
        '''Persistence (lbcli help): ``none``, ``ip`` (source IP), ``http`` (HTTP cookie), ``http_ip``, ``appsession``, ``sslsesid``, ``rdp-session``, ``rdp-cookie``, ``xff`` or ``fallback_persist``.

        ``http_cookie``, an earlier spelling of this provider with no vendor source, is read as ``http``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persistence Layer7Vip#persistence}
        '''
        result = self._values.get("persistence")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def persist_table_size(self) -> typing.Optional[jsii.Number]:
        '''Size of the persistence (stick) table, in entries, for the persistence modes that use one (``ip``, ``http_ip``, ``xff``, ``appsession``, ``sslsesid``, ``rdp-cookie``;

        lbcli help). When it is full HAProxy evicts the oldest entries and their clients lose their server. A change takes effect at the next HAProxy reload.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persist_table_size Layer7Vip#persist_table_size}
        '''
        result = self._values.get("persist_table_size")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def persist_time(self) -> typing.Optional[jsii.Number]:
        '''Persistence timeout in **minutes**.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#persist_time Layer7Vip#persist_time}
        '''
        result = self._values.get("persist_time")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def scheduler(self) -> typing.Optional[builtins.str]:
        '''Balancing: ``roundrobin`` (weighted round robin) or ``leastconn``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#scheduler Layer7Vip#scheduler}
        '''
        result = self._values.get("scheduler")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def timeout_client(self) -> typing.Optional[builtins.str]:
        '''Client-side inactivity timeout: milliseconds (``900000``) or with a unit (``12h``).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#timeout_client Layer7Vip#timeout_client}
        '''
        result = self._values.get("timeout_client")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def timeout_server(self) -> typing.Optional[builtins.str]:
        '''Real-server-side inactivity timeout: milliseconds (``901000``) or with a unit (``12h``).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs/resources/layer7_vip#timeout_server Layer7Vip#timeout_server}
        '''
        result = self._values.get("timeout_server")
        return typing.cast(typing.Optional[builtins.str], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "Layer7VipConfig(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


__all__ = [
    "Layer7Vip",
    "Layer7VipConfig",
]

publication.publish()
