"""API views: every queryset comes from areas/scope.py (a row outside the token's area is a 404,
as on the pages); assessments are the stored text of snapshots.services.assessment_json."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from junheng.errors import InputError
from junheng.web.api import serializers as s
from junheng.web.api.params import choice_param, int_param
from junheng.web.areas import scope
from junheng.web.collection.models import SchoolYear
from junheng.web.snapshots import services

def _year(params) -> int | None:
    return int_param(params, "year", what="学年", low=1990, high=2100)


_YEAR = OpenApiParameter("year", int, description="学年（年度）")
_COUNTY = OpenApiParameter("county", int, description="县(区)的区域 id")


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """区域（省、市、县(区)、乡镇(街道)）：本账号辖区及其上级。"""

    serializer_class = s.AreaSerializer

    def get_queryset(self):
        return scope.areas(self.request.user).order_by("path")


class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """学校：本账号可见的学校（可用 ``county`` 过滤，值为区域 id）。"""

    serializer_class = s.SchoolSerializer

    @extend_schema(parameters=[_COUNTY])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = scope.schools(self.request.user).select_related("county").order_by("school_id")
        county = int_param(self.request.query_params, "county", what="县(区)的区域 id")
        return qs if county is None else qs.filter(county_id=county)


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """学校年度记录（含未审核的；正式数据请用快照）：可用 ``year``、``county``（区域 id）、``school``（学校 id）、
    ``status`` 过滤。"""

    serializer_class = s.RecordSerializer

    @extend_schema(parameters=[_YEAR, _COUNTY, OpenApiParameter("school", int, description="学校 id"),
                               OpenApiParameter("status", str, enum=["draft", "submitted", "returned", "approved"])])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = scope.records(self.request.user).order_by("-year", "school__school_id")
        p = self.request.query_params
        if (year := _year(p)) is not None:
            qs = qs.filter(year=year)
        if (county := int_param(p, "county", what="县(区)的区域 id")) is not None:
            qs = qs.filter(school__county_id=county)
        if (school := int_param(p, "school", what="学校 id")) is not None:
            qs = qs.filter(school_id=school)
        if (status := choice_param(p, "status", [c for c, _ in SchoolYear.STATUS_CHOICES], what="状态")) is not None:
            qs = qs.filter(status=status)
        return qs


class SnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    """数据快照（县级及以上账号）：列表不含学校数据，详情含 ``rows``。可用 ``year`` 过滤。"""

    def get_serializer_class(self):
        return s.SnapshotRowsSerializer if self.action == "retrieve" else s.SnapshotSerializer

    @extend_schema(parameters=[_YEAR])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = scope.snapshots(self.request.user)
        year = _year(self.request.query_params)
        return qs if year is None else qs.filter(year=year)


@extend_schema(
    summary="快照的评估结果",
    description="与 `junheng assess -f json` 逐字节相同的文档（docs/json-contract.md），保存后原样返回。"
                "快照数据不满足规则包要求时为 422，`errors` 为中文说明。",
    responses={200: OpenApiTypes.OBJECT, 404: None, 422: OpenApiTypes.OBJECT},
    parameters=[OpenApiParameter("pack", str, OpenApiParameter.PATH, enum=list(services.PACKS), description="规则包")])
@api_view(["GET"])
def assessment(request, pk: int, pack: str):
    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    if pack not in services.PACKS:
        raise Http404("没有这个规则包。")
    try:
        text = services.assessment_json(snap, pack)
    except InputError as e:
        return Response({"errors": [str(i) for i in e.issues]}, status=422)
    return HttpResponse(text, content_type="application/json; charset=utf-8")
