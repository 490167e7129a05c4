"""Builders for the self-inspection tests."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from thiduaweb.core.tenancy import unit_scope
from thiduaweb.inspections import services


def published_round(world, *, deadline=date(2021, 11, 15), weights=(Decimal(2), Decimal(3), Decimal(5))):
    """A template of the city with one section and three items, published for 2021."""
    with unit_scope({world.city.id}):
        template = services.save_template(world.city, {"name": "Tự kiểm tra công tác TĐKT"})
        section = services.add_section(template, "Ban hành văn bản")
        for n, weight in enumerate(weights, 1):
            services.save_item(template, {"section_id": section.id, "text": f"Tiêu chí {n}", "weight": weight,
                                          "basis": "Luật TĐKT 2022", "evidence_expected": "Kế hoạch"})
        round_ = services.publish_round(world.city, template, {
            "title": "Tự kiểm tra năm 2021", "period_start": date(2021, 1, 1), "period_end": date(2021, 12, 31),
            "deadline": deadline})
        return round_.id, [item.id for item in template.items]
