# The other resources only edit the appliance's pending configuration; the commit reloads each
# service once, after them, in the same apply. `depends_on` alone is enough: the commit is planned
# after every resource it depends on, sees what their plans will write (creates, updates and
# deletes) and plans a reload of exactly those services. An unchanged configuration plans nothing.
resource "lborg_commit" "this" {
  depends_on = [
    lborg_layer7_vip.https,
    lborg_layer7_real_server.eas1,
    lborg_layer4_vip.sip,
    lborg_layer4_real_server.eas1,
    lborg_floating_ip.service_gateway,
  ]
  # Optional, as before: `triggers = { haproxy = sha256(jsonencode([...])), ... }` also reloads a
  # service whenever its trigger changes.
}

# `terraform destroy` destroys the commit above first. This one reloads when it is destroyed: give
# every VIP and floating IP `depends_on = [lborg_commit.on_destroy]` and it is destroyed last, so
# the running services stop serving what was destroyed.
resource "lborg_commit" "on_destroy" {
  on_destroy = true
}

output "reloaded" {
  value = lborg_commit.this.reloads # e.g. ["haproxy"] after a change to a Layer 7 pool
}

output "outside_terraform" {
  value = lborg_commit.this.unmanaged # e.g. ["VIP 'TEST-80'"]: the next reload would activate it
}
