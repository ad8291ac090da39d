#!/usr/bin/python3
"""Run All at the wire: sends every cell's execute_request to a fresh Deno kernel at once, as
Jupyter's Run All does, and prints, as JSON, each output the kernel sent, in order, with the
cell whose request its parent header names, the cell that made it, and whether it came after
that request's `status: idle`.

  /usr/bin/python3 tests/run_all_wire.py CELLS.json

CELLS.json: a list of cell sources. A cell marks what it prints and shows with "cell N" at the
start of the text, so that each output names the cell that made it. Used by
tests/kernel_test.ts; the kernel starts in notebooks/, as for a notebook.
"""
import json
import os
import queue
import re
import sys

from jupyter_client.manager import KernelManager

cells = json.load(open(sys.argv[1]))
km = KernelManager(kernel_name="deno")
km.start_kernel(cwd=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "notebooks"))
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=60)
    ids = [kc.execute(code) for code in cells]
    idle, outputs = set(), []
    while len(idle) < len(ids):
        try:
            msg = kc.get_iopub_msg(timeout=120)
        except queue.Empty:
            sys.exit(f"no message for 120 s; {len(idle)} of {len(ids)} cells done")
        parent = msg["parent_header"].get("msg_id")
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            idle.add(parent)
        if kind in ("stream", "display_data", "execute_result", "error"):
            text = content.get("text") or content.get("data", {}).get("text/plain") \
                or content.get("evalue", "")
            made = re.match(r"\W*cell (\d+)", text)
            outputs.append({
                "type": kind,
                "parent": ids.index(parent) if parent in ids else None,
                "made": int(made.group(1)) if made else None,
                "afterIdle": parent in idle,
                "text": text[:80],
            })
    # Outputs sent after the last idle would go nowhere: wait a moment for any.
    try:
        while True:
            msg = kc.get_iopub_msg(timeout=1)
            if msg["msg_type"] in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"type": msg["msg_type"], "parent": None, "made": None,
                                "afterIdle": True, "text": "(after the last cell)"})
    except queue.Empty:
        pass
    print(json.dumps(outputs))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
