# The default route (no network), and one static route.
resource "lborg_route" "default" {
  gateway = "10.225.37.1"
}

resource "lborg_route" "office" {
  network = "10.20.0.0/16"
  gateway = "10.225.37.254"
}
