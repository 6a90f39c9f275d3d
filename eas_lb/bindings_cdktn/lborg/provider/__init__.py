# mypy: ignore-errors
r'''
# `provider`

Refer to the Terraform Registry for docs: [`lborg`](https://local/providers/lborg/lborg/0.1.0/docs).
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


class LborgProvider(
    _cdktn_78ede62e.TerraformProvider,
    metaclass=jsii.JSIIMeta,
    jsii_type="lborg.provider.LborgProvider",
):
    '''Represents a {@link https://local/providers/lborg/lborg/0.1.0/docs lborg}.'''

    def __init__(
        self,
        scope: "_constructs_77d1e7e8.Construct",
        id: builtins.str,
        *,
        alias: typing.Optional[builtins.str] = None,
        api_key: typing.Optional[builtins.str] = None,
        api_key_env: typing.Optional[builtins.str] = None,
        api_key_file: typing.Optional[builtins.str] = None,
        appliance_name: typing.Optional[builtins.str] = None,
        ca_file: typing.Optional[builtins.str] = None,
        endpoint: typing.Optional[builtins.str] = None,
        insecure: typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]] = None,
        password: typing.Optional[builtins.str] = None,
        password_env: typing.Optional[builtins.str] = None,
        password_file: typing.Optional[builtins.str] = None,
        timeout_seconds: typing.Optional[jsii.Number] = None,
        username: typing.Optional[builtins.str] = None,
    ) -> None:
        '''Create a new {@link https://local/providers/lborg/lborg/0.1.0/docs lborg} Resource.

        :param scope: The scope in which to define this construct.
        :param id: The scoped construct ID. Must be unique amongst siblings in the same scope
        :param alias: Alias name. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#alias LborgProvider#alias}
        :param api_key: API key, sent base64-encoded as ``X-LB-APIKEY`` (sensitive). Prefer ``api_key_env`` or ``api_key_file``. Environment: ``LBORG_API_KEY``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key LborgProvider#api_key}
        :param api_key_env: Name of an environment variable holding the API key. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key_env LborgProvider#api_key_env}
        :param api_key_file: Path of a file holding the API key. Environment: ``LBORG_API_KEY_FILE``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key_file LborgProvider#api_key_file}
        :param appliance_name: Name used in messages (for example ``lb1-primary``). Default: the endpoint's host. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#appliance_name LborgProvider#appliance_name}
        :param ca_file: PEM file of the CA that signed the appliance's certificate (appliances ship self-signed ones). Default: the system CA store. Environment: ``LBORG_CA_FILE``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#ca_file LborgProvider#ca_file}
        :param endpoint: The appliance's API URL: ``https://HOST:PORT`` or ``https://HOST:PORT/api/v2/`` (port 9443 when omitted). Environment: ``LBORG_ENDPOINT``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#endpoint LborgProvider#endpoint}
        :param insecure: Skip TLS certificate verification. Default ``false``; ``true`` is warned about on every run. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#insecure LborgProvider#insecure}
        :param password: WebUI password (sensitive). Prefer ``password_env`` or ``password_file``. Environment: ``LBORG_PASSWORD``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password LborgProvider#password}
        :param password_env: Name of an environment variable holding the password (its value never enters configuration). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password_env LborgProvider#password_env}
        :param password_file: Path of a file holding the password. Environment: ``LBORG_PASSWORD_FILE``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password_file LborgProvider#password_file}
        :param timeout_seconds: Time-out of one API request in seconds. Default 30. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#timeout_seconds LborgProvider#timeout_seconds}
        :param username: WebUI user for HTTP Basic authentication. Environment: ``LBORG_USERNAME``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#username LborgProvider#username}
        '''
        config = LborgProviderConfig(
            alias=alias,
            api_key=api_key,
            api_key_env=api_key_env,
            api_key_file=api_key_file,
            appliance_name=appliance_name,
            ca_file=ca_file,
            endpoint=endpoint,
            insecure=insecure,
            password=password,
            password_env=password_env,
            password_file=password_file,
            timeout_seconds=timeout_seconds,
            username=username,
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
        '''Generates CDKTN code for importing a LborgProvider resource upon running "cdktn plan ".

        :param scope: The scope in which to define this construct.
        :param import_to_id: The construct id used in the generated config for the LborgProvider to import.
        :param import_from_id: The id of the existing LborgProvider that should be imported. Refer to the {@link https://local/providers/lborg/lborg/0.1.0/docs#import import section} in the documentation of this resource for the id to use
        :param provider: ? Optional instance of the provider where the LborgProvider to import is found.
        '''
        return typing.cast("_cdktn_78ede62e.ImportableResource", jsii.sinvoke(cls, "generateConfigForImport", [scope, import_to_id, import_from_id, provider]))

    @jsii.member(jsii_name="resetAlias")
    def reset_alias(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetAlias", []))

    @jsii.member(jsii_name="resetApiKey")
    def reset_api_key(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetApiKey", []))

    @jsii.member(jsii_name="resetApiKeyEnv")
    def reset_api_key_env(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetApiKeyEnv", []))

    @jsii.member(jsii_name="resetApiKeyFile")
    def reset_api_key_file(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetApiKeyFile", []))

    @jsii.member(jsii_name="resetApplianceName")
    def reset_appliance_name(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetApplianceName", []))

    @jsii.member(jsii_name="resetCaFile")
    def reset_ca_file(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetCaFile", []))

    @jsii.member(jsii_name="resetEndpoint")
    def reset_endpoint(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetEndpoint", []))

    @jsii.member(jsii_name="resetInsecure")
    def reset_insecure(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetInsecure", []))

    @jsii.member(jsii_name="resetPassword")
    def reset_password(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPassword", []))

    @jsii.member(jsii_name="resetPasswordEnv")
    def reset_password_env(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPasswordEnv", []))

    @jsii.member(jsii_name="resetPasswordFile")
    def reset_password_file(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetPasswordFile", []))

    @jsii.member(jsii_name="resetTimeoutSeconds")
    def reset_timeout_seconds(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetTimeoutSeconds", []))

    @jsii.member(jsii_name="resetUsername")
    def reset_username(self) -> None:
        return typing.cast(None, jsii.invoke(self, "resetUsername", []))

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
    @jsii.member(jsii_name="aliasInput")
    def alias_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "aliasInput"))

    @builtins.property
    @jsii.member(jsii_name="apiKeyEnvInput")
    def api_key_env_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "apiKeyEnvInput"))

    @builtins.property
    @jsii.member(jsii_name="apiKeyFileInput")
    def api_key_file_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "apiKeyFileInput"))

    @builtins.property
    @jsii.member(jsii_name="apiKeyInput")
    def api_key_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "apiKeyInput"))

    @builtins.property
    @jsii.member(jsii_name="applianceNameInput")
    def appliance_name_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "applianceNameInput"))

    @builtins.property
    @jsii.member(jsii_name="caFileInput")
    def ca_file_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "caFileInput"))

    @builtins.property
    @jsii.member(jsii_name="endpointInput")
    def endpoint_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "endpointInput"))

    @builtins.property
    @jsii.member(jsii_name="insecureInput")
    def insecure_input(
        self,
    ) -> typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]]:
        return typing.cast(typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]], jsii.get(self, "insecureInput"))

    @builtins.property
    @jsii.member(jsii_name="passwordEnvInput")
    def password_env_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "passwordEnvInput"))

    @builtins.property
    @jsii.member(jsii_name="passwordFileInput")
    def password_file_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "passwordFileInput"))

    @builtins.property
    @jsii.member(jsii_name="passwordInput")
    def password_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "passwordInput"))

    @builtins.property
    @jsii.member(jsii_name="timeoutSecondsInput")
    def timeout_seconds_input(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "timeoutSecondsInput"))

    @builtins.property
    @jsii.member(jsii_name="usernameInput")
    def username_input(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "usernameInput"))

    @builtins.property
    @jsii.member(jsii_name="alias")
    def alias(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "alias"))

    @alias.setter
    def alias(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "alias", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="apiKey")
    def api_key(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "apiKey"))

    @api_key.setter
    def api_key(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "apiKey", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="apiKeyEnv")
    def api_key_env(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "apiKeyEnv"))

    @api_key_env.setter
    def api_key_env(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "apiKeyEnv", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="apiKeyFile")
    def api_key_file(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "apiKeyFile"))

    @api_key_file.setter
    def api_key_file(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "apiKeyFile", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="applianceName")
    def appliance_name(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "applianceName"))

    @appliance_name.setter
    def appliance_name(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "applianceName", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="caFile")
    def ca_file(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "caFile"))

    @ca_file.setter
    def ca_file(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "caFile", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="endpoint")
    def endpoint(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "endpoint"))

    @endpoint.setter
    def endpoint(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "endpoint", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="insecure")
    def insecure(
        self,
    ) -> typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]]:
        return typing.cast(typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]], jsii.get(self, "insecure"))

    @insecure.setter
    def insecure(
        self,
        value: typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]],
    ) -> None:
        jsii.set(self, "insecure", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="password")
    def password(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "password"))

    @password.setter
    def password(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "password", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="passwordEnv")
    def password_env(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "passwordEnv"))

    @password_env.setter
    def password_env(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "passwordEnv", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="passwordFile")
    def password_file(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "passwordFile"))

    @password_file.setter
    def password_file(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "passwordFile", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="timeoutSeconds")
    def timeout_seconds(self) -> typing.Optional[jsii.Number]:
        return typing.cast(typing.Optional[jsii.Number], jsii.get(self, "timeoutSeconds"))

    @timeout_seconds.setter
    def timeout_seconds(self, value: typing.Optional[jsii.Number]) -> None:
        jsii.set(self, "timeoutSeconds", value) # pyright: ignore[reportArgumentType]

    @builtins.property
    @jsii.member(jsii_name="username")
    def username(self) -> typing.Optional[builtins.str]:
        return typing.cast(typing.Optional[builtins.str], jsii.get(self, "username"))

    @username.setter
    def username(self, value: typing.Optional[builtins.str]) -> None:
        jsii.set(self, "username", value) # pyright: ignore[reportArgumentType]


