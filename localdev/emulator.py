"""moto's DynamoDB and Cognito emulator in a process of its own, quiet but for warnings.

A process of its own, because moto's backends are process-wide: an in-process server would
share (and lose) its data with every `mock_aws()` of the same process.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading

from moto.server import ThreadedMotoServer


def main(argv: list[str]) -> int:
    host, port = argv
    logging.basicConfig(level=logging.WARNING, format="emulator %(levelname)s %(name)s: %(message)s")
    # werkzeug raises its own logger to INFO unless told otherwise: one line per AWS call.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    server = ThreadedMotoServer(ip_address=host, port=int(port), verbose=False)
    server.start()
    stopping.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
