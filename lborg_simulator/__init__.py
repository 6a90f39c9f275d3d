"""A local Loadbalancer.org appliance: API v2 over HTTPS, `lb_config.xml`, real HAProxy."""
