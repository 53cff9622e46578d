"""Factories that create powers through the services, as the office does."""

from datetime import date

from gongkai.powers.models import Power, PowerType
from gongkai.powers.services import VersionFields, power_create

STEPS = ["申请", "受理", "审查", "决定", "送达"]


def fields(**changes) -> VersionFields:
    values = {
        "legal_basis": "《中华人民共和国道路运输条例》第十条",
        "conditions": "有与其经营业务相适应并经检测合格的车辆",
        "materials": "申请表；车辆行驶证复印件",
        "procedure_steps": list(STEPS),
        "time_limit": "20个工作日",
        "fees": "不收费",
        "fee_basis": "",
        "responsible_unit": "运输管理科",
        "supervision_phone": "0791-12345678",
        "complaint_phone": "12345",
        **changes,
    }
    return VersionFields(**values)


def make_power(
    agency,
    code: str = "XK-001",
    name: str = "道路旅客运输经营许可",
    *,
    type: str = PowerType.LICENSING,
    effective_from: date = date(2024, 1, 1),
    actor=None,
    **changes,
) -> Power:
    return power_create(
        agency=agency,
        code=code,
        type=type,
        name=name,
        effective_from=effective_from,
        values=fields(**changes),
        actor=actor,
    )
