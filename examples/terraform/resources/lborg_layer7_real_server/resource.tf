# One EAS server behind the Layer 7 VIP; create one per server IP of the pool.
resource "lborg_layer7_real_server" "eas1" {
  vip   = lborg_layer7_vip.https.label
  label = "EAS_SSS-1"
  ip    = "10.225.37.231"
  port  = 443
}
