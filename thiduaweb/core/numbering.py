"""Document numbers (Nghị định 30/2020): one series per issuer, document type and calendar year.

Numbers are taken inside the caller's transaction, so a rolled-back issue frees its number
again (no gap); the unique constraint makes a duplicate impossible, even between two app servers.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import DateTime, Index, Integer, String, UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from thiduaweb.core.documents import DOCUMENT_TYPES, format_number_symbol
from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db


class NumberTaken(ValueError):
    """The number is already used in its series; the message is for the user."""

    field = "number"


class IssuedNumber(UnitOwned, db.Model):
    __tablename__ = "issued_number"
    __extra_table_args__ = (
        UniqueConstraint("unit_id", "doc_type", "issuer", "year", "number", name="uq_issued_number_series"),
        Index("ix_issued_number_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(10))
    issuer: Mapped[str] = mapped_column(String(20), default="UBND")
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(timezone.utc))
    __field_labels__ = {"doc_type": "Loại văn bản", "issuer": "Cơ quan ban hành", "year": "Năm", "number": "Số",
                        "object_type": "Loại hồ sơ", "object_id": "Hồ sơ", "issued_at": "Thời điểm cấp số"}
    __value_labels__ = {"doc_type": DOCUMENT_TYPES, "object_type": "thiduaweb.audit.models:OBJECT_LABELS"}

    @property
    def symbol(self) -> str:
        return format_number_symbol(self.number, self.doc_type, self.issuer)

    @property
    def audit_label(self) -> str:
        return f"{self.symbol} ({self.year})"


def peek_next(unit_id: int, doc_type: str, year: int, issuer: str = "UBND") -> int:
    """The number the next document of this series would get."""
    last = db.session.scalar(select(func.max(IssuedNumber.number)).where(
        IssuedNumber.unit_id == unit_id, IssuedNumber.doc_type == doc_type,
        IssuedNumber.issuer == issuer, IssuedNumber.year == year))
    return (last or 0) + 1


def issue_number(unit_id: int, doc_type: str, year: int | date, *, issuer: str = "UBND", number: int | None = None,
                 object_type: str = "", object_id: int | None = None) -> IssuedNumber:
    """Take the next number of the series (or `number`, when an existing document is recorded).

    Does not commit: the number belongs to the caller's unit of work. Raises NumberTaken.
    """
    if isinstance(year, date):
        year = year.year
    if number is not None and number < 1:
        raise NumberTaken("Số văn bản phải là số nguyên dương.")
    # An automatic number that another transaction took a moment earlier is simply retried with
    # the next one; a number the user chose is refused instead.
    attempts = 1 if number is not None else 5
    _open_sqlite_transaction()
    for _ in range(attempts):
        wanted = number or peek_next(unit_id, doc_type, year, issuer)
        issued = IssuedNumber(unit_id=unit_id, doc_type=doc_type, issuer=issuer, year=year, number=wanted,
                              object_type=object_type, object_id=object_id)
        try:
            with db.session.begin_nested():
                db.session.add(issued)
                db.session.flush()
        except IntegrityError:
            continue
        return issued
    symbol = format_number_symbol(wanted, doc_type, issuer)
    raise NumberTaken(f"Số {symbol} năm {year} đã được dùng cho một văn bản khác. Chọn số khác.")


def _open_sqlite_transaction() -> None:
    """Python's sqlite3 opens a transaction only before a data change; a SAVEPOINT taken before any
    would be committed by its own RELEASE, and the number would outlive a rolled-back unit of work."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def number_of(object_type: str, object_id: int, doc_type: str | None = None) -> IssuedNumber | None:
    stmt = select(IssuedNumber).where(IssuedNumber.object_type == object_type, IssuedNumber.object_id == object_id)
    if doc_type:
        stmt = stmt.where(IssuedNumber.doc_type == doc_type)
    return db.session.scalar(stmt.order_by(IssuedNumber.id.desc()))
