"""wrk, the HTTP load generator: one run and its report, and the Lua scripts that vary requests.

wrk is the Debian package; ``scripts/bench`` installs it when it is missing.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

THREADS = 2

# Each thread walks its own share of the ids in order (thread t reads ids t, t + THREADS, ...),
# so no id is read twice in one run unless the run sends more requests than there are ids.
UNIQUE_GETS = """
ids = {{{ids}}}
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("position", threads) end
request = function()
  local id = ids[position]
  position = position + {threads}
  if position > #ids then position = position - #ids end
  return wrk.format("GET", "{prefix}" .. id)
end
"""

# A unique name per request: the run's tag, the thread's number and a counter.
CREATES = """
local threads, counter = 0, 0
setup = function(thread) threads = threads + 1; thread:set("prefix", "{tag}-" .. threads) end
request = function()
  counter = counter + 1
  local body = '{{"name": "' .. prefix .. "-" .. counter .. '"}}'
  return wrk.format("{method}", "{path}", nil, body)
end
"""


def unique_gets(prefix: str, ids: Sequence[str]) -> str:
    """A script that sends ``GET prefix<id>`` for each of ``ids`` once, across all threads."""
    quoted = ", ".join(f'"{i}"' for i in ids)
    return UNIQUE_GETS.format(ids=quoted, threads=THREADS, prefix=prefix)


def creates(method: str, path: str, tag: str) -> str:
    """A script that sends ``method path`` with a JSON body ``{"name": <unique>}``."""
    return CREATES.format(method=method, path=path, tag=tag)


def wrk(
    url: str,
    *,
    connections: int,
    seconds: int,
    headers: Sequence[str] = (),
    script: Path | None = None,
) -> dict[str, Any]:
    """Load ``url`` for ``seconds``; its requests, requests/s, p50, p99 and errors."""
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    return parse(output)


def parse(output: str) -> dict[str, Any]:
    """The figures of wrk's ``--latency`` report; errors are non-2xx/3xx answers and socket
    errors, timeouts among them."""

    def milliseconds(label: str) -> float:
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if found is None:
            raise SystemExit(f"no {label} latency in wrk's output:\n{output}")
        value, unit = found.groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]

    requests = int(re.search(r"(\d+) requests in", output)[1])  # type: ignore[index]
    answers = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = int(answers[1]) if answers else 0
    connect, read, write, timeouts = map(int, sockets.groups()) if sockets else (0, 0, 0, 0)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    return {
        "requests": requests,
        "rps": rate,
        "p50_ms": milliseconds("50%"),
        "p99_ms": milliseconds("99%"),
        "errors": non_2xx + connect + read + write + timeouts,
        "non_2xx": non_2xx,
        "timeouts": timeouts,  # no answer within wrk's 2 s
    }
