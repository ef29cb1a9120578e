"""Fixtures for the PDF, pack and review tests."""

import socket
import threading

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored packs go to a fresh directory per test, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection made to it (and answers
    nothing useful), to prove a PDF render never reached the network."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self):
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/css\r\n\r\nbody{}")
            finally:
                connection.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.socket.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()
