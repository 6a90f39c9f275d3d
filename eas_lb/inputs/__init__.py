"""Inputs: the site's files (pools.txt, the site YAML, its SSH and backend settings) → validated models.

The bottom layer of `eas_lb`. Pure: no cdktf, no network, no Terraform. Everything above reads
the site through these models, so a file error is reported once, with its line, before anything
is synthesized or contacted.
"""
