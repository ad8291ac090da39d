#!/usr/bin/python3
"""Executes a notebook with Jupyter's nbclient, as `jupyter nbconvert --execute` does.

  /usr/bin/python3 cli/execute_notebook.py [--timeout SECONDS] [--allow-errors] [--grace SECONDS] IN.ipynb OUT.ipynb

The library makes each cell of the Deno kernel end only after its outputs have gone out
(lib/kernel.ts), so nothing arrives after a cell's "idle". --grace SECONDS listens that long
after each cell for outputs that come later all the same, and keeps them: only the Run All
stress check uses it (tests/stress/run_all.ts), for a reference that holds even where the
kernel sends late.

The executed copy is signed with this user's notebook secret, as `jupyter trust` signs, so
that Jupyter opens it trusted here and shows its plots as the kernel sent them.

With --allow-errors, a failing cell does not stop the run (as Jupyter's "Run All" with errors
allowed): the executed copy holds every cell's outputs, errors included.

Used by `deno task notebooks` (cli/notebooks.ts); the environment reaches the kernel.
"""
import argparse
import os
import queue
import sys

import nbformat
from nbformat.sign import NotebookNotary
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async


class PatientClient(NotebookClient):
    """nbclient; with `grace` > 0, it listens that long more after each cell for late outputs."""
    grace = 0.0

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while self.grace > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=self.grace))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=3600)
    parser.add_argument("--allow-errors", action="store_true")
    parser.add_argument("--grace", type=float, default=0.0)
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args()
    nb = nbformat.read(args.source, as_version=4)
    client = PatientClient(nb, timeout=args.timeout, kernel_name="deno", allow_errors=args.allow_errors,
                           resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.source))}})
    client.grace = args.grace
    failed = None
    try:
        client.execute()
    except CellExecutionError as e:
        failed = str(e).strip().splitlines()[-1] if str(e).strip() else "a cell failed"
    # Signed, as `jupyter trust` signs: this user's front end then trusts the outputs it made.
    NotebookNotary().sign(nb)
    nbformat.write(nb, args.target)
    if failed:
        sys.exit(f"{os.path.basename(args.source)}: {failed}")


if __name__ == "__main__":
    main()
