"""Administrative units and the bodies (xóm, schools, mass organisations) a unit owns."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db

UNIT_KINDS = {
    "province": "Tỉnh",
    "central_city": "Thành phố trực thuộc Trung ương",
    "city": "Thành phố",
    "district": "Huyện",
    "town": "Thị xã",
    "commune": "Xã",
    "ward": "Phường",
    "township": "Thị trấn",
    "special_zone": "Đặc khu",
}
#: Kinds at the commune level: the tenants whose officers run the day-to-day work.
COMMUNE_LEVEL = {"commune", "ward", "township", "special_zone"}

BODY_KINDS = {
    "village": "Thôn, xóm, tổ dân phố",
    "school": "Trường học",
    "mass_org": "Đoàn thể",
    "office": "Cơ quan",
    "enterprise": "Doanh nghiệp",
}


class Unit(db.Model):
    """A node of the administrative tree, identified by its official code and validity period."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    #: Materialised path of ids ("/1/4/"): descendants are a prefix match on both databases.
    path: Mapped[str] = mapped_column(String(255), index=True, default="/")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    #: Where the unit is for documents: "Đồng Liên, ngày ..."
    place_name: Mapped[str | None] = mapped_column(String(80))
    remote_area: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")
    #: The unit's successions in each direction, for reading only (`units.services.find_unit_by_slug`
    #: loads them with the unit; they are written as `UnitSuccession` rows).
    successions_out: Mapped[list[UnitSuccession]] = relationship(
        foreign_keys="UnitSuccession.predecessor_id", viewonly=True)
    successions_in: Mapped[list[UnitSuccession]] = relationship(
        foreign_keys="UnitSuccession.successor_id", viewonly=True)

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind, self.kind)

    @property
    def is_commune_level(self) -> bool:
        return self.kind in COMMUNE_LEVEL

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"


class UnitSuccession(db.Model):
    """The territory of `predecessor` passed (whole or partly) to `successor` on `effective_on`."""

    __tablename__ = "unit_succession"
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    extent: Mapped[str] = mapped_column(String(10), default="whole")  # whole | partly
    effective_on: Mapped[date] = mapped_column(Date)

    predecessor: Mapped[Unit] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped[Unit] = relationship(foreign_keys=[successor_id])


class Body(UnitOwned, db.Model):
    """A village, school, mass organisation, office or enterprise a unit manages."""

    __tablename__ = "body"
    __extra_table_args__ = (Index("ix_body_unit_id_name", "unit_id", "name"),)
    __revision_area__ = "bodies"  # lists name a row's body: a new village need not redraw the unit's panels

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    head_name: Mapped[str | None] = mapped_column(String(120))
    member_count: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)
    __field_labels__ = {"name": "Tên", "kind": "Loại", "head_name": "Người đứng đầu", "member_count": "Số thành viên",
                        "active": "Đang hoạt động"}
    __value_labels__ = {"kind": BODY_KINDS}

    @property
    def kind_label(self) -> str:
        return BODY_KINDS.get(self.kind, self.kind)
