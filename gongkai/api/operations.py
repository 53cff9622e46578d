"""Declarations of the API views that live outside this package's own modules: the power lists
(gongkai/powers/api.py). urls.py wraps those views with ``spec.endpoint`` and these
operations, so they are described, validated and answer HEAD like every other route."""

from gongkai.powers.models import PowerType

from . import schemas
from .spec import Operation, Param, Response

STRING = {"type": "string"}
_AGENCY_CODE = Param("agency_code", "机关代码", STRING, where="path")

POWER_LIST = Operation(
    "get",
    "listPowers",
    "机关的权力清单（现行及已公布待施行的事项）",
    params=(_AGENCY_CODE, Param("type", "权力类型", {"type": "string", "enum": list(PowerType.values)})),
    responses=(
        Response(200, "权力清单", schemas.POWER_LIST_REF),
        Response(400, "参数错误", schemas.ERROR_REF),
        Response(404, "机关不存在", schemas.ERROR_REF),
    ),
)
POWER_DETAIL = Operation(
    "get",
    "getPower",
    "一项行政权力：现行版本、全部版本（新者在前）与历年处理决定数量",
    params=(
        _AGENCY_CODE,
        Param("code", "权力编码", STRING, where="path"),
        Param("on", "取该日施行的版本作为 current（默认今天）", {"type": "string", "format": "date"}),
    ),
    responses=(
        Response(200, "权力事项", schemas.POWER_REF_SCHEMA),
        Response(400, "参数错误", schemas.ERROR_REF),
        Response(404, "不存在", schemas.ERROR_REF),
    ),
)
ANNUAL_REPORT = Operation(
    "get",
    "getAnnualReport",
    "已发布的政府信息公开工作年度报告（统计表、勾稽关系、人工填报项与文字部分）",
    params=(_AGENCY_CODE, Param("year", "报告年度", {"type": "integer"}, where="path")),
    responses=(
        Response(200, "年度报告", schemas.ANNUAL_REPORT_REF),
        Response(404, "不存在或尚未发布", schemas.ERROR_REF),
    ),
)
