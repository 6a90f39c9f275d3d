# Pair this (primary) appliance with an empty secondary; the peer's password comes from the
# environment variable named here, never from the configuration.
resource "lborg_ha_pair" "pair" {
  local_ip          = "10.225.37.240"
  peer_ip           = "10.225.37.241"
  peer_password_env = "LB_PEER_PASSWORD"
}
