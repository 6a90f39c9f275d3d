# One EAS server behind the Layer 4 VIP; its port defaults to the VIP's.
resource "lborg_layer4_real_server" "eas1" {
  vip   = lborg_layer4_vip.sip.label
  label = "EAS_SSS-1"
  ip    = "192.168.85.61"
}
