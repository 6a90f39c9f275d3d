"""What the appliance API lacks, done over SSH: pools.txt from the EAS, lb_config.xml backups and restores."""
