"""The outbox: mails are queued in the caller's transaction and sent after commit.

queue_mail() only adds a row, so a mail exists exactly when the business change that
caused it was committed. queue_unwritten() adds a row whose content is written when it is
sent, from the facts it carries (its snapshot): the request that queues it draws no QR code
and renders no template. send_pending() delivers the rows later (`flask --app eventsapp mail
send`), asking the capability that owns an unwritten mail's kind to write it first
(signals.content_wanted). A row is claimed before sending by a conditional UPDATE that sets
claimed_until, so two senders never take the same row; each mail's outcome is committed
right after its SMTP conversation, so a crash can resend at most the one mail in flight, and
an SMTP failure leaves the row for the next run.

On SQLite every write here is the first statement of its transaction: a transaction that
has already read cannot take the write lock once another writer has committed (WAL's
SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out), so the sender never reads
and then writes in one transaction.
"""
import base64
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, g, has_request_context
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..dates import now
from ..extensions import db
from .models import MailKind, OutboxMail
from .signals import written_content

CLAIM_FOR = timedelta(minutes=5)
# Stop taking new mails from a batch this long before its claim runs out, so that another
# sender, free to take the rows then, never finds one we are still sending.
CLAIM_MARGIN = timedelta(minutes=1)
SMTP_TIMEOUT = 10
MAX_ERROR_LENGTH = 2000
SUBJECT_LENGTH = OutboxMail.__table__.c.subject.type.length


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    remaining: int  # unsent mails left in the outbox after the run, failed ones included


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    attachments: Iterable[dict] = (),
    kind: MailKind | str,
    registration_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMail | None:
    """Add a mail to the outbox in the caller's transaction; does not commit.

    attachments are dicts {filename, mimetype, content_base64}. Returns the new row, or
    None when a mail with the same dedupe_key was queued before (a job run twice queues
    once). The insert is INSERT … ON CONFLICT DO NOTHING, so a duplicate never breaks the
    caller's transaction; a concurrent duplicate waits for the first to commit, then yields."""
    return _add(session, to_address=to, subject=subject, body_text=text, body_html=html,
                attachments=[dict(item) for item in attachments], kind=MailKind(kind),
                registration_id=registration_id, dedupe_key=dedupe_key)


