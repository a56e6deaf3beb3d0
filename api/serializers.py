"""What each item of the read endpoints holds. Ids are the database ids, stable for the life of
the object; ``school`` is the id of the school the item belongs to, on every item."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessment.models import AssessmentEntry
from backbone.models import Designation
from core.models import School
from records.models import Record, Training
from teachers.models import Teacher

from .bureau.sources import external_id_of, source_kind


def may_see_contact(user, teacher: Teacher) -> bool:
    """Phone, email and birth date, as the teacher's profile page shows them: to the teacher
    themself and to whoever may open that page (their school's staff, their district office)."""
    if teacher.user_id is not None and teacher.user_id == user.pk:
        return True
    return user.scope.can_view_school(teacher.school_id)


class SchoolSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code")
    district_name = serializers.CharField(source="district.name")

    class Meta:
        model = School
        fields = ["id", "code", "name", "kind", "district", "district_code", "district_name"]


class TeacherSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code")
    group = serializers.CharField(source="group.name", allow_null=True, default=None)
    posts = serializers.ListField(child=serializers.CharField())
    CONTACT = ("phone", "email", "birth_date")

    class Meta:
        model = Teacher
        fields = [
            "id", "school", "school_code", "staff_no", "name", "gender", "subject", "grades",
            "title", "education", "career_start", "group", "posts", "is_active", "left_on",
            "phone", "email", "birth_date", "updated_at",
        ]  # fmt: skip
        extra_kwargs = {
            "phone": {"allow_null": True},
            "email": {"allow_null": True},
            "birth_date": {"allow_null": True},
        }

    def to_representation(self, teacher):
        data = super().to_representation(teacher)
        if not may_see_contact(self.context["request"].user, teacher):
            for name in self.CONTACT:
                data[name] = None
        return data


class DesignationSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="teacher.school_id")
    staff_no = serializers.CharField(source="teacher.staff_no")
    tier = serializers.CharField(source="tier.code")
    tier_name = serializers.CharField(source="tier.name")
    status = serializers.ChoiceField(source="effective_status", choices=Designation.Status.choices)

    class Meta:
        model = Designation
        fields = [
            "id", "teacher", "school", "staff_no", "tier", "tier_name", "is_honorary",
            "first_year", "last_year", "status", "designated_by", "designated_on",
            "certificate_no", "source",
        ]  # fmt: skip


class RecordSerializer(serializers.ModelSerializer):
    school = serializers.IntegerField(source="teacher.school_id")
    staff_no = serializers.CharField(source="teacher.staff_no")
    credited_from = serializers.SerializerMethodField()

    class Meta:
        model = Record
        fields = [
            "id", "teacher", "school", "staff_no", "kind", "year", "semester", "date", "title",
            "credited_from", "verified_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_credited_from(self, record) -> str:
        return source_kind(record.source)


class HoursEntrySerializer(RecordSerializer):
    external_id = serializers.SerializerMethodField()

    class Meta:
        model = Training
        fields = [
            "id", "teacher", "school", "staff_no", "year", "semester", "date", "course",
            "hours", "school_based", "organiser_level", "credited_from", "external_id",
            "verified_at", "updated_at",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "nullable": True})
    def get_external_id(self, record):
        return external_id_of(record.source)


class ResultSerializer(serializers.ModelSerializer):
    round_title = serializers.CharField(source="round.title")
    school = serializers.IntegerField(source="round.school_id")
    year = serializers.IntegerField(source="round.year")
    semester = serializers.IntegerField(source="round.semester", allow_null=True)
    staff_no = serializers.CharField(source="teacher.staff_no")
    name = serializers.CharField(source="teacher.name")
    grade_label = serializers.CharField(source="get_grade_display", allow_null=True)

    class Meta:
        model = AssessmentEntry
        fields = [
            "id", "round", "round_title", "school", "year", "semester", "teacher", "staff_no",
            "name", "grade", "grade_label",
        ]  # fmt: skip
