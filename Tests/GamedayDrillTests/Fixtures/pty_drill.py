#!/usr/bin/env python3
"""Drives `gameday drill` in a pseudo-terminal, as a facilitator would, and reports what it saw.

Usage: pty_drill.py GAMEDAY SCENARIO STORE WORKDIR
Prints one JSON object: the exit status, whether the output was colored, and the transcript
without color codes. Used by the Swift test `InteractiveDrillTests`.
"""
import json
import os
import pty
import re
import select
import sys
import time

binary, scenario, store, workdir = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(workdir)
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    os.execve(binary, [binary, "drill", scenario, "--team", "alice:incident-commander,bob:ops,carol:comms",
                       "--store", store, "--model-trials", "300", "--export", "drill.json"], env)

buffer = b""
transcript = b""


def read_until(pattern, timeout=60):
    """Reads until `pattern` (bytes regex) appears; returns what was read up to its end."""
    global buffer, transcript
    deadline = time.time() + timeout
    while True:
        match = re.search(pattern, buffer)
        if match:
            out, buffer = buffer[:match.end()], buffer[match.end():]
            transcript += out
            return out
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
        if not ready:
            raise TimeoutError(f"waited for {pattern!r}; got {buffer[-400:]!r}")
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            raise EOFError(f"the drill exited while waiting for {pattern!r}; got {buffer[-400:]!r}")
        buffer += data


def read_to_end(timeout=120):
    global buffer, transcript
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        buffer += data
    transcript += buffer
    buffer = b""


def send(line):
    os.write(fd, line.encode() + b"\r")  # Enter, as a keyboard sends it


PROMPT = rb"> (\x1b\[0m)?"
steps = []
opening = read_until(PROMPT)
for command in ["status", "actions", "advance 16m", "do ack as bob", "do declare as alice", "do check-deploys as bob",
                "next", "do rollback as bob", "do status-update as carol", "advance 20m", "log", "end"]:
    send(command)
    steps.append(read_until(PROMPT if command != "end" else rb"> "))
# The debrief: three questions, the second skipped.
send("The synthetic probe")
read_until(rb"> ")
send("")
read_until(rb"> ")
send("Yes, at once")
read_to_end()
_, status = os.waitpid(pid, 0)
text = transcript.decode("utf-8", "replace")
plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
print(json.dumps({
    "status": os.waitstatus_to_exitcode(status),
    "colored": "\x1b[" in text,
    "transcript": plain,
}))