def queue_unwritten(
    session: Session,
    *,
    to: str,
    kind: MailKind | str,
    snapshot: dict,
    registration_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMail | None:
    """Add a mail to be written when it is sent, in the caller's transaction; does not commit.

    snapshot (JSON) holds what the mail must tell as it is now, whenever it is written; the
    rest (names, the event, links) the writer reads then. The capability that owns the kind
    writes it (signals.content_wanted). Returns the new row, or None for a dedupe_key queued
    before, as queue_mail() does."""
    return _add(session, to_address=to, subject="", body_text="", body_html="", attachments=[],
                kind=MailKind(kind), registration_id=registration_id, dedupe_key=dedupe_key, snapshot=snapshot)


def _add(session: Session, **values) -> OutboxMail | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING the row: one statement, the row loaded from
    what it returns (None for a duplicate dedupe_key). A subject longer than its column (an
    event title near its own limit after 【…】) is cut, never refused by the database."""
    values["subject"] = values["subject"][:SUBJECT_LENGTH]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(OutboxMail).on_conflict_do_nothing(index_elements=["dedupe_key"])
    elif dialect == "sqlite":
        statement = sqlite.insert(OutboxMail).on_conflict_do_nothing(index_elements=["dedupe_key"])
    else:  # no upsert: the unique constraint still refuses a duplicate, at commit
        statement = insert(OutboxMail)
    mail = session.scalar(statement.values(**values).returning(OutboxMail))
    if has_request_context():
        g.mail_queued = True  # see send_after_requests
    return mail


def attachment(filename: str, mimetype: str, content: bytes, *, cid: str | None = None) -> dict:
    """One item of queue_mail()'s attachments: the content travels base64 in the row's JSON.
    With a cid ("ticket-7@events.example.jp"), an image is also shown inside the HTML part,
    which refers to it as <img src="cid:ticket-7@events.example.jp"> (see build_message)."""
    item = {"filename": filename, "mimetype": mimetype, "content_base64": base64.b64encode(content).decode("ascii")}
    if cid:
        item["cid"] = cid
    return item


def send_pending(session: Session, *, limit: int = 100) -> SendReport:
    """Claim up to `limit` unsent mails, send them over SMTP one by one, and commit each
    outcome at once: sent_at on success; attempts + 1, last_error and a released claim on
    failure (the mail is tried again on the next run). Commits; raises nothing for a
    failed delivery. Needs an app context (MAIL_* settings)."""
    session.commit()  # the claim must be the first statement of its transaction (SQLite)
    claimed_until = now() + CLAIM_FOR
    ids = claim(session, limit=limit, until=claimed_until)
    rows = session.scalars(select(OutboxMail).where(OutboxMail.id.in_(ids)).order_by(OutboxMail.id)).all()
    pending = [Pending.of(row, session=session) for row in rows]  # unwritten ones are written here
    session.commit()
    sent = failed = 0
    with SmtpConnection(current_app.config) as smtp:
        for index, mail in enumerate(pending):
            if now() >= claimed_until - CLAIM_MARGIN:
                release(session, [m.id for m in pending[index:]], claimed_until)
                break
            if mail.problem is not None:  # it could not be written: kept and tried again, as below
                record_failure(session, mail.id, mail.problem)
                failed += 1
                continue
            try:
                smtp.send(build_message(mail, sender=current_app.config["MAIL_DEFAULT_SENDER"]))
            # Any error — refused recipient, lost connection, a bad attachment — is this
            # mail's alone: record it and go on with the others.
            except Exception as error:  # noqa: BLE001
                smtp.reset()
                record_failure(session, mail.id, error)
                failed += 1
            else:
                record_success(session, mail)
                sent += 1
    remaining = session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.sent_at.is_(None)))
    session.commit()
    return SendReport(sent=sent, failed=failed, remaining=remaining)


def claim(session: Session, *, limit: int, until: datetime) -> list[int]:
    """Mark up to `limit` unsent, unclaimed mails as ours until `until`; commits.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED passes over rows another sender is
    claiming, and re-checks the condition on rows it had to wait for. It sits in a
    MATERIALIZED CTE, run once: as a plain IN (subquery) the planner may rescan it per row
    (nested-loop semi-join), each rescan skipping the rows this UPDATE already changed
    and so claiming past the LIMIT. SQLite: the UPDATE runs under the database's single
    write lock, so its condition is read and written atomically."""
    moment = now()
    claimable = (
        OutboxMail.sent_at.is_(None),
        or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < moment),
    )
    candidates = select(OutboxMail.id).where(*claimable).order_by(OutboxMail.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        picked = candidates.with_for_update(skip_locked=True).cte("picked").prefix_with("MATERIALIZED")
    else:
        picked = candidates.cte("picked")
    statement = (
        update(OutboxMail)
        .where(OutboxMail.id.in_(select(picked.c.id)), *claimable)
        .values(claimed_until=until)
        .returning(OutboxMail.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(session.scalars(statement).all())
    session.commit()
    return ids


def release(session: Session, ids: list[int], claimed_until: datetime) -> None:
    """Give back mails we claimed but will not send in this run; commits."""
    session.execute(
        update(OutboxMail)
        .where(OutboxMail.id.in_(ids), OutboxMail.claimed_until == claimed_until, OutboxMail.sent_at.is_(None))
        .values(claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def record_success(session: Session, mail: "Pending") -> None:
    """Mark the mail sent; a mail written at sending keeps the texts it was sent with."""
    written = dict(subject=mail.subject[:SUBJECT_LENGTH], body_text=mail.body_text, body_html=mail.body_html)
    session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id)
        .values(sent_at=now(), claimed_until=None, attempts=OutboxMail.attempts + 1,
                **(written if mail.written_now else {}))
        .execution_options(synchronize_session=False)
    )
    session.commit()


def record_failure(session: Session, mail_id: int, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(last_error=message, claimed_until=None, attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()


@dataclass(frozen=True)
class Pending:
    """What sending needs of a row, read (and for an unwritten mail, written) before the
    claim's transaction ends. problem: why it could not be written; it is not sent."""

    id: int
    to_address: str
    subject: str
    body_text: str
    body_html: str
    attachments: list
    written_now: bool = False
    problem: Exception | None = None

    @classmethod
    def of(cls, row: OutboxMail, *, session: Session) -> "Pending":
        if row.snapshot is None:
            return cls(row.id, row.to_address, row.subject, row.body_text, row.body_html, list(row.attachments or []))
        try:
            content = written_content(current_app._get_current_object(), session=session, mail=row)
        except Exception as error:  # noqa: BLE001 — this mail's alone, like a failed delivery
            return cls(row.id, row.to_address, "", "", "", [], problem=error)
        return cls(row.id, row.to_address, content["subject"], content["text"], content["html"],
                   list(content["attachments"]), written_now=True)


def build_message(mail: Pending | OutboxMail, *, sender: str) -> EmailMessage:
    """Plain text with an HTML alternative, then the attachments. EmailMessage's default
    policy writes non-ASCII headers (Japanese subjects) as RFC 2047 UTF-8 words.

    An attachment with a cid is shown inside the HTML (multipart/related, no file name) and
    attached as well: mail programs that block images in HTML, and readers of the plain
    text, still find it as a file."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = mail.to_address
    message["Date"] = format_datetime(now())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or "localhost")
    message.set_content(mail.body_text)
    message.add_alternative(mail.body_html, subtype="html")
    html_part = message.get_payload()[-1]
    for item in mail.attachments:
        if item.get("cid"):
            maintype, _, subtype = item["mimetype"].partition("/")
            html_part.add_related(base64.b64decode(item["content_base64"]), maintype=maintype, subtype=subtype,
                                  cid=f"<{item['cid']}>", disposition="inline")
    for item in mail.attachments:
        maintype, _, subtype = item["mimetype"].partition("/")
        content = base64.b64decode(item["content_base64"])
        if maintype == "text":  # as text, so the part says charset=utf-8 (the .ics)
            message.add_attachment(content.decode("utf-8"), subtype=subtype, filename=item["filename"])
        else:
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=item["filename"])
    return message


class SmtpConnection:
    """One SMTP connection for a run, opened on first use and opened again after an error."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpConnection":
        return self

    def __exit__(self, *_exc) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.reset()

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self.connect()
        self.smtp.send_message(message)

    def reset(self) -> None:
        """Drop the connection, which an error may have left in an unknown state."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=SMTP_TIMEOUT)
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def send_after_requests(app) -> None:
    """In development (MAIL_SEND_AFTER_REQUEST), deliver the outbox at the end of each
    request that queued something, so no cron job is needed. The request has committed by
    then; a failure only leaves the mail for the next try."""

    @app.teardown_request
    def _deliver(_exc):
        if not app.config.get("MAIL_SEND_AFTER_REQUEST") or not g.get("mail_queued"):
            return
        try:
            send_pending(db.session, limit=20)
        except Exception:  # never turn a delivered page into an error
            db.session.rollback()
            app.logger.exception("sending the outbox after a request failed")
