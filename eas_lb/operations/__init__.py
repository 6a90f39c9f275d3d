"""Operations: what talks to appliances, Terraform or SSH on the operator's behalf.

verify, adopt, plan review, the SSH backup/restore/fetch-pools commands, deploy, the demo lab and
new-site. May import every layer below (synth, guide, inputs); nothing below imports these.
"""
