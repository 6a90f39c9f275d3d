# What is configured on the appliance, whoever configured it.
data "lborg_config" "current" {}

output "layer7_vips" {
  value = data.lborg_config.current.layer7_vips
}
