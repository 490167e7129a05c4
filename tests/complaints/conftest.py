"""Fixtures of the complaints desk: a citizen's client, a pinned today, a filed đơn."""
from datetime import date

import pytest

from tests.helpers import UserClient

TODAY = date(2021, 3, 10)


@pytest.fixture(autouse=True)
def pinned_today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TODAY", TODAY)
    return TODAY


@pytest.fixture
def citizen(app, world):
    client = UserClient(app)
    client.refresh_token("/p/xa-dong-lien/don-thu/")
    return client


def petition_data(**overrides) -> dict:
    data = {"kind": "complaint", "subject": "Khiếu nại kết quả bình xét Lao động tiên tiến",
            "content": "Tôi đủ tiêu chuẩn Lao động tiên tiến năm 2020 nhưng không có tên trong danh sách.",
            "filer_name": "Nguyễn Thị Lan", "filer_address": "Xóm Cây Thị, xã Đồng Liên",
            "filer_phone": "0912345678", "filer_email": "lan@example.vn"}
    data.update(overrides)
    return data


@pytest.fixture
def file_petition(citizen):
    """file_petition(**fields) → the tracking code of a đơn filed on Đồng Liên's public page."""

    def _file(unit_slug: str = "xa-dong-lien", **fields) -> str:
        response = citizen.post(f"/p/{unit_slug}/don-thu/", petition_data(**fields))
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        location = response.headers["Location"]
        return location.split("/ma/")[1].split("?")[0]

    return _file
