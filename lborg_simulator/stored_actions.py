"""Actions the simulator accepts and stores, but does not emulate.

SSL termination (stunnel) and certificates, WAF gateways, Layer 7 ACL and header rules, GSLB,
policy-based routing and the firewall lockdown are in the vendor's lbcli help. The simulator
checks their fields against the help and keeps them in the configuration, so `list dumpconfig`
shows them and a client's request is answered as on the appliance, but no traffic depends on
them (docs/appliance-api.md says where each is stored; those element names are our assumption).
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any

from lborg_simulator import validation as v
from lborg_simulator.config import find_virtual, get_text, section, set_text
from lborg_simulator.validation import ActionError, Fields, failed

Outcome = tuple[str, Any]
Check = Callable[[str, str], str]


def _choice(*options: str) -> Check:
    return lambda value, field: v.choice(value, field, options)


def _number(low: int, high: int) -> Check:
    return lambda value, field: str(v.integer(value, field, low, high))


def _port(value: str, field: str) -> str:
    return str(v.port(value, field))


def _cidr(value: str, field: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError:
        raise failed(f"field '{field}': '{value}' is not a network in CIDR form") from None


ON_OFF = _choice("on", "off")


def _checked(fields: Fields, specs: Mapping[str, Check]) -> dict[str, str]:
    """The fields of `specs` present in `fields`, checked; an empty value is kept as empty."""
    return {
        name: "" if fields[name] == "" else check(fields[name], name)
        for name, check in specs.items()
        if name in fields
    }


def _record(parent: ET.Element, tag: str, values: Mapping[str, str]) -> ET.Element:
    node = ET.SubElement(parent, tag)
    for name, value in values.items():
        set_text(node, name, value)
    return node


def _as_json(node: ET.Element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in node if len(child) == 0}


def _layer7_vip(root: ET.Element, fields: Fields) -> tuple[ET.Element, str]:
    label = v.required(fields, "vip")
    found = find_virtual(root, label)
    if found is None:
        raise ActionError("missing", f"VIP '{label}' does not exist")
    if found[0] != "7":
        raise failed(f"field 'vip': '{label}' is a layer 4 VIP; this action needs a layer 7 VIP")
    return found[1], label


# ---- Layer 7 ACL and header rules (stored in the VIP: they take effect on reload-haproxy) ----
ACL_FIELDS: dict[str, Check] = {
    "pathtype": _choice("path_beg", "path_end", "hdr_host", "hdr_beg", "query", "src_blk"),
    "path": v.text,
    "redirecttype": _choice("url_loc", "url_pre", "backend", "use_server"),
    "location": v.text,
    "bool": _choice("equal", "notequal"),
}


def acl(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("function", "vip", *ACL_FIELDS), "acl")
    function = v.choice(v.required(fields, "function"), "function", ("list", "add", "delete"))
    virtual, label = _layer7_vip(root, fields)
    rules = section(virtual, "acl")
    if function == "list":
        return f"ACL rules of VIP '{label}'", {"acl": [_as_json(rule) for rule in rules.findall("rule")]}
    for name in ("pathtype", "path", "redirecttype", "location"):
        v.required(fields, name)
    values = _checked(fields, ACL_FIELDS)
    values.setdefault("bool", "equal")
    matching = [rule for rule in rules.findall("rule") if _as_json(rule) == values]
    if function == "add":
        if matching:
            raise ActionError("exists", f"VIP '{label}' already has this ACL rule")
        _record(rules, "rule", values)
        return f"ACL rule added to VIP '{label}'", None
    if not matching:
        raise ActionError("missing", f"VIP '{label}' has no such ACL rule")
    rules.remove(matching[0])
    return f"ACL rule deleted from VIP '{label}'", None


HEADER_FIELDS: dict[str, Check] = {
    "header_type": _choice("http-request", "http-response"),
    "header_option": _choice("add", "set", "del", "replace"),
    "header_name": v.text,
    "header_value": v.text,
}


def headers(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("function", "vip", *HEADER_FIELDS), "headers")
    function = v.choice(v.required(fields, "function"), "function", ("list", "add", "delete"))
    virtual, label = _layer7_vip(root, fields)
    rules = section(virtual, "headers")
    if function == "list":
        return f"header rules of VIP '{label}'", {
            "headers": [_as_json(rule) for rule in rules.findall("header")]
        }
    option = v.required(fields, "header_option")
    name = v.required(fields, "header_name")
    values = _checked(fields, HEADER_FIELDS)
    matching = [
        rule
        for rule in rules.findall("header")
        if get_text(rule, "header_option") == option and get_text(rule, "header_name") == name
    ]
    if function == "add":
        v.required(fields, "header_type")
        if matching:
            raise ActionError("exists", f"VIP '{label}' already has a '{option}' rule for header '{name}'")
        _record(rules, "header", values)
        return f"header rule for '{name}' added to VIP '{label}'", None
    if not matching:
        raise ActionError("missing", f"VIP '{label}' has no '{option}' rule for header '{name}'")
    rules.remove(matching[0])
    return f"header rule for '{name}' deleted from VIP '{label}'", None


# ---- SSL termination and certificates ------------------------------------------------------
CSR_FIELDS: dict[str, Check] = {
    "csrname": v.text,
    "city": v.text,
    "province": v.text,
    "country": lambda value, field: _country(value, field),
    "organisation": v.text,
    "unit": v.text,
    "domain": v.text,
    "email": v.text,
    "csrsize": _choice("2048", "4096"),
    "signalgorithm": _choice("sha256"),
    "days": _number(1, 36500),
}
STUNNEL_FIELDS: dict[str, Check] = {
    "ip": v.ip_address,
    "port": _port,
    "backend_ip": v.ip_address,
    "backend_port": _port,
    "slave_ip": v.ip_address,
    "slave_backend_ip": v.ip_address,
    "slave_source": v.ip_address,
    "sslcert": v.text,
    "sslmode": _choice("high", "fips", "compatable", "custom"),
    "associated_to": v.text,
    "proxy_bind": v.text,
    "haproxy_ssl_link": v.text,
    "ciphers": v.text,
    "disablesslv2": ON_OFF,
    "disablesslv3": ON_OFF,
    "disabletlsv1": ON_OFF,
    "disabletlsv1_1": ON_OFF,
    "disabletlsv1_2": ON_OFF,
    "disabletlsv1_3": ON_OFF,
    "stunneldnsdelay": ON_OFF,
    "stunnelproxy": ON_OFF,
    "servercipherorder": ON_OFF,
    "emptyfragments": ON_OFF,
    "stunnelrenegotiation": ON_OFF,
    "stunneltimetoclose": _number(0, 86400),
}
SNI_FIELDS: dict[str, Check] = {
    "sni_name": v.text,
    "sni_rule": v.text,
    "sni_cert": v.text,
    "sni_backend_proxyprotocol": ON_OFF,
    "sni_backend_service": v.text,
    "sni_backend_ip": v.ip_address,
    "sni_slave_backend_ip": v.ip_address,
    "sni_backend_port": _port,
}
#: The appliance's built-in certificate (the help: `--sslcert server`).
BUILT_IN_CERTIFICATE = "server"


def _country(value: str, field: str) -> str:
    if len(value) != 2 or not value.isalpha():
        raise failed(f"field '{field}': '{value}' is not a two-letter ISO country code (GB for the UK)")
    return value.upper()


def _find_by(parent: ET.Element, tag: str, key: str, value: str) -> ET.Element | None:
    return next((node for node in parent.findall(tag) if get_text(node, key) == value), None)


def termination(root: ET.Element, fields: Fields) -> Outcome:
    kind = v.choice(v.required(fields, "type"), "type", ("certificate", "stunnel"))
    if kind == "certificate":
        return _certificate(root, fields)
    return _stunnel(root, fields)


def _certificate(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("type", "function", *CSR_FIELDS), "termination")
    function = v.choice(v.required(fields, "function"), "function", ("list", "csr"))
    store = section(root, "certificates")
    if function == "list":
        names = [BUILT_IN_CERTIFICATE] + [get_text(node, "csrname") for node in store.findall("csr")]
        return "certificates", {"certificates": names}
    name = v.required(fields, "csrname")
    if name == BUILT_IN_CERTIFICATE or _find_by(store, "csr", "csrname", name) is not None:
        raise ActionError("exists", f"certificate '{name}' already exists")
    _record(store, "csr", _checked(fields, CSR_FIELDS))
    return f"certificate signing request '{name}' created (not emulated: no key is generated)", None


def _stunnel(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("type", "function", "vip", "sni", *STUNNEL_FIELDS, *SNI_FIELDS), "termination")
    function = v.choice(v.required(fields, "function"), "function", ("add", "edit", "delete"))
    label = v.label(v.required(fields, "vip"), "vip")
    store = section(root, "stunnel")
    found = _find_by(store, "virtual", "label", label)
    if function == "add":
        for name in ("ip", "port", "backend_port"):
            v.required(fields, name)
        values = _checked(fields, STUNNEL_FIELDS)
        if found is not None:
            raise ActionError("exists", f"SSL termination '{label}' already exists")
        values.setdefault("sslcert", BUILT_IN_CERTIFICATE)
        _record(store, "virtual", {"label": label, **values})
        return f"SSL termination '{label}' added", None
    if found is None:
        raise ActionError("missing", f"SSL termination '{label}' does not exist")
    if function == "delete":
        v.reject_unknown(fields, ("type", "function", "vip"), "termination")
        store.remove(found)
        return f"SSL termination '{label}' deleted", None
    if fields.get("sni"):
        return _sni(found, label, fields)
    values = _checked(fields, STUNNEL_FIELDS)
    if not values:
        raise failed(f"termination edit: no field to change for '{label}'")
    for name, value in values.items():
        set_text(found, name, value)
    return f"SSL termination '{label}' updated: {', '.join(sorted(values))}", None


def _sni(termination_node: ET.Element, label: str, fields: Fields) -> Outcome:
    action = v.choice(fields["sni"], "sni", ("add", "edit", "delete"))
    name = v.required(fields, "sni_name")
    rules = section(termination_node, "sni")
    found = _find_by(rules, "rule", "sni_name", name)
    values = _checked(fields, SNI_FIELDS)
    if action == "add":
        v.required(fields, "sni_rule")
        # Add/delete/edit as gslb() does for its items; kept apart: each object answers in its own words.
        if found is not None:
            raise ActionError("exists", f"SNI rule '{name}' already exists in '{label}'")
        _record(rules, "rule", values)
        return f"SNI rule '{name}' added to '{label}'", None
    if found is None:
        raise ActionError("missing", f"SNI rule '{name}' does not exist in '{label}'")
    if action == "delete":
        rules.remove(found)
        return f"SNI rule '{name}' deleted from '{label}'", None
    for key, value in values.items():
        set_text(found, key, value)
    return f"SNI rule '{name}' of '{label}' updated", None


# ---- WAF gateways ---------------------------------------------------------------------------
WAF_FIELDS: dict[str, Check] = {
    "in_anom_score": _number(1, 100),
    "out_anom_score": _number(1, 100),
    "req_data": ON_OFF,
    "resp_data": ON_OFF,
    "audit": ON_OFF,
    "proxytimeout": _number(1, 86400),
    "dlogin": ON_OFF,
    "dlogin_mode": _choice("static", "openid_google"),
    "dlogin_location": v.text,
    "dlogin_static_username": v.text,
    "dlogin_static_password": v.text,
    "dlogin_google_clientid": v.text,
    "dlogin_google_clientsecret": v.text,
    "dlogin_google_redirect_uri": v.text,
    "dlogin_google_passphrase": v.text,
    "dlogin_google_allowed_domain": v.text,
    "rule_engine": ON_OFF,
    "disable_waf": ON_OFF,
    "cacheaccel": ON_OFF,
    "cache_nocache_files": v.text,
    "cache_force_cache": ON_OFF,
    "cache_object_size": _number(0, 10_000_000),
}


def add_waf(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("vip", "waf"), "add-waf")
    _virtual, vip = _layer7_vip(root, fields)
    name = v.label(v.required(fields, "waf"), "waf")
    store = section(root, "waf")
    if _find_by(store, "gateway", "label", name) is not None:
        raise ActionError("exists", f"WAF '{name}' already exists")
    _record(store, "gateway", {"label": name, "vip": vip})
    return f"WAF '{name}' added in front of VIP '{vip}'", None


def edit_waf(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("waf", *WAF_FIELDS), "edit-waf")
    name = v.required(fields, "waf")
    found = _find_by(section(root, "waf"), "gateway", "label", name)
    if found is None:
        raise ActionError("missing", f"WAF '{name}' does not exist")
    values = _checked(fields, WAF_FIELDS)
    if not values:
        raise failed(f"edit-waf: no field to change for WAF '{name}'")
    for key, value in values.items():
        set_text(found, key, value)
    return f"WAF '{name}' updated: {', '.join(sorted(values))}", None


def delete_waf(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("vip", "waf"), "delete-waf")
    name = v.required(fields, "waf")
    store = section(root, "waf")
    found = _find_by(store, "gateway", "label", name)
    if found is None or (fields.get("vip") and get_text(found, "vip") != fields["vip"]):
        raise ActionError("missing", f"WAF '{name}' does not exist in front of VIP '{fields.get('vip', '')}'")
    store.remove(found)
    return f"WAF '{name}' deleted", None


# ---- GSLB ----------------------------------------------------------------------------------
GSLB_FIELDS: dict[str, dict[str, Check]] = {
    "globalnames": {"name": v.text, "hostname": v.text, "ttl": _number(0, 2_147_483_647)},
    "members": {
        "name": v.text,
        "ip": v.ip_address,
        "monitor_ip": v.ip_address,
        "weight": _number(0, 10),
        "add_member": v.text,
    },
    "pools": {
        "name": v.text,
        "monitor": _choice("http", "tcp", "forced", "external", "external_dynamic_weight"),
        "monitor_interval": _number(1, 86400),
        "monitor_timeout": _number(1, 86_400_000),
        "monitor_retries": _number(0, 100),
        "monitor_use_ssl": _choice("yes", "no", "true", "false"),
        "monitor_status": _choice("up", "down"),
        "monitor_hostname": v.text,
        "monitor_url_path": v.text,
        "monitor_port": _port,
        "monitor_expected_codes": v.text,
        "monitor_send_string": v.text,
        "monitor_match_response": v.text,
        "monitor_script": v.text,
        "monitor_parameters": v.text,
        "monitor_result": v.text,
        "lb_method": _choice("wrr", "twrr", "fogroup"),
        "fallback": _choice("any", "refuse"),
        "max_addresses_returned": _number(1, 1000),
        "add_globalname": v.text,
        "delete_globalname": v.text,
        "add_member": v.text,
        "delete_member": v.text,
    },
    "topologies": {"name": v.text, "add_ips": v.text, "delete_ips": v.text},
}


def gslb(root: ET.Element, fields: Fields) -> Outcome:
    part = v.choice(v.required(fields, "section"), "section", (*GSLB_FIELDS, "reports"))
    if part == "reports":
        v.reject_unknown(fields, ("section", "function", "report"), "gslb")
        v.choice(v.required(fields, "function"), "function", ("get",))
        report = v.choice(v.required(fields, "report"), "report", ("get_ppdns_state", "get_generic_state"))
        return f"GSLB report {report} (not emulated: no GSLB service runs)", {"report": report, "state": []}
    specs = GSLB_FIELDS[part]
    v.reject_unknown(fields, ("section", "function", *specs), "gslb")
    function = v.choice(v.required(fields, "function"), "function", ("add", "edit", "delete", "list"))
    store = section(section(root, "gslb"), part)
    if function == "list":
        return f"GSLB {part}", {part: [_as_json(node) for node in store.findall("item")]}
    name = v.required(fields, "name")
    found = _find_by(store, "item", "name", name)
    values = _checked(fields, specs)
    if function == "add":
        # Add/delete/edit as _sni() does for its rules; kept apart: each object answers in its own words.
        if found is not None:
            raise ActionError("exists", f"GSLB {part} '{name}' already exists")
        _record(store, "item", values)
        return f"GSLB {part} '{name}' added", None
    if found is None:
        raise ActionError("missing", f"GSLB {part} '{name}' does not exist")
    if function == "delete":
        store.remove(found)
        return f"GSLB {part} '{name}' deleted", None
    for key, value in values.items():
        set_text(found, key, value)
    return f"GSLB {part} '{name}' updated", None


def gslb_status(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, (), "status-gslb")
    store = section(root, "gslb")
    counts = {part: len(section(store, part).findall("item")) for part in GSLB_FIELDS}
    return "GSLB configuration stored (not emulated: no GSLB service runs)", counts


# ---- policy-based routing and the firewall lockdown ------------------------------------------
def pbr(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("function", "ip", "gateway"), "pbr")
    function = v.choice(v.required(fields, "function"), "function", ("get", "set", "delete"))
    store = section(root, "pbr")
    ip = fields.get("ip", "")
    gateway = fields.get("gateway", "")
    if ip and not isinstance(ipaddress.ip_address(v.ip_address(ip, "ip")), ipaddress.IPv4Address):
        raise failed(f"field 'ip': '{ip}' is not an IPv4 address (policy routing takes IPv4 floating IPs)")
    if gateway:
        v.ip_address(gateway, "gateway")
    policies = store.findall("policy")
    matching = [p for p in policies if get_text(p, "ip") == ip and get_text(p, "gateway") == gateway]
    if function == "get":
        chosen = matching if ip and gateway else policies
        return "policy routes", {"policies": [_as_json(p) for p in chosen]}
    v.required(fields, "ip")
    v.required(fields, "gateway")
    if function == "set":
        if matching:
            raise ActionError("exists", f"a policy route for {ip} via {gateway} already exists")
        _record(store, "policy", {"ip": ip, "gateway": gateway})
        return f"traffic from {ip} now routed via {gateway}", None
    if not matching:
        raise ActionError("missing", f"no policy route for {ip} via {gateway}")
    store.remove(matching[0])
    return f"policy route for {ip} via {gateway} deleted", None


def lockdown(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("enabled", "network"), "lockdown")
    enabled = v.on_off(v.required(fields, "enabled"), "enabled")
    network = fields.get("network", "")
    if enabled == "on":
        network = _cidr(v.required(fields, "network"), "network")
    node = section(section(root, "physical"), "lockdown")
    set_text(node, "enabled", enabled)
    set_text(node, "network", network)
    return f"firewall lockdown {enabled} (not emulated: the simulator has no firewall)", None
