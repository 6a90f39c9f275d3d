# An EAS service pool (pools.txt '# SERVICE': SIP-5060 - tcp 5060 300 ...): Layer 4 NAT.
resource "lborg_layer4_vip" "sip" {
  label        = "SERV_SIP-5060"
  ip           = "192.168.85.150"
  ports        = "5060"
  protocol     = "tcp"
  forwarding   = "masq"
  scheduler    = "wrr"
  persistent   = true
  persist_time = 300 # seconds
  check_type   = "connect"
}
