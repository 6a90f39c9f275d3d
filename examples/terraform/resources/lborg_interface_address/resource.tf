# eth1 on the EAS service network (scenario 1).
resource "lborg_interface_address" "service" {
  interface = "eth1"
  address   = "192.168.85.240/18"
}
