"""What the API shows of each row (read-only; field names are the models' English codes)."""
from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from junheng.web.areas.models import Area, School
from junheng.web.collection.models import SchoolYear
from junheng.web.snapshots.models import Snapshot
from junheng.web.snapshots.services import PACKS


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "parent", "path"]


class SchoolSerializer(serializers.ModelSerializer):
    county_code = serializers.CharField(source="county.code", read_only=True)
    school_type = serializers.IntegerField(help_text="办学类型代码")

    class Meta:
        model = School
        fields = ["id", "school_id", "name", "county", "county_code", "township", "school_type"]


class RecordSerializer(serializers.ModelSerializer):
    """A school-year record: ``data`` holds the importer's canonical values (collection/models.py)."""

    school_code = serializers.CharField(source="school.school_id", read_only=True, help_text="学校标识码")
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    data = serializers.JSONField(help_text="规范值（键为数据字典的英文代码，教学仪器设备资产值以元计）")

    class Meta:
        model = SchoolYear
        fields = ["id", "school", "school_code", "year", "status", "status_name", "version", "return_reason",
                  "updated_at", "data"]


class SnapshotSerializer(serializers.ModelSerializer):
    """A frozen snapshot; ``assessments`` gives the URL of its assessment under each rule pack."""

    county_code = serializers.CharField(source="county.code", read_only=True)
    schools = serializers.SerializerMethodField(help_text="纳入的学校数")
    excluded = serializers.JSONField(help_text="未纳入的学校（未审核通过）")
    assessments = serializers.SerializerMethodField(help_text="规则包 → 评估结果（与 junheng assess -f json 相同）的网址")

    class Meta:
        model = Snapshot
        fields = ["id", "county", "county_code", "year", "label", "created_at", "schools", "excluded", "assessments"]

    def get_schools(self, snap) -> int:
        return len(snap.rows)

    def get_assessments(self, snap) -> dict[str, str]:
        request = self.context.get("request")
        urls = {p: reverse("api-assessment", kwargs={"pk": snap.pk, "pack": p}) for p in PACKS}
        return {p: request.build_absolute_uri(u) if request else u for p, u in urls.items()}


class SnapshotRowsSerializer(SnapshotSerializer):
    """A snapshot with its rows (the approved records' canonical values at freezing)."""

    rows = serializers.JSONField()

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "rows"]
