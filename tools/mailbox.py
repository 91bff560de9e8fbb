"""A mailbox for trying the demo: an SMTP server on 127.0.0.1 that prints every mail it gets,
decoded (the app writes Japanese text as base64, unreadable in a raw dump), and keeps nothing.

    make mailbox                         # in a second terminal (port 1025, MAIL_PORT=… to change)
    FLASK_MAIL_PORT=1025 make run        # the app sends its mails there

Development only: it accepts mail for any address from anyone who can reach the port.
"""
import argparse
import email
import email.policy
import time

from aiosmtpd.controller import Controller


class Printer:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        attachments = [part.get_filename() for part in message.iter_attachments()]
        print("=" * 72)
        print(f"To: {', '.join(envelope.rcpt_tos)}\nSubject: {message['Subject']}")
        if attachments:
            print(f"Attachments: {', '.join(name or '?' for name in attachments)}")
        print("-" * 72)
        print(body.get_content() if body is not None else "(no text part)", flush=True)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=1025)
    port = parser.parse_args().port
    controller = Controller(Printer(), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mailbox: listening on 127.0.0.1:{port}; start the app with FLASK_MAIL_PORT={port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()


if __name__ == "__main__":
    main()
