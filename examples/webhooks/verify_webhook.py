"""Verifying a Touchpoint webhook in Python (standard library only). Copy into your receiver.

    verify = Verifier(os.environ["TOUCHPOINT_WEBHOOK_SECRET"])
    ok = verify(request.headers.get("Touchpoint-Signature"), request.get_data(as_text=True))

Refuses a wrong signature, a timestamp over 5 minutes away (a captured request
replayed later) and an event id already seen (a replay within the window).
Run as a script, it reads a header line then the body from stdin and prints ok / refused.
"""
import hashlib
import hmac
import json
import sys
import time

TOLERANCE_SECONDS = 300


class Verifier:
    def __init__(self, secret, now=time.time):
        self.secret = secret.encode()
        self.now = now
        self.seen = {}

    def __call__(self, header, raw_body):
        parts = dict(p.strip().split("=", 1) for p in (header or "").split(",") if "=" in p)
        try:
            t = int(parts.get("t", ""))
        except ValueError:
            return False
        if "v1" not in parts or abs(self.now() - t) > TOLERANCE_SECONDS:
            return False
        expected = hmac.new(self.secret, f"{t}.{raw_body}".encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts["v1"]):
            return False
        try:
            event_id = json.loads(raw_body)["id"]
        except (ValueError, KeyError, TypeError):
            return False
        self.seen = {k: at for k, at in self.seen.items() if at >= t - TOLERANCE_SECONDS}
        if event_id in self.seen:
            return False
        self.seen[event_id] = t
        return True


if __name__ == "__main__":
    verify = Verifier(sys.argv[1])
    lines = sys.stdin.read().split("\n")
    # Pairs of lines: a header, then a body; one verdict per pair (so a replay can be shown).
    for i in range(0, len(lines) - 1, 2):
        print("ok" if verify(lines[i], lines[i + 1]) else "refused")
