"""Running cdktf and Terraform for the features: the CLI and its environment (`cdktf`) and a
stack's state (`state`). Deploy, destroy, adopt, migrate-labels and the demo share these."""
