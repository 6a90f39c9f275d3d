"""The provider's run-time: what one provider process keeps while Terraform talks to it.

The connection to one appliance (`connection`: shared read cache, write lock, batches of writes
from `batching`), the create protocol (`create`: the one way an object is created, with the
create journal in `create_journal`, take-over and refusal), drains before removal (`drains`),
what a plan will write (`plan_ledger`, `reload_plan`), the provider block's settings
(`settings`) and stopping without cutting an appliance call short (`graceful`). No resource
type lives here: resources use it.
"""
