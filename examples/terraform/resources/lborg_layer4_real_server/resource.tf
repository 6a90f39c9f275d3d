# One EAS server behind the Layer 4 VIP; its port defaults to the VIP's.
resource "lborg_layer4_real_server" "eas1" {
  vip   = lborg_layer4_vip.sip.label
  label = "EAS_SSS-1"
  ip    = "192.168.85.61"
}

# Another, taken out of service for an upgrade: no new connections, established ones continue.
# When it leaves the configuration it drains for 5 minutes before the reload removes it.
resource "lborg_layer4_real_server" "eas2" {
  vip           = lborg_layer4_vip.sip.label
  label         = "EAS_SSS-2"
  ip            = "192.168.85.62"
  state         = "drain"
  drain_seconds = 300
}
