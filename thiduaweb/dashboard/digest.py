"""The optional daily e-mail of "Việc cần làm" (`flask dashboard digest`, e.g. from cron at 7:00).

Sent only when SMTP is configured: THIDUAWEB_MAIL_SERVER (host), THIDUAWEB_MAIL_PORT (25),
THIDUAWEB_MAIL_SENDER, optional THIDUAWEB_MAIL_USERNAME / THIDUAWEB_MAIL_PASSWORD / THIDUAWEB_MAIL_STARTTLS.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from thiduaweb.accounts.models import User
from thiduaweb.core import clock
from thiduaweb.extensions import db


def compose(user, items, base_url: str = "") -> EmailMessage | None:
    if not items:
        return None
    today = clock.today()
    lines = [f"Kính gửi {user.full_name},", "", f"Ngày {today.strftime('%d/%m/%Y')}, có {len(items)} việc đang chờ anh/chị:", ""]
    for item in items:
        due = f" — hạn {item.due_on.strftime('%d/%m/%Y')}" if item.due_on else ""
        late = " (QUÁ HẠN)" if item.overdue else ""
        lines.append(f"- [{item.unit_name}] {item.text}{due}{late}")
        lines.append(f"  {base_url}{item.url}")
    lines += ["", "Thư này do hệ thống Thi đua Web gửi tự động."]
    message = EmailMessage()
    message["Subject"] = f"Việc cần làm ngày {today.strftime('%d/%m/%Y')}: {len(items)} việc"
    message["From"] = current_app.config.get("MAIL_SENDER") or "thiduaweb@localhost"
    message["To"] = user.email
    message.set_content("\n".join(lines))
    return message


def send_digests() -> int | None:
    """Send each active user with an e-mail address their list; None when SMTP is not configured."""
    from thiduaweb.dashboard.todo import todos_for

    config = current_app.config
    host = config.get("MAIL_SERVER")
    if not host:
        return None
    base_url = (config.get("BASE_URL") or "").rstrip("/")
    sent = 0
    users = list(db.session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None))))
    with current_app.test_request_context(base_url=base_url or None):
        messages = [(u, compose(u, todos_for(u), base_url)) for u in users if (u.email or "").strip()]
    messages = [(u, m) for u, m in messages if m is not None]
    if not messages:
        return 0
    with smtplib.SMTP(host, int(config.get("MAIL_PORT") or 25), timeout=30) as smtp:
        if str(config.get("MAIL_STARTTLS", "")).lower() in ("1", "true", "yes"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        for _user, message in messages:
            smtp.send_message(message)
            sent += 1
    return sent
