# The service-network gateway of the EAS servers: it follows the active appliance of an HA pair.
resource "lborg_floating_ip" "service_gateway" {
  ip = "192.168.85.10"
}
