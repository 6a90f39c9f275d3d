"""The bottom layer shared by the provider, the simulator and ``eas_lb``: small, dependency-free helpers.

Nothing here knows about Terraform, cdktf, appliances or sites; each module does one thing that every
package above needs done the same way (atomic files, waiting for a condition, text tables, the
command line's declaration and its progress lines).
"""
