import socket

import pytest


class Inbox:
    """What a real SMTP server (aiosmtpd, on loopback) received: one entry per message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes

        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """smtp_server.start() / .stop(): a real SMTP server on a free loopback port, which Django's
    SMTP backend is pointed at (it starts stopped, like a mail server that is down)."""
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5

    class Server:
        inbox = Inbox()
        controller = None

        def start(self):
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            if self.controller:
                self.controller.stop()
                self.controller = None

    server = Server()
    yield server
    server.stop()


@pytest.fixture
def link_in():
    """link_in(message) -> the path of the action link in the plain text of an outbox message
    (queued) or of an email as delivered."""
    import re

    from django.conf import settings

    def find(message):
        text = message.body_text if hasattr(message, "body_text") else message.body
        match = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", text)
        assert match, text
        return match.group(1)

    return find


@pytest.fixture
def guest():
    """A second browser, signed in as nobody (`client` is the lead's in lead_client tests)."""
    from django.test import Client

    return Client()
