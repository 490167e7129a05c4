"""Demo accounts of CONTRACT.md, all with the password ThiDua@2021."""
from sqlalchemy import select

from thiduaweb.accounts.models import Membership, User
from thiduaweb.accounts.passwords import hash_password
from thiduaweb.extensions import db

ACCOUNTS = [
    # username, full name, position, unit slug, roles
    ("admin", "Nguyễn Quản Trị", "Quản trị hệ thống", "tp-thai-nguyen", ["admin"]),
    ("noivu", "Hoàng Thị Thu Hà", "Chuyên viên Phòng Nội vụ", "tp-thai-nguyen", ["supervisor"]),
    ("donglien.canbo", "Dương Thị Hồng", "Công chức Văn phòng - Thống kê", "xa-dong-lien", ["officer"]),
    ("donglien.chutich", "Tạ Văn Phin", "Chủ tịch UBND xã", "xa-dong-lien", ["chairman"]),
    ("donglien.hoidong", "Nguyễn Văn Toàn", "Phó Chủ tịch UBND xã", "xa-dong-lien", ["council"]),
    ("tancuong.canbo", "Lê Thị Minh", "Công chức Văn hóa - Xã hội", "xa-tan-cuong", ["officer"]),
]


def seed(world) -> None:
    from thiduaweb.demo import DEMO_PASSWORD

    password_hash = None
    for username, full_name, position, slug, roles in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(username=username, full_name=full_name, position=position, password_hash=password_hash)
            db.session.add(user)
            unit = world.units[slug]
            for role in roles:
                user.memberships.append(Membership(unit_id=unit.id, role=role))
        world.users[username] = user
