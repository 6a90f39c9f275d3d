"""The deployment guide's values: VIP and real-server settings per pool, VM sizing, the adoption record.

Sits on `eas_lb.inputs` and below cdktf: these are plain values a construct, a verify check and
an adoption all compare against, so the guide is written down once and nothing here synthesizes
or talks to an appliance.
"""
