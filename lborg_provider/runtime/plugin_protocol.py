"""Destroy plans and their private data, which the `tf` framework leaves out of the plugin protocol.

Terraform plans a delete with the provider (PlanResourceChange with a null proposed state) only
when the provider's schema announces `plan_destroy`; the private data that plan returns is stored
in the plan (a saved plan file too) and handed back to the delete at apply as `planned_private`.
That is the only way a delete learns what the plan knew when it was made. `tf` 1.2 announces the
capability in GetMetadata alone (Terraform reads it from GetProviderSchema), answers a destroy
plan with an error, and drops `planned_private` at apply. The servicer here, put in the place of
`tf.provider.ProviderServicer` before the runner starts (`install`), adds what is missing:

- GetProviderSchema announces `plan_destroy` (and the optional schema call `tf` supports);
- a destroy plan is answered with a null planned state and the private data of the resource's
  `plan_destroy(ctx, prior_state) -> bytes` (resources without one plan a plain delete);
- a delete runs with its plan's private data readable through `planned_private()`.

Everything else is `tf`'s own handling.
"""

from __future__ import annotations

import contextvars
from typing import Any

#: The private data of the change being applied in this gRPC call (empty when there is none).
_PLANNED_PRIVATE: contextvars.ContextVar[bytes] = contextvars.ContextVar("planned_private", default=b"")


def planned_private() -> bytes:
    """The planned private data of the delete (or other change) this thread is applying."""
    return _PLANNED_PRIVATE.get()


def servicer_class() -> type[Any]:
    """`tf`'s ProviderServicer with destroy plans and planned private data (module docstring)."""
    from tf.gen import tfplugin_pb2 as pb
    from tf.iface import PlanContext
    from tf.provider import ProviderServicer, _decode_state, _log_errors
    from tf.utils import Diagnostics, to_dynamic_value

    class LborgServicer(ProviderServicer):  # type: ignore[misc]
        @_log_errors  # type: ignore[untyped-decorator]
        def GetProviderSchema(self, request: Any, context: Any) -> Any:
            response = super().GetProviderSchema(request, context)
            response.server_capabilities.plan_destroy = True
            response.server_capabilities.get_provider_schema_optional = True
            return response

        @_log_errors  # type: ignore[untyped-decorator]
        def PlanResourceChange(self, request: Any, context: Any) -> Any:
            if not (is_null(request.proposed_new_state) and not is_null(request.prior_state)):
                return super().PlanResourceChange(request, context)  # not a destroy: `tf` decodes it
            diags = Diagnostics()
            attrs = self._get_res_attrs(request.type_name)
            blocks = self._get_res_blocks(request.type_name)
            _, prior = _decode_state(diags, attrs, blocks, request.prior_state)
            if diags.has_errors() or prior is None:
                return super().PlanResourceChange(request, context)
            resource = self.app.new_resource(self._get_res_cls(request.type_name))
            plan_destroy = getattr(resource, "plan_destroy", None)
            private = b""
            if plan_destroy is not None:
                private = plan_destroy(PlanContext(diags, request.type_name, changed_fields=set()), prior)
            return pb.PlanResourceChange.Response(
                planned_state=to_dynamic_value(None),
                planned_private=private,
                diagnostics=diags.to_pb(),
            )

        def ApplyResourceChange(self, request: Any, context: Any) -> Any:
            token = _PLANNED_PRIVATE.set(bytes(request.planned_private))
            try:
                return super().ApplyResourceChange(request, context)
            finally:
                _PLANNED_PRIVATE.reset(token)

    return LborgServicer


#: A null value as Terraform encodes it in a DynamicValue: MessagePack's nil, or JSON's null.
_MSGPACK_NIL = b"\xc0"


def is_null(value: Any) -> bool:
    """Whether a DynamicValue holds null, read from its bytes: a plan that is not a destroy goes
    to `tf` undecoded (decoding both states first cost every plan two decodes of its own)."""
    if value.msgpack:
        return bool(value.msgpack == _MSGPACK_NIL)
    return bool(value.json.strip() in (b"", b"null"))


def install() -> None:
    """Make the `tf` runner serve `LborgServicer`; call before `run_provider` (it looks the class
    up when it starts)."""
    import tf.provider

    tf.provider.ProviderServicer = servicer_class()
