# The other resources only edit the appliance's pending configuration; the commit reloads each
# service once, after them, in the same apply. In plain HCL, make each trigger a digest of the
# resources that configure that service: the commit then depends on all of them (so it runs
# last) and a change to any of them changes the trigger, which reloads that service.
resource "lborg_commit" "this" {
  triggers = {
    haproxy = sha256(jsonencode([
      lborg_layer7_vip.https,
      lborg_layer7_real_server.eas1,
    ]))
    ldirectord = sha256(jsonencode([
      lborg_layer4_vip.sip,
      lborg_layer4_real_server.eas1,
    ]))
    heartbeat = sha256(jsonencode([lborg_floating_ip.service_gateway]))
  }
}

output "reloaded" {
  value = lborg_commit.this.reloads # e.g. ["haproxy"] after a change to a Layer 7 pool
}
