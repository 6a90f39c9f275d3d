# An EAS management pool (pools.txt: HTTPS-443 10.225.37.227 tcp 443 2100 ...) as the guide sets it.
resource "lborg_layer7_vip" "https" {
  label          = "MGMT_HTTPS-443"
  ip             = "10.225.37.227"
  ports          = "443"
  mode           = "tcp"
  persistence    = "ip"
  persist_time   = 35 # minutes: sticky 2100 s
  check_type     = "connect"
  timeout_client = "900000"
  timeout_server = "901000"
}
