resource "lborg_hostname" "this" {
  hostname = "lbprimary"
  domain   = "example.net"
}
