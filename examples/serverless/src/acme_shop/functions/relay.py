"""The relay function, run on a schedule: sends the outbox rows a request could not send.

The API function relays its events right after each commit; when SQS was unreachable then,
the rows stay pending and this function (an EventBridge schedule in ``template.yaml``)
sends them on its next run.
"""

from functools import cache
from typing import Any

import structlog
from mangum.types import LambdaContext

from acme_shop.functions.instance import LambdaInstance
from acme_shop.platform.resources import Resources
from acme_shop.platform.settings import Settings

logger = structlog.get_logger(__name__)


class RelayFunction:
    """One instance of the relay function."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.instance = LambdaInstance(settings)
        self.resources = Resources.create(self.instance.settings)

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        with self.instance.invocation(context, schedule=event.get("resources", [])):
            sent = self.instance.run(self.resources.relay.relay_pending())
            logger.info("outbox_relayed", sent=sent)
        return {"sent": sent}


@cache
def _function() -> RelayFunction:
    return RelayFunction()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The entry point ``template.yaml`` names."""
    return _function()(event, context)
