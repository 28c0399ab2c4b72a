"""`make run`: the whole stack on loopback until Ctrl-C or SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from types import FrameType

from chalicelib.adapters.stage_settings import flag, reader
from localdev.stack import LocalStack, Ports, StackError

BANNER = """
The pet store is running.

  Chat page   {page}
  API         {api}
  AWS (moto)  {aws}   DynamoDB table PetStore, user pool {pool}

Sign in as  staff    (may add pets)     password  {password}
       or   shopper  (may browse, ask)  password  {password}

Bedrock is {bedrock}. Press Ctrl-C to stop everything.
"""


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("botocore", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        stack = LocalStack(
            ports=Ports.from_env(),
            bedrock=flag(os.environ.get("BEDROCK_ENABLED")),
        )
        print("Starting the local stack (emulator, table, user pool, sample pets, API, page)...", flush=True)
        stack.start()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        assert stack.pool is not None
        print(
            BANNER.format(
                page=stack.page_url,
                api=stack.api_url,
                aws=stack.aws_url,
                pool=stack.pool.pool_id,
                password=stack.password,
                bedrock=(
                    f"on, questions read by READER={reader(os.environ.get('READER'), True)}"
                    if stack.bedrock
                    else "off (keyword parser); BEDROCK_ENABLED=true turns it on"
                ),
            ),
            flush=True,
        )
        stopping.wait()
        print("Stopping...", flush=True)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
