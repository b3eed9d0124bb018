"""The job queue on Amazon SQS: job ids on the jobs queue, which feeds the jobs function.

SQS is the doorbell and nothing more: a message is one job id. Retries, schedules, dead letters
and recovery from an invocation that died are rules on the job's row (``runner.py``,
``sweeper.py``), which work the same whatever SQS does with a message. A message the jobs
function could not take (PostgreSQL unreachable) is delivered again, and after
``maxReceiveCount`` deliveries it lies in the jobs dead-letter queue (``template.yaml``); its
job is sent again by the sweeper.
"""

import asyncio
import uuid

from botocore.exceptions import BotoCoreError, ClientError

from acme_shop.platform.event_queue import SqsQueue
from acme_shop.platform.settings import Settings


class JobQueue(SqsQueue):
    """The jobs queue."""

    @classmethod
    def of(cls, settings: Settings) -> "JobQueue":
        """The queue ``settings`` name."""
        return cls.at(settings.jobs_queue_url, settings)

    async def ring(self, job_id: uuid.UUID) -> None:
        await asyncio.to_thread(
            self.client.send_message, QueueUrl=self.url, MessageBody=str(job_id)
        )

    async def backlog(self) -> int | None:
        try:
            response = await asyncio.to_thread(
                self.client.get_queue_attributes,
                QueueUrl=self.url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesDelayed",
                ],
            )
        except (BotoCoreError, ClientError):  # an unknown backlog holds the resends back
            return None
        attributes = response.get("Attributes", {})
        return sum(
            int(attributes.get(name, "0"))
            for name in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed")
        )

    async def aclose(self) -> None:
        """Nothing to close: each call is a request of its own."""
