"""Destroy then deploy on an HA pair of simulators, with no hand work and no leftovers.

The site pairs the two appliances (`lborg_ha_pair`) and deploys its VIPs on the primary, which
replicates them to the secondary; every VIP depends on an `on_destroy` commit, the provider's
pattern for a destroy that reloads. `terraform destroy` must leave both appliances without the
site's VIPs and with nothing pending (the running services match the now empty configuration);
the next apply must recognize the existing pair instead of failing on `ha_create`, and converge
on both nodes within the scenario's applies.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from lborg_simulator.testing import TEST_PASSWORD, running_simulator
from tests.reliability.rel_checks import appliance_objects, convergence_problems, pending_sections
from tests.reliability.rel_harness import MAX_APPLIES, Deployment, apply_errors
from tests.reliability.rel_site import Site
from tests.support.terraform import API_PORT, Terraform, base_env, dumpconfig, next_subnet

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

GUIDE = {"l7.interval": "3000", "l4.checkinterval": "3", "l4.checktimeout": "3", "l4.failurecount": "2"}


def test_destroy_then_deploy_on_an_ha_pair(tmp_path: Path, terraform_home: tuple[Path, Path]) -> None:
    home, cli_config = terraform_home
    subnet = next_subnet()
    shared = ["--ca-dir", str(tmp_path / "ca"), "--heartbeat-interval", "0.5"]
    with ExitStack() as stack:
        primary = stack.enter_context(
            running_simulator(
                tmp_path / "lb1", f"{subnet}.1:{API_PORT}", name="lb1", advanced=GUIDE, extra_args=shared
            )
        )
        secondary = stack.enter_context(
            running_simulator(
                tmp_path / "lb2", f"{subnet}.2:{API_PORT}", name="lb2", advanced=GUIDE, extra_args=shared
            )
        )
        site = Site(
            subnet, primary.endpoint, str(tmp_path / "ca" / "ca.pem"), peer_ip=f"{subnet}.2", on_destroy=True
        )
        tf = Terraform(tmp_path / "work", {**base_env(home, cli_config), "LB2_PASSWORD": TEST_PASSWORD})
        tf.write(site.hcl())
        tf.init()
        d = Deployment(primary, site, tf)
        nodes = [primary, secondary]

        first = d.apply()
        assert first.returncode == 0, apply_errors(first)
        problems = convergence_problems(tf, nodes, site)
        assert not problems, "first deploy:\n" + "\n".join(problems)

        destroyed = tf.run("destroy", "-auto-approve", "-input=false", "-no-color", ok=(0, 1))
        problems = [] if destroyed.returncode == 0 else [f"destroy failed: {apply_errors(destroyed)}"]
        for node in nodes:
            left = sorted(appliance_objects(dumpconfig(node)))
            if left:
                problems.append(f"{node.name}: {len(left)} objects left after destroy: {left[:5]}")
            pending = pending_sections(node)
            if pending:
                problems.append(
                    f"{node.name}: after destroy, services still run the old configuration: {pending}"
                )

        # Deploy again: the pair exists already and must be recognized, not created a second time.
        for _ in range(MAX_APPLIES):
            again = d.apply()
            if again.returncode == 0:
                problems += convergence_problems(tf, nodes, site)
                break
        else:
            problems.append(f"redeploy: no successful apply in {MAX_APPLIES}: {apply_errors(again)}")
        status = primary.call([{"action": "nodestatus"}])[0]["data"]
        if not (status["ha"] and status["peer"] == f"{subnet}.2"):
            problems.append(f"the pair is gone after redeploy: {status['ha']=}, {status['peer']=}")
        assert not problems, f"applies {d.applies}:\n" + "\n".join(problems)
