"""Processes of the identity servers: a free port, start and wait, stop by process group."""

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "district-pass-1"
PEOPLE = {
    "li": {"name": "李老师", "staff_no": "L001", "email": "li@school.cn"},
    "stranger": {"name": "陌生人", "staff_no": "X999", "email": "x@elsewhere.cn"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start(command: list[str], port: int, log: Path, url: str, **kwargs) -> Server:
    """Start the command in its own process group and wait until the port answers."""
    out = log.open("wb")
    process = subprocess.Popen(
        command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
    )
    server = Server(url, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} ended early:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{command[0]} did not listen on {port}:\n{log.read_text()}")


def run(command: list[str], **kwargs) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
