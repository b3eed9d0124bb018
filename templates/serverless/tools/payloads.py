"""Event payloads shaped as AWS sends them: API Gateway HTTP API (2.0), SQS, and schedules.

The local runner and the tests build the functions' input here, so the handlers read locally
exactly the fields they read in AWS.
"""

import base64
import hashlib
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types_boto3_sqs.type_defs import MessageTypeDef

ACCOUNT_ID = "000000000000"
REGION = "us-east-1"


@dataclass
class LocalContext:
    """The context object Lambda passes to a handler, for one local invocation."""

    function_name: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    log_stream_name: str = "local"
    identity: Any = None
    client_context: Any = None
    timeout_ms: int = 30_000
    started_at: float = field(default_factory=time.monotonic)
    invoked_function_arn: str = field(init=False)
    log_group_name: str = field(init=False)

    def __post_init__(self) -> None:
        self.invoked_function_arn = (
            f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"
        )
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        elapsed_ms = int((time.monotonic() - self.started_at) * 1000)
        return max(self.timeout_ms - elapsed_ms, 0)


def http_api_event(
    method: str,
    path: str,
    *,
    query: str = "",
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """An HTTP API (payload format 2.0) event for one request, as API Gateway builds it."""
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        name = name.lower()
        if name == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
        else:
            joined[name] = f"{joined[name]},{value}" if name in joined else value
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": joined,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": joined.get("host", "localhost"),
            "domainPrefix": "local",
            "http": {
                "method": method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = _query_parameters(query)
    if body:
        try:
            event["body"] = body.decode()
        except UnicodeDecodeError:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    return event


def _query_parameters(query: str) -> dict[str, str]:
    """API Gateway joins repeated parameters with commas."""
    parameters: dict[str, str] = {}
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        parameters[name] = f"{parameters[name]},{value}" if name in parameters else value
    return parameters


def sqs_record(
    body: str,
    *,
    attributes: Mapping[str, str] | None = None,
    queue: str = "events",
    message_id: str | None = None,
    receipt_handle: str = "local",
    receive_count: int = 1,
) -> dict[str, Any]:
    """One record of an SQS event, as the event source mapping hands it to the function."""
    sent = str(int(time.time() * 1000))
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": receipt_handle,
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": str(receive_count),
            "SentTimestamp": sent,
            "SenderId": ACCOUNT_ID,
            "ApproximateFirstReceiveTimestamp": sent,
        },
        "messageAttributes": {
            name: {
                "stringValue": value,
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": "String",
            }
            for name, value in (attributes or {}).items()
        },
        "md5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{queue}",
        "awsRegion": REGION,
    }


def sqs_record_of(message: "MessageTypeDef", queue: str) -> dict[str, Any]:
    """The record of a message received with boto3's ``receive_message``."""
    return sqs_record(
        message["Body"],
        attributes={
            name: value["StringValue"]
            for name, value in message.get("MessageAttributes", {}).items()
            if "StringValue" in value
        },
        queue=queue,
        message_id=message["MessageId"],
        receipt_handle=message["ReceiptHandle"],
        receive_count=int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1")),
    )


def sqs_event(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """An SQS event: the batch of records one worker invocation receives."""
    return {"Records": list(records)}


def schedule_event(rule: str) -> dict[str, Any]:
    """The event an EventBridge schedule rule sends when it fires."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule}"],
        "detail": {},
    }
