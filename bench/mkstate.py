#!/usr/bin/env python3
"""mkstate.py: gives a workspace a long history, for the console benchmark
"frame cost vs history" (docs/performance.md).

    mkstate.py STATE_FILE CLIENT_ID COUNT

STATE_FILE is a simulator --state file (written by the simulator after the
workspace was created through its API, so every other field is the
simulator's own). The workspace of CLIENT_ID gets generated messages in
front of its own, so that it holds COUNT messages in all: customer and AI
turns in alternation, of realistic lengths, with the markdown the console
renders (lists, emphasis, inline and fenced code), CJK text and emoji. The
same COUNT gives the same messages.
"""
import datetime
import json
import os
import sys

CUSTOMER = [
    "Hi, my order hasn't arrived yet. Can you check where it is?",
    "I was charged twice for the same order, order number 48213.",
    "How do I reset my password? The link in the email has expired.",
    "Can I change the delivery address? I moved last week.",
    "Is there a discount code for returning customers?",
    "Thanks, that worked!",
    "The tracking page says \"label created\" since Monday. Is that normal?",
    "Could you explain the refund timeline in detail, step by step?",
]

AI = [
    "I'm sorry about the delay. I checked order **48213**: it left our warehouse on Monday "
    "and is with the carrier now. Tracking usually updates within *24 hours* of pickup.",
    "You're right, there are two charges. Here is what happens next:\n\n"
    "1. The duplicate charge is **reversed** automatically.\n"
    "2. Your bank shows it within 3-5 business days.\n"
    "3. You'll get a confirmation email when it is done.\n\n"
    "Is there anything else I can help with?",
    "To reset your password:\n\n- open the sign-in page,\n- click *Forgot password*,\n"
    "- enter your email, and\n- use the new link within 30 minutes.\n\n"
    "If it still fails, clear the `session` cookie and try again.",
    "Sure. Address changes are possible until the parcel is handed over. Run this in the "
    "account console if you prefer the API:\n\n```python\nclient.orders.update(\n"
    "    order_id=\"48213\",\n    address={\"street\": \"1 Main St\", \"city\": \"Springfield\"},\n)\n```\n\n"
    "Otherwise just reply with the new address and I'll update it for you.",
    "Returning customers get 10% off with code `WELCOME10` 🎉. It applies to full-price items "
    "and can't be combined with other offers.",
    "Glad to hear it! 😊 Have a great day.",
    "Yes, that can happen. \"Label created\" means the carrier has the shipment data but hasn't "
    "scanned the parcel yet. 配送状況は通常24時間以内に更新されます。如果明天还没有更新，请告诉我。",
    "## Refund timeline\n\n1. **Day 0**: we receive the return and inspect it.\n"
    "2. **Day 1-2**: the refund is approved and sent to your payment provider.\n"
    "3. **Day 3-7**: your bank posts it; card refunds can take up to *10 business days*.\n\n"
    "You can follow each step on the order page.",
]


def main():
    path, client_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, encoding="utf-8") as f:
        snap = json.load(f)
    ws = [w for w in snap["store"]["workspaces"] if w.get("client_id") == client_id]
    if not ws:
        sys.exit("mkstate: no workspace for client %s in %s" % (client_id, path))
    ws = ws[-1]
    own = ws["messages"]
    extra = max(0, count - len(own))
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=60 * (extra + 1))
    msgs = []
    for i in range(extra):
        ts = (start + datetime.timedelta(seconds=60 * i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        m = {"id": "msg_bench%s%07d" % (client_id[-3:].replace("_", "x"), i),
             "created_at": ts}
        if i % 2 == 0:
            m.update(role="user", content=CUSTOMER[(i // 2) % len(CUSTOMER)])
        else:
            m.update(role="ai", content=AI[(i // 2) % len(AI)], approval="direct")
        msgs.append(m)
    ws["messages"] = msgs + own
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(snap, f, ensure_ascii=False)
    os.replace(tmp, path)
    print("%s: %d messages" % (client_id, len(ws["messages"])))


if __name__ == "__main__":
    main()
