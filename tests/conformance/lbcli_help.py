"""What the vendor's lbcli help and JSON request samples name: every action and its fields.

Transcribed from `lbcli-help.txt` and the `library/json` samples of the public
`loadbalancerorg/LB_API_Library` (facts only). The conformance fixtures must use every action
and every field listed here at least once; `test_fixtures_cover_the_help` checks that.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


L7_EDIT_FIELDS = _words(
    """ip ports mode persistence cookiename fallback_ip fallback_port persist_time persist_table_size
    maxconn scheduler check_port check_request check_receive check_host check_username appsession_cookie
    forward_for http_pipeline http_pretend_keepalive stunneltproxy feedback_method fallback_persist
    feedback_port check_type external_check_script tcp_keep_alive force_to_https timeout timeout_client
    timeout_server redirect_code no_write waf_label clear_stick_drain compression autoscale_group
    cookie_maxidle cookie_maxlife source_address backend_encryption enable_hsts hsts_month xff_ip_pos
    invalid_http send_proxy as_port http_request stunnel_source proxy_bind slave_ip tunneltimeout
    redispatch fallback_encrypt http_reuse_connection tproxy send_rip_name_as_host"""
)
L4_EDIT_FIELDS = _words(
    """ip ports protocol forwarding granularity fallback_ip fallback_port fallback_local persistent
    persist_time scheduler feedback email email_from check_service check_vhost check_database
    check_login check_password check_type check_port check_request check_response check_secret
    check_command autoscale_group"""
)
STUNNEL_FIELDS = _words(
    """vip ip port backend_ip backend_port slave_ip slave_backend_ip slave_source sslcert sslmode
    associated_to proxy_bind haproxy_ssl_link ciphers disablesslv2 disablesslv3 disabletlsv1
    disabletlsv1_1 disabletlsv1_2 disabletlsv1_3 stunneldnsdelay stunnelproxy servercipherorder
    emptyfragments stunnelrenegotiation stunneltimetoclose sni sni_name sni_rule sni_cert
    sni_backend_proxyprotocol sni_backend_service sni_backend_ip sni_slave_backend_ip sni_backend_port
    csrname city province country organisation unit domain email csrsize signalgorithm days"""
)
GSLB_FIELDS = _words(
    """section function name hostname ttl ip monitor_ip weight add_member delete_member monitor
    monitor_interval monitor_timeout monitor_retries monitor_use_ssl monitor_status monitor_hostname
    monitor_url_path monitor_port monitor_expected_codes monitor_send_string monitor_match_response
    monitor_script monitor_parameters monitor_result lb_method fallback max_addresses_returned
    add_globalname delete_globalname add_ips delete_ips report"""
)
WAF_EDIT_FIELDS = _words(
    """in_anom_score out_anom_score req_data resp_data audit proxytimeout dlogin dlogin_mode
    dlogin_location dlogin_static_username dlogin_static_password dlogin_google_clientid
    dlogin_google_clientsecret dlogin_google_redirect_uri dlogin_google_passphrase
    dlogin_google_allowed_domain rule_engine disable_waf cacheaccel cache_nocache_files
    cache_force_cache cache_object_size"""
)
RELOADS = ("apache", "ldirectord", "haproxy", "waf", "syslog", "stunnel", "heartbeat", "gslb")
RESTARTS = tuple(
    sorted(
        _words(
            "ldirectord haproxy heartbeat pound stunnel collectd firewall syslog snmp waf autoscaling azha"
        )
    )
)

#: action -> every field the help or a sample gives it (besides `action`).
HELP_ACTIONS: dict[str, frozenset[str]] = {
    "drain": frozenset({"vip", "rip", "services"}),
    "halt": frozenset({"vip", "rip", "services"}),
    "online": frozenset({"vip", "rip", "services"}),
    "add-vip": _words(
        "layer vip ip ports forwarding protocol slave_ip mode fallback_ip fallback_port service_type "
        "encrypt_all_backends"
    ),
    "delete-vip": frozenset({"vip"}),
    "edit-vip": frozenset({"vip"}) | L7_EDIT_FIELDS | L4_EDIT_FIELDS,
    "clone-vip": frozenset({"vip", "clone", "ip", "ports"}),
    "add-rip": _words("vip rip ip weight port minconns maxconns encrypted"),
    "delete-rip": frozenset({"vip", "rip"}),
    "edit-rip": _words("vip rip ip port weight minconns maxconns encrypted"),
    "add-waf": frozenset({"vip", "waf"}),
    "edit-waf": frozenset({"waf"}) | WAF_EDIT_FIELDS,
    "delete-waf": frozenset({"vip", "waf"}),
    "add-floating-ip": frozenset({"ip"}),
    "delete-floating-ip": frozenset({"ip"}),
    "fix-floating-ip": frozenset({"ip"}),
    **{f"restart-{name}": frozenset() for name in RESTARTS},
    **{f"reload-{name}": frozenset() for name in RELOADS},
    "status-gslb": frozenset(),
    "haproxy-clear-stick": frozenset(),
    "termination": frozenset({"type", "function"}) | STUNNEL_FIELDS,
    "acl": _words("function vip pathtype path redirecttype location bool"),
    "headers": _words("function vip header_type header_option header_name header_value"),
    "lockdown": frozenset({"enabled", "network"}),
    "list": frozenset({"function", "layer", "vip", "rip"}),
    "ha_create": frozenset({"local_ip", "peer_ip", "peer_password"}),
    "hostname": frozenset({"function", "hostname", "domain"}),
    "dns": frozenset({"function", "dns0", "dns1", "dns2"}),
    "mtu": frozenset({"function", "interface", "mtu"}),
    "route": frozenset({"function", "type", "gateway", "interface", "network"}),
    "address": frozenset({"function", "interface", "address", "cidr"}),
    "pbr": frozenset({"function", "ip", "gateway"}),
    "gslb": GSLB_FIELDS,
    "api": frozenset({"function", "username", "password", "apikey"}),
    "power": frozenset({"function"}),
    "nodestatus": frozenset(),
}
#: Values each enumerated field may take, per the help (checked for coverage as well).
HELP_VALUES: dict[tuple[str, str], frozenset[str]] = {
    ("add-vip", "forwarding"): frozenset({"gate", "masq", "ipip", "snat"}),
    ("add-vip", "protocol"): frozenset({"tcp", "udp", "tcpudp", "ops", "fwm"}),
    ("add-vip", "mode"): frozenset({"http", "tcp", "other_tcp"}),
    ("edit-vip", "persistence"): _words(
        "http appsession sslsesid rdp-session rdp-cookie ip http_ip xff none fallback_persist"
    ),
    ("edit-vip", "check_type"): _words(
        "negotiate_http negotiate_http_head negotiate_https negotiate_https_head connect external mysql none "
        "negotiate ping off on 5 10"
    ),
    ("edit-vip", "scheduler"): frozenset({"roundrobin", "leastconn", "wlc", "wrr", "dh"}),
    ("edit-vip", "http_pipeline"): frozenset(
        {"http_keep_alive", "http_close", "http_server_close", "http_force_close"}
    ),
    ("edit-vip", "send_proxy"): frozenset({"none", "v1", "v2", "v2_ssl", "v2_ssn_cn"}),
    ("edit-vip", "redirect_code"): frozenset({"301", "302", "303", "307", "308"}),
    ("edit-vip", "check_service"): _words(
        "http https http_proxy imap imaps pop pops ldap smtp nntp dns mysql sip simpletcp radius none"
    ),
    ("edit-vip", "feedback"): frozenset({"agent", "http", "none"}),
    ("edit-vip", "feedback_method"): frozenset({"agent", "none"}),
    ("acl", "pathtype"): frozenset({"path_beg", "path_end", "hdr_host", "hdr_beg", "query", "src_blk"}),
    ("acl", "redirecttype"): frozenset({"url_loc", "url_pre", "backend", "use_server"}),
    ("acl", "bool"): frozenset({"equal", "notequal"}),
    ("headers", "header_option"): frozenset({"add", "set", "del", "replace"}),
    ("headers", "header_type"): frozenset({"http-request", "http-response"}),
    ("termination", "sslmode"): frozenset({"high", "fips", "compatable", "custom"}),
    ("address", "function"): frozenset({"get", "add", "del", "flush"}),
    ("pbr", "function"): frozenset({"get", "set", "delete"}),
    ("api", "function"): frozenset({"enable", "disable", "get"}),
    ("power", "function"): frozenset({"shutdown", "restart"}),
    ("gslb", "section"): frozenset({"globalnames", "members", "pools", "topologies", "reports"}),
    ("gslb", "monitor"): frozenset({"http", "tcp", "forced", "external", "external_dynamic_weight"}),
    ("gslb", "lb_method"): frozenset({"wrr", "twrr", "fogroup"}),
}