@jsii.data_type(
    jsii_type="lborg.provider.LborgProviderConfig",
    jsii_struct_bases=[],
    name_mapping={
        "alias": "alias",
        "api_key": "apiKey",
        "api_key_env": "apiKeyEnv",
        "api_key_file": "apiKeyFile",
        "appliance_name": "applianceName",
        "ca_file": "caFile",
        "endpoint": "endpoint",
        "insecure": "insecure",
        "password": "password",
        "password_env": "passwordEnv",
        "password_file": "passwordFile",
        "timeout_seconds": "timeoutSeconds",
        "username": "username",
    },
)
class LborgProviderConfig:
    def __init__(
        self,
        *,
        alias: typing.Optional[builtins.str] = None,
        api_key: typing.Optional[builtins.str] = None,
        api_key_env: typing.Optional[builtins.str] = None,
        api_key_file: typing.Optional[builtins.str] = None,
        appliance_name: typing.Optional[builtins.str] = None,
        ca_file: typing.Optional[builtins.str] = None,
        endpoint: typing.Optional[builtins.str] = None,
        insecure: typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]] = None,
        password: typing.Optional[builtins.str] = None,
        password_env: typing.Optional[builtins.str] = None,
        password_file: typing.Optional[builtins.str] = None,
        timeout_seconds: typing.Optional[jsii.Number] = None,
        username: typing.Optional[builtins.str] = None,
    ) -> None:
        '''
        :param alias: Alias name. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#alias LborgProvider#alias}
        :param api_key: API key, sent base64-encoded as ``X-LB-APIKEY`` (sensitive). Prefer ``api_key_env`` or ``api_key_file``. Environment: ``LBORG_API_KEY``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key LborgProvider#api_key}
        :param api_key_env: Name of an environment variable holding the API key. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key_env LborgProvider#api_key_env}
        :param api_key_file: Path of a file holding the API key. Environment: ``LBORG_API_KEY_FILE``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key_file LborgProvider#api_key_file}
        :param appliance_name: Name used in messages (for example ``lb1-primary``). Default: the endpoint's host. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#appliance_name LborgProvider#appliance_name}
        :param ca_file: PEM file of the CA that signed the appliance's certificate (appliances ship self-signed ones). Default: the system CA store. Environment: ``LBORG_CA_FILE``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#ca_file LborgProvider#ca_file}
        :param endpoint: The appliance's API URL: ``https://HOST:PORT`` or ``https://HOST:PORT/api/v2/`` (port 9443 when omitted). Environment: ``LBORG_ENDPOINT``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#endpoint LborgProvider#endpoint}
        :param insecure: Skip TLS certificate verification. Default ``false``; ``true`` is warned about on every run. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#insecure LborgProvider#insecure}
        :param password: WebUI password (sensitive). Prefer ``password_env`` or ``password_file``. Environment: ``LBORG_PASSWORD``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password LborgProvider#password}
        :param password_env: Name of an environment variable holding the password (its value never enters configuration). Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password_env LborgProvider#password_env}
        :param password_file: Path of a file holding the password. Environment: ``LBORG_PASSWORD_FILE``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password_file LborgProvider#password_file}
        :param timeout_seconds: Time-out of one API request in seconds. Default 30. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#timeout_seconds LborgProvider#timeout_seconds}
        :param username: WebUI user for HTTP Basic authentication. Environment: ``LBORG_USERNAME``. Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#username LborgProvider#username}
        '''
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if alias is not None:
            self._values["alias"] = alias
        if api_key is not None:
            self._values["api_key"] = api_key
        if api_key_env is not None:
            self._values["api_key_env"] = api_key_env
        if api_key_file is not None:
            self._values["api_key_file"] = api_key_file
        if appliance_name is not None:
            self._values["appliance_name"] = appliance_name
        if ca_file is not None:
            self._values["ca_file"] = ca_file
        if endpoint is not None:
            self._values["endpoint"] = endpoint
        if insecure is not None:
            self._values["insecure"] = insecure
        if password is not None:
            self._values["password"] = password
        if password_env is not None:
            self._values["password_env"] = password_env
        if password_file is not None:
            self._values["password_file"] = password_file
        if timeout_seconds is not None:
            self._values["timeout_seconds"] = timeout_seconds
        if username is not None:
            self._values["username"] = username

    @builtins.property
    def alias(self) -> typing.Optional[builtins.str]:
        '''Alias name.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#alias LborgProvider#alias}
        '''
        result = self._values.get("alias")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def api_key(self) -> typing.Optional[builtins.str]:
        '''API key, sent base64-encoded as ``X-LB-APIKEY`` (sensitive). Prefer ``api_key_env`` or ``api_key_file``. Environment: ``LBORG_API_KEY``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key LborgProvider#api_key}
        '''
        result = self._values.get("api_key")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def api_key_env(self) -> typing.Optional[builtins.str]:
        '''Name of an environment variable holding the API key.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key_env LborgProvider#api_key_env}
        '''
        result = self._values.get("api_key_env")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def api_key_file(self) -> typing.Optional[builtins.str]:
        '''Path of a file holding the API key. Environment: ``LBORG_API_KEY_FILE``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#api_key_file LborgProvider#api_key_file}
        '''
        result = self._values.get("api_key_file")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def appliance_name(self) -> typing.Optional[builtins.str]:
        '''Name used in messages (for example ``lb1-primary``). Default: the endpoint's host.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#appliance_name LborgProvider#appliance_name}
        '''
        result = self._values.get("appliance_name")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def ca_file(self) -> typing.Optional[builtins.str]:
        '''PEM file of the CA that signed the appliance's certificate (appliances ship self-signed ones).

        Default: the system CA store. Environment: ``LBORG_CA_FILE``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#ca_file LborgProvider#ca_file}
        '''
        result = self._values.get("ca_file")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def endpoint(self) -> typing.Optional[builtins.str]:
        '''The appliance's API URL: ``https://HOST:PORT`` or ``https://HOST:PORT/api/v2/`` (port 9443 when omitted). Environment: ``LBORG_ENDPOINT``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#endpoint LborgProvider#endpoint}
        '''
        result = self._values.get("endpoint")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def insecure(
        self,
    ) -> typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]]:
        '''Skip TLS certificate verification. Default ``false``; ``true`` is warned about on every run.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#insecure LborgProvider#insecure}
        '''
        result = self._values.get("insecure")
        return typing.cast(typing.Optional[typing.Union[builtins.bool, "_cdktn_78ede62e.IResolvable"]], result)

    @builtins.property
    def password(self) -> typing.Optional[builtins.str]:
        '''WebUI password (sensitive). Prefer ``password_env`` or ``password_file``. Environment: ``LBORG_PASSWORD``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password LborgProvider#password}
        '''
        result = self._values.get("password")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def password_env(self) -> typing.Optional[builtins.str]:
        '''Name of an environment variable holding the password (its value never enters configuration).

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password_env LborgProvider#password_env}
        '''
        result = self._values.get("password_env")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def password_file(self) -> typing.Optional[builtins.str]:
        '''Path of a file holding the password. Environment: ``LBORG_PASSWORD_FILE``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#password_file LborgProvider#password_file}
        '''
        result = self._values.get("password_file")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def timeout_seconds(self) -> typing.Optional[jsii.Number]:
        '''Time-out of one API request in seconds. Default 30.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#timeout_seconds LborgProvider#timeout_seconds}
        '''
        result = self._values.get("timeout_seconds")
        return typing.cast(typing.Optional[jsii.Number], result)

    @builtins.property
    def username(self) -> typing.Optional[builtins.str]:
        '''WebUI user for HTTP Basic authentication. Environment: ``LBORG_USERNAME``.

        Docs at Terraform Registry: {@link https://local/providers/lborg/lborg/0.1.0/docs#username LborgProvider#username}
        '''
        result = self._values.get("username")
        return typing.cast(typing.Optional[builtins.str], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "LborgProviderConfig(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


__all__ = [
    "LborgProvider",
    "LborgProviderConfig",
]

publication.publish()
