"""What the outbox asks of the capabilities that write mails, so that it never imports them.

Sent with the application as sender and the session as a keyword argument, like the
catalogue's signals (catalog/signals.py)."""
from blinker import Namespace

_signals = Namespace()

# A mail queued unwritten (OutboxMail.snapshot not NULL) is about to be sent; keyword
# arguments: session, mail (the row). The capability that owns the mail's kind answers with
# its {subject, text, html, attachments} (registration/mails.py write_queued); the others None.
content_wanted = _signals.signal("content-wanted")


class NoWriter(LookupError):
    """No capability (or more than one) writes mails of this kind."""


def written_content(app, *, session, mail) -> dict:
    """The content of an unwritten mail, as the one receiver of content_wanted writes it now.
    Raises NoWriter, or whatever the writer raises (the sender records it as the mail's failure)."""
    answers = [answer for _receiver, answer in content_wanted.send(app, session=session, mail=mail)
               if answer is not None]
    if len(answers) != 1:
        raise NoWriter(f"{len(answers)} writers answered for a mail of kind {mail.kind}")
    return answers[0]
