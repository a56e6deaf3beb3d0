"""The choices every record shares: its level, its kind, its place in the workflow; and the
accessor of each kind's child table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    SCHOOL = 1, _("School level (校级)")
    DISTRICT = 2, _("District/county level (区县级)")
    MUNICIPAL = 3, _("Municipal level (市级)")
    PROVINCIAL = 4, _("Provincial level (省级)")
    NATIONAL = 5, _("National level (国家级)")


class Kind(models.TextChoices):
    OPEN_CLASS = "open_class", _("Open class (公开课)")
    OBSERVATION = "observation", _("Class observation (听课记录)")
    PAPER = "paper", _("Paper or result (论文与成果)")
    PROJECT = "project", _("Research project (课题)")
    LECTURE = "lecture", _("Lecture or forum talk (专题讲座)")
    TRAINING = "training", _("Training (培训学时)")
    READING = "reading", _("Reading note (读书心得)")
    STUDY_TRIP = "study_trip", _("Study trip (外出学习)")
    PLAN = "plan", _("Self-development plan (自我实现方案)")
    REFLECTION = "reflection", _("Teaching reflection (教学反思)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # An open class announced ahead on the calendar; submitted for verification once held.
    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")
    ARCHIVED = "archived", _("Archived")


# The reverse one-to-one accessor of each kind's child table, e.g. record.researchproject.
KIND_ACCESSORS = {
    Kind.OPEN_CLASS: "openclass",
    Kind.OBSERVATION: "observation",
    Kind.PAPER: "paper",
    Kind.PROJECT: "researchproject",
    Kind.LECTURE: "lecture",
    Kind.TRAINING: "training",
    Kind.READING: "readingnote",
    Kind.STUDY_TRIP: "studytrip",
    Kind.PLAN: "selfdevelopmentplan",
    Kind.REFLECTION: "teachingreflection",
}
