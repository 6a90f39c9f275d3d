# The API cannot write the global health-check settings; stop a run early when they are not the
# guide's (set them on the WebUI: Cluster Configuration > Layer 7 / Layer 4 Advanced Configuration).
data "lborg_global_settings" "checks" {
  lifecycle {
    postcondition {
      condition     = self.l7_interval == 3000 && self.l4_check_interval == 3 && self.l4_check_timeout == 3 && self.l4_failure_count == 2
      error_message = "Global check settings differ from the deployment guide."
    }
  }
}
