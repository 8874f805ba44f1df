"""Run Datasette on a listening socket it inherits, so a new process takes over without a gap.

    python -m stdhub.handover serve build/serve/8001/<version> --cors

is `datasette serve …` (Datasette parses the arguments and builds its application
exactly as from the command line) with one difference: instead of binding the address
itself, the server accepts on the socket `stdhub serve` opened once (file descriptor
`STDHUB_LISTEN_FD`) and it talks with its parent over two pipes — commands on its
standard input, status lines on `STDHUB_STATUS_FD`:

- started, it answers one request in-process (Datasette opens its databases and runs its
  start-up hooks) and reports `ready`, then waits: it accepts nothing yet;
- `go`: it starts accepting and reports `serving`;
- `drain`: it stops accepting and reports `draining`; requests it is answering finish,
  every further answer on a connection it already has says `Connection: close`, and it
  exits once its connections are closed (idle ones close after uvicorn's keep-alive
  timeout, 5 s), at most `GRACE` seconds later;
- end of its standard input (the parent is gone): the same as `drain`.

The socket stays open in the parent all along, so while the old process has stopped
accepting and the new one has not begun, new connections wait in the socket's queue
instead of being refused; and because the new one begins only after the old one has
stopped, a client never gets the new build's answer and then the old one's.
`stdhub.processes.HandoverProcess` is the parent's side.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from typing import Any

import uvicorn

LISTEN_FD = "STDHUB_LISTEN_FD"
STATUS_FD = "STDHUB_STATUS_FD"
GRACE = 30.0  # seconds a draining process may take to finish what it has


class HandoverServer(uvicorn.Server):
    """uvicorn's server, told by its parent when to begin and when to stop accepting."""

    def __init__(self, config: uvicorn.Config, status_fd: int) -> None:
        super().__init__(config)
        self.status_fd = status_fd
        self.draining = False
        self.commands: asyncio.Queue[str] = asyncio.Queue()

    def report(self, line: str) -> None:
        with contextlib.suppress(OSError):  # the parent is gone, its end of the pipe with it
            os.write(self.status_fd, f"{line}\n".encode())

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._read_commands()
        await self._warm()
        self.report("ready")
        if await self._command() != "go":
            self.should_exit = True  # told to drain (or to stop) before it ever served
            return
        await super().startup(sockets=sockets)
        self.report("serving")
        asyncio.get_running_loop().create_task(self._until_drain())

    async def _command(self) -> str:
        """The parent's next command; `drain` when a signal asked uvicorn to exit."""
        while not self.should_exit:
            try:
                return await asyncio.wait_for(self.commands.get(), 0.1)
            except TimeoutError:
                continue
        return "drain"

    def _read_commands(self) -> None:
        loop = asyncio.get_running_loop()
        stdin = sys.stdin.fileno()
        pending = b""

        def readable() -> None:
            nonlocal pending
            chunk = os.read(stdin, 1024)
            if not chunk:  # the parent is gone
                loop.remove_reader(stdin)
                self.commands.put_nowait("drain")
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                self.commands.put_nowait(line.decode().strip())

        loop.add_reader(stdin, readable)

    async def _warm(self) -> None:
        """One request through the application: databases opened, start-up hooks run."""
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/-/versions.json",
            "raw_path": b"/-/versions.json",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"localhost")],
            "client": ("127.0.0.1", 0),
            "server": ("127.0.0.1", 0),
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            pass

        await self.config.loaded_app(scope, receive, send)

    async def _until_drain(self) -> None:
        while await self._command() != "drain":
            pass
        if self.should_exit:
            return  # a signal: uvicorn's own shutdown
        for server in self.servers:
            server.close()  # this process's copy of the socket: the parent's stays open
        self.draining = True
        self.report("draining")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GRACE
        while self.server_state.connections and loop.time() < deadline:
            await asyncio.sleep(0.05)
        self.should_exit = True


class CloseWhenDraining:
    """ASGI middleware: `Connection: close` on every answer once the server drains, so each
    client's next request opens a connection to the process now accepting."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.server: HandoverServer | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def closing(message: Any) -> None:
            if message["type"] == "http.response.start" and self.server and self.server.draining:
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"
                ]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing)


def run(app: Any, **options: Any) -> None:
    """In place of `uvicorn.run(app, host=…, port=…, …)` as Datasette's `serve` calls it."""
    wrapper = CloseWhenDraining(app)
    config = uvicorn.Config(wrapper, log_level=options.get("log_level", "info"), lifespan="on")
    server = HandoverServer(config, int(os.environ[STATUS_FD]))
    wrapper.server = server
    listener = socket.socket(fileno=int(os.environ[LISTEN_FD]))
    server.run(sockets=[listener])


def main() -> None:
    from datasette.cli import cli

    uvicorn.run = run  # Datasette's `serve` ends with `uvicorn.run(ds.app(), …)`
    cli.main(args=sys.argv[1:], prog_name="datasette")


if __name__ == "__main__":
    main()
