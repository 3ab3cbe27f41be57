#!/usr/bin/env python3
"""A local SMTP sink for the tests: accepts every message and writes it to a folder.

Each message becomes NNNNNN.eml (as received) and NNNNNN.json ({"from", "to", "subject", "body"}, the subject and the
body decoded from RFC 2047 / base64 into UTF-8 text), so that a test can check the recipient, the subject and the
Vietnamese text. Plain SMTP, no TLS, no authentication.

    python3 scripts/smtp-sink.py --dir /tmp/mail --port 2525        # runs until killed
    python3 scripts/smtp-sink.py --dir /tmp/mail --port 2525 --reject  # answers 451 to every recipient (a failing server)

Installs aiosmtpd (PyPI) with pip if it is missing.
"""
import argparse
import asyncio
import email
import email.policy
import itertools
import json
import os
import signal
import subprocess
import sys

try:
    from aiosmtpd.controller import Controller
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "aiosmtpd"])
    from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder, reject):
        self.folder = folder
        self.reject = reject
        existing = [int(n.split(".")[0]) for n in os.listdir(folder) if n.split(".")[0].isdigit()]
        self.counter = itertools.count(max(existing, default=0) + 1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject:
            return "451 4.3.0 the sink refuses mail (--reject)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(message["subject"] or ""),
            "body": body.get_content() if body is not None else "",
        }
        base = os.path.join(self.folder, "%06d" % number)
        with open(base + ".eml.part", "wb") as f:
            f.write(raw)
        os.replace(base + ".eml.part", base + ".eml")
        # The JSON file last, written whole: a test that sees it sees the complete message.
        with open(base + ".json.part", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(base + ".json.part", base + ".json")
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, help="folder for the received messages")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--reject", action="store_true", help="refuse every recipient with 451")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Sink(args.dir, args.reject), hostname=args.host, port=args.port)
    controller.start()
    print("smtp-sink: listening on %s:%d, writing to %s" % (args.host, args.port, args.dir), flush=True)
    loop = asyncio.new_event_loop()
    stop = loop.create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    loop.run_until_complete(stop)
    controller.stop()


if __name__ == "__main__":
    main()
