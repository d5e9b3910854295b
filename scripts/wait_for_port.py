"""Wait until something listens on 127.0.0.1:PORT (for `make run`, which prints the demo
logins once the server is up, after its start-up messages). Gives up after 60 seconds."""

import socket
import sys
import time

port = int(sys.argv[1])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            break
    time.sleep(0.2)
time.sleep(0.5)  # let the server finish printing its own lines first
