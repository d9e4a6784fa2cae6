"""Talking to the configured SMTP server (README, Configuration). E-mail is off while MAIL_SERVER is empty."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import Config

SECURITY_MODES = ("starttls", "ssl", "none")


def mail_enabled(config: Config) -> bool:
    return bool(config.get("MAIL_SERVER"))


def mail_ready(config: Config) -> bool:
    """Mail is on and has everything it needs: then, and only then, notices are queued."""
    return mail_enabled(config) and settings_error(config) is None


def settings_error(config: Config) -> str | None:
    """What keeps mail from being sent although MAIL_SERVER is set, in words for the admin; None when all is there."""
    if "@" not in parseaddr(config.get("MAIL_SENDER") or "")[1]:
        return "PEKPPP_MAIL_SENDER belum diatur (alamat pengirim, mis. \"PEKPPP <pekppp@cilegon.go.id>\")."
    if not config.get("PUBLIC_BASE_URL"):
        return "PEKPPP_PUBLIC_BASE_URL belum diatur: tautan dalam surel memerlukan alamat publik aplikasi."
    if config["MAIL_SECURITY"] not in SECURITY_MODES:
        return f"PEKPPP_MAIL_SECURITY harus salah satu dari {', '.join(SECURITY_MODES)}."
    return None


def email_message(config: Config, to_address: str, subject: str, body: str) -> EmailMessage:
    sender = config["MAIL_SENDER"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to_address
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2])
    message.set_content(body)
    return message


class SmtpConnection:
    """One connection for a round of sending: opened at the first message, and again after one that failed."""

    def __init__(self, config: Config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; an SMTP or network error is raised and the connection dropped."""
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            self.smtp.send_message(message)
        except (smtplib.SMTPException, OSError):
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], int(config["MAIL_PORT"]), float(config["MAIL_TIMEOUT"])
        security = config["MAIL_SECURITY"]
        if security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        except (smtplib.SMTPException, OSError):
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None
