# One Layer 7 VIP (SNAT, like an EAS management pool) and one Layer 4 VIP (NAT, like a service
# pool), two real servers each, and one commit that reloads each service once per apply.
#
# Credentials come from the environment: LBORG_USERNAME, LBORG_PASSWORD (or LBORG_PASSWORD_FILE)
# and LBORG_API_KEY (or LBORG_API_KEY_FILE). Install the provider first:
#   export TF_CLI_CONFIG_FILE=$(python -m lborg_provider install | tail -n 1)
#   terraform init && terraform apply -var-file=site.tfvars

terraform {
  required_providers {
    lborg = { source = "local/lborg/lborg", version = "0.1.0" }
  }
}

variable "endpoint" {
  description = "The appliance's API, e.g. https://192.168.2.21:9443"
  type        = string
}

variable "ca_file" {
  description = "CA that signed the appliance's certificate (null: system CA store)"
  type        = string
  default     = null
}

variable "l7_label" {
  type    = string
  default = "MGMT_HTTPS-443"
}

variable "l7_vip_ip" {
  type = string
}

variable "l7_port" {
  type    = number
  default = 443
}

variable "l4_label" {
  type    = string
  default = "SERV_SIP-5060"
}

variable "l4_vip_ip" {
  type = string
}

variable "l4_port" {
  type    = number
  default = 5060
}

variable "server_ips" {
  description = "The EAS servers behind both VIPs"
  type        = list(string)
}

variable "persist_time_minutes" {
  type    = number
  default = 30
}

# The appliance's defaults; eas_lb sizes both from the site's subscribers (380,000 for 250,000).
variable "maxconn" {
  type    = number
  default = 40000
}

variable "persist_table_size" {
  type    = number
  default = 10240
}

provider "lborg" {
  endpoint = var.endpoint
  ca_file  = var.ca_file
}

locals {
  servers = { for index, ip in var.server_ips : "EAS_SSS-${index + 1}" => ip }
}

resource "lborg_layer7_vip" "management" {
  label              = var.l7_label
  ip                 = var.l7_vip_ip
  ports              = tostring(var.l7_port)
  mode               = "tcp"
  scheduler          = "roundrobin"
  persistence        = "ip"
  persist_time       = var.persist_time_minutes
  persist_table_size = var.persist_table_size
  maxconn            = var.maxconn
  check_type         = "connect"
  check_port         = var.l7_port
  timeout_client     = "900000"
  timeout_server     = "901000"
}

# Alike the Layer 4 real servers below in shape; each layer has its own resource type.
resource "lborg_layer7_real_server" "management" {
  for_each = local.servers
  vip      = lborg_layer7_vip.management.label
  label    = each.key
  ip       = each.value
  port     = var.l7_port
}

resource "lborg_layer4_vip" "service" {
  label        = var.l4_label
  ip           = var.l4_vip_ip
  ports        = tostring(var.l4_port)
  protocol     = "tcp"
  forwarding   = "masq"
  scheduler    = "wrr"
  persistent   = true
  persist_time = 300
  check_type   = "connect"
}

# Alike the Layer 7 real servers above in shape; each layer has its own resource type.
resource "lborg_layer4_real_server" "service" {
  for_each = local.servers
  vip      = lborg_layer4_vip.service.label
  label    = each.key
  ip       = each.value
}

# One reload per service per apply, after every configuration resource above.
resource "lborg_commit" "this" {
  triggers = {
    haproxy    = sha256(jsonencode([lborg_layer7_vip.management, lborg_layer7_real_server.management]))
    ldirectord = sha256(jsonencode([lborg_layer4_vip.service, lborg_layer4_real_server.service]))
  }
}

output "reloads" {
  value = lborg_commit.this.reloads
}
