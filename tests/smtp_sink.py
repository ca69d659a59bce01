"""An SMTP server for the mail tests, run as its own process: `python tests/smtp_sink.py PORT DIR`.

It keeps every message it receives as DIR/received/<time>.<n>.eml. Files in DIR steer it while it
runs: `refuse` (holding a reply code such as 550 or 451) refuses every recipient with that code;
`hold` makes it keep the reply to DATA back, after the message is written, for as long as the
file exists (it writes DIR/holding meanwhile), so a test can stop a sender between handing a
message over and hearing that it arrived. DIR/ready appears once it accepts connections.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory: Path):
        self.directory = directory
        self.received = directory / "received"
        self.received.mkdir(parents=True, exist_ok=True)
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, options):
        refuse = self.directory / "refuse"
        if refuse.exists():
            code = refuse.read_text().strip() or "550"
            return f"{code} {'5.1.1 no such mailbox' if code.startswith('5') else '4.3.0 try again later'}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}.{next(self.counter)}.eml"
        partial = self.received / f"{name}.part"  # renamed when complete: readers see whole files
        partial.write_bytes(envelope.original_content or envelope.content)
        os.replace(partial, self.received / name)
        hold, holding = self.directory / "hold", self.directory / "holding"
        if hold.exists():
            holding.write_text(name)
            while hold.exists():
                await asyncio.sleep(0.05)
            holding.unlink(missing_ok=True)
        return "250 Message accepted for delivery"


def main() -> None:
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    controller = Controller(Recorder(directory), hostname="127.0.0.1", port=port)
    controller.start()
    (directory / "ready").write_text(str(os.getpid()))
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
