"""Command line: `flask --app app seed-demo | seed-scale | units import-official | audit verify | users ...`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from thiduaweb.extensions import db

units_cli = AppGroup("units", help="Đơn vị hành chính.")
audit_cli = AppGroup("audit", help="Nhật ký thao tác.")
backup_cli = AppGroup("backup", help="Sao lưu và phục hồi cơ sở dữ liệu (kể cả tệp đính kèm).")


@backup_cli.command("create")
@click.argument("path")
def backup_create_command(path: str):
    """Write a backup of the whole database to PATH."""
    from thiduaweb.backup import BackupError, create_backup

    try:
        target = create_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Đã sao lưu vào {target} ({target.stat().st_size:,} byte).".replace(",", "."))


@backup_cli.command("restore")
@click.argument("path")
def backup_restore_command(path: str):
    """Replace the database's content with the backup at PATH."""
    from thiduaweb.backup import BackupError, restore_backup

    try:
        restore_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Đã phục hồi từ {path}. Nên chạy tiếp: flask --app app audit verify")


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo world (idempotent)."""
    from thiduaweb.demo import seed_demo

    world = seed_demo()
    click.echo(f"Dữ liệu mẫu đã sẵn sàng: {len(world.units)} đơn vị, {len(world.users)} tài khoản.")


@click.command("seed-scale")
@click.option("--communes", default=100, show_default=True, type=click.IntRange(1, 20000))
@click.option("--years", default=3, show_default=True, type=click.IntRange(1, 30))
def seed_scale_command(communes: int, years: int):
    """Synthetic data at realistic rates, for benchmarks."""
    from thiduaweb.scale import seed_scale

    summary = seed_scale(communes=communes, years=years)
    click.echo("Đã tạo: " + ", ".join(f"{k} {v}" for k, v in summary.items()))


@units_cli.command("import-official")
@click.option("--province", "province", required=True, help="Mã tỉnh, thành phố (ví dụ 19 là Thái Nguyên).")
def import_official_command(province: str):
    """Load a province's official post-2025 communes and wards."""
    from thiduaweb.units.official import UnknownProvince, import_official

    try:
        root, count = import_official(province)
    except UnknownProvince as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{root.name}: {count} xã, phường, đặc khu (hiệu lực từ 01/07/2025).")


@audit_cli.command("verify")
def audit_verify_command():
    """Recompute the audit hash chain; exit 1 if any entry was changed."""
    from thiduaweb.core.audit import verify_chain

    checked, broken = verify_chain(db.session.connection())
    if broken == 0:
        click.echo(f"Nhật ký đã bị xóa bớt: chỉ còn {checked} bản ghi, ít hơn số đã ghi.", err=True)
        raise SystemExit(1)
    if broken is not None:
        click.echo(f"Nhật ký đã bị sửa: chuỗi băm sai từ bản ghi số {broken} (đã kiểm tra {checked}).", err=True)
        raise SystemExit(1)
    click.echo(f"Nhật ký nguyên vẹn: {checked} bản ghi.")


@click.command("seed-demo-if-empty", hidden=True)
def seed_demo_if_empty_command():
    """Load the demo world when the database has no users (used by `make run`)."""
    from thiduaweb.accounts.models import User

    if db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Cơ sở dữ liệu đã có dữ liệu: bỏ qua dữ liệu mẫu.")
        return
    seed_demo_command.callback()


def register(app: Flask) -> None:
    for command in (seed_demo_command, seed_scale_command, seed_demo_if_empty_command, units_cli, audit_cli,
                    backup_cli):
        app.cli.add_command(command)
