"""The permission matrix: every URL of the project, for every role, against an object of the
user's own school and one of a school in another district.

The URLconf is walked (includes too); every URL name must be in the table below, so a new view
cannot go in without someone deciding who may reach it. URLs naming an object (``pk``, ``kind``,
``year``...) are in ``RULES``: one letter per role says what each role gets with an object of its
own school, and what it gets with the other district's object (by default "not found" for all).
URLs naming no object are in ``PLAIN``; every URL is also requested anonymously.

Letters, in the order of ``ROLES`` (principal, training office, committee member, district
office | the teacher who owns the object, a colleague at the same school, the teacher's mentor):

    A  allowed: 200 (or a redirect to a page of the site, not the login); a POST may change data
    F  403, nothing written to the database
    N  404, nothing written
    R  refused politely: a redirect with a message, nothing written (e.g. the author archiving
       a record that is already submitted)

Every page a role may open must not show the other school's names, nor the own school's
secrets the role may not read (a teacher's draft, a private guidance session). Pages without ids
are scanned the same way for every role, and forms are posted with the other school's ids.

The world is built once for the module, inside a transaction rolled back at the end; each
request runs in a savepoint rolled back after it, so a POST that is allowed changes nothing the
next request sees. "Nothing written" means no INSERT, UPDATE or DELETE changed a row (sessions
excepted). The Django admin is left out (superusers only); the admin tests at the end check that
a principal does not get in.

What leaves the site as a file is checked in tests/test_permission_matrix_files.py: every job
kind, requested by users with one or several roles, read by everyone who may download it.
"""

import datetime
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.models import Holiday, Job, Role, SchoolYear, school_year_start

ROLES = ("principal", "office", "committee", "district", "teacher", "colleague", "mentor")
OUTCOMES = {"A", "F", "N", "R"}
ALL_NOT_FOUND = "NNNN|NNN"


# -- the URLconf ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class UrlEntry:
    name: str
    route: str
    kwargs: frozenset[str]


def walk_urlconf(patterns=None, prefix="", namespace="", kwargs=frozenset()):
    """Every URL pattern outside the admin: its full name, route and keyword arguments."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        converters = frozenset(getattr(p.pattern, "converters", {}))
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api"):  # the API: tests/test_permission_matrix_api.py
                continue
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from walk_urlconf(
                p.url_patterns, prefix + str(p.pattern), ns, kwargs | converters
            )
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = ":".join(filter(None, [namespace, p.name])) if p.name else f"<unnamed {route}>"
            yield UrlEntry(name, route, kwargs | converters)


URLS = {entry.name: entry for entry in walk_urlconf()}


# -- the table -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """``target`` names the object (a key of Side.objects; the URL takes its pk) or is a
    function of the side giving (kwargs, query string). ``method``: GET (a page), FORM (a page
    whose form is also POSTed by the roles refused), POST (POST only), FILE (a download)."""

    target: str | Callable
    method: str
    own: str
    other: str | None = ALL_NOT_FOUND  # None: the URL names no object of a school
    data: dict | Callable | None = None
    variant: str = ""

    def codes(self, side: str) -> dict[str, str]:
        letters = (self.own if side == "own" else self.other).replace("|", "")
        assert len(letters) == len(ROLES) and set(letters) <= OUTCOMES, letters
        return dict(zip(ROLES, letters, strict=True))


def kind(value):
    return lambda side: ({"kind": value}, "")


def for_school(kwargs: Callable):
    """A URL about the side's school, given as ?school=<pk>."""
    return lambda side: (kwargs(side), f"?school={side.school.pk}")


def pdf_upload():
    body = b"1 0 obj << /Type /Catalog >> endobj\n"
    return SimpleUploadedFile("教案.pdf", b"%PDF-1.4\n" + body + b"trailer << >>\n%%EOF\n")


RECORD_KINDS = (
    "open_class", "observation", "paper", "project", "lecture", "training", "reading",
    "study_trip", "plan", "reflection",
)  # fmt: skip
TODAY = timezone.localdate()

# Letters: principal, office, committee, district | teacher (owner), colleague, mentor.
# fmt: off
RULES: dict[str, Rule | list[Rule]] = {
    # core: school years and holidays belong to the district office; files to the requester
    # and the managers of the file's school
    # (everyone but the district office is refused before the school year is looked up)
    "school_year_edit": Rule("school_year", "FORM", "FFFA|FFF", other="FFFN|FFF"),
    "holiday_remove": Rule("holiday", "POST", "NNNA|NNN"),
    # (the district office reads its schools' files but does not act on them)
    "job": Rule("job", "GET", "AANA|NNN"),
    "job_download": Rule("job", "FILE", "AANA|NNN"),
    "job_retry": Rule("job", "POST", "AANF|NNN"),
    "job_regenerate": Rule("job", "POST", "AANF|NNN"),
    # teachers: the profile is the teacher's and their school staff's
    "teachers:detail": Rule("teacher", "GET", "AAAA|ANN"),
    "documents:dossier": Rule("teacher", "POST", "AAFA|ANN"),
    "documents:handbook": Rule("teacher", "POST", "AAFA|ANN", data={"foreword": "望你成才"}),
    "documents:evidence": Rule("teacher", "POST", "AAFA|ANN", data={"years": "5"}),
    "teachers:edit": Rule("teacher", "FORM", "AAFF|FNN"),
    "teachers:account": Rule("teacher", "POST", "AAFF|FNN"),
    "teachers:career": Rule("teacher", "FORM", "AAFF|FNN"),
    "teachers:post_end": Rule(
        "post_held", "POST", "AAFF|NNN", data={"ended_on": TODAY.isoformat()}
    ),
    "teachers:post_remove": Rule("post_held", "POST", "AAFF|NNN"),
    "teachers:title_remove": Rule("title_award", "POST", "AAFF|NNN"),
    # backbone: the designation is the mentor's, the reserve entry and candidacy the teacher's
    "backbone:designation_revoke": Rule("designation", "FORM", "AAFF|NNN"),
    "backbone:designation_promote": Rule("designation", "FORM", "AAFF|NNN"),
    "backbone:reserve_remove": Rule("reserve_entry", "POST", "AAFF|NNN"),
    "backbone:round": [
        Rule("selection_round", "GET", "AAAA|NNN"),
        Rule("district_round", "GET", "AAAA|NNN", variant="district"),
    ],
    "backbone:round_apply": Rule("selection_round", "FORM", "NNNN|AAA"),  # teachers only
    "backbone:round_nominate": [
        Rule("selection_round", "FORM", "AAFF|NNN"),
        # a district round: each school nominates; the district office is sent to the
        # recommendations
        Rule("district_round", "FORM", "AAFA|NNN", variant="district"),
    ],
    # the district office takes a school's recommendation into its round (none named: refused
    # with a message)
    "backbone:round_take_recommendation": Rule("district_round", "POST", "FFFR|NNN"),
    "backbone:round_eligibility": Rule("selection_round", "POST", "AAFF|NNN"),
    "backbone:round_close": Rule("selection_round", "POST", "AAFF|NNN"),
    "backbone:round_score": Rule("selection_round", "FORM", "FFAF|NNN"),
    "backbone:round_recusal": Rule("selection_round", "FORM", "AAAA|NNN"),
    "backbone:round_propose": Rule("announced_round", "FORM", "AAFF|NNN"),
    "backbone:round_announce": Rule("announced_round", "FORM", "AAFF|NNN"),
    "backbone:round_confirm": Rule("announced_round", "POST", "AAFF|NNN"),
    "backbone:round_cancel": Rule("selection_round", "POST", "AAFF|NNN"),
    "backbone:candidate_withdraw": Rule("candidacy", "POST", "AAFF|ANN"),
    "backbone:objection_handle": Rule("objection", "FORM", "AAFF|NNN"),
    "backbone:notice": Rule("announced_round", "GET", "AAAA|AAA"),
    "backbone:objection_new": Rule(
        "announced_round", "FORM", "AAAF|AAA", data={"text": "公示名单有误"}
    ),
    "backbone:rules_edit": Rule("tier", "FORM", "AAFA|NNN"),
    "backbone:target_edit": Rule(
        for_school(lambda side: {"year": side.objects["target"].by_year}), "FORM", "AAFF|NNN"
    ),
    "backbone:target_delete": Rule(
        for_school(lambda side: {"year": side.objects["target"].by_year}), "FORM", "AAFF|NNN"
    ),
    # records: written by the teacher, read by the school's staff once submitted, verified by
    # the principal and the training office
    "records:new": Rule(kind("training"), "FORM", "NNNN|AAA", other=None),
    "records:detail": [
        *(Rule(k, "GET", "AAAA|ANN", variant=k) for k in RECORD_KINDS if k != "plan"),
        Rule("plan", "GET", "AAAA|ANA", variant="plan"),  # the mentor reads the apprentice's plan
        Rule("draft", "GET", "NNNN|ANN", variant="draft"),
    ],
    "records:edit": [
        Rule("training", "FORM", "FFFF|FNN", variant="submitted"),
        Rule("draft", "FORM", "NNNN|ANN", variant="draft"),
    ],
    "records:teacher_growth": Rule("teacher", "GET", "AAAA|ANN"),
    "records:submit": Rule("training", "POST", "FFFF|ANN"),
    "records:withdraw": Rule("training", "POST", "FFFF|ANN"),
    "records:verify": Rule("training", "POST", "AAFF|FNN"),
    "records:return": Rule("training", "FORM", "AAFF|FNN", data={"reason": "请补充教案"}),
    "records:archive": Rule("training", "POST", "AAFF|RNN"),  # the author: drafts only
    "records:audit": Rule("training", "GET", "AAFF|ANN"),
    "records:attachment_add": Rule(
        "training", "POST", "FFFF|RNN", data=lambda: {"file": pdf_upload(), "role": "other"}
    ),
    "records:attachment_remove": Rule("training_attachment", "POST", "FFFF|RNN"),
    "records:attachment_download": [
        Rule(f"{k}_attachment", "FILE", "AAAA|ANN", variant=k) for k in RECORD_KINDS
    ],
    "records:calendar_class": Rule("open_class", "GET", "AAAA|AAA"),
    # (the teacher gives the open class: they do not sign up for it nor evaluate it)
    "records:signup": Rule("open_class", "POST", "FFFF|RAA", data={"action": "join"}),
    "records:evaluate": Rule("open_class", "FORM", "FFFF|FAA"),
    # the apprentice's mentor comments on the plan; a colleague does not
    # (exemptions from school-based hours: the school's managers grant them, staff read them)
    "records:exemption_withdraw": Rule("hours_exemption", "POST", "AAFF|NNN"),
    "records:plan_comment": Rule("plan", "POST", "AAAF|ANA", data={"text": "目标再具体些"}),
    # mentoring: the teacher is the apprentice; the principal and training office manage
    "mentoring:detail": Rule("pairing", "GET", "AAAA|ANA"),
    "mentoring:approve": Rule("pairing", "POST", "AAFF|FNF"),
    "mentoring:decline": Rule("pairing", "FORM", "AAFF|FNF"),
    "mentoring:end": Rule("pairing", "FORM", "AAFF|FNF", data={"reason": "调离"}),
    "mentoring:complete": Rule("pairing", "POST", "AAFF|FNF"),
    "mentoring:renew": Rule("pairing", "POST", "AAFF|FNF"),
    "mentoring:appraisal": Rule("pairing", "FORM", "FFFF|FNA"),
    "mentoring:observe": Rule("pairing", "FORM", "FFFF|ANA"),
    "mentoring:session_new": Rule("pairing", "FORM", "FFFF|ANA"),
    "mentoring:session_confirm": Rule("session", "POST", "FFFF|ANF"),
    "mentoring:contract": Rule("pairing", "POST", "AAAA|ANA"),  # a job prints it
    # assessment: the mentor (a backbone teacher) is assessed; only the principal finalises,
    # posts, locks and decides flagged designations
    "assessment:duty_template_edit": Rule("duty_template", "FORM", "AAFA|NNN"),
    # (only the schools one manages are offered: the others are not found)
    "assessment:template_edit": Rule(for_school(lambda side: {"kind": "annual"}), "FORM",
                                     "AANN|NNN"),
    "assessment:round": Rule("assessment_round", "GET", "AAAA|NNN"),
    # the monthly check: the school's managers act, the district office reads
    "assessment:monthly_check": Rule("monthly_check", "GET", "AANA|NNN"),
    "assessment:monthly_check_save": Rule("monthly_check", "POST", "AANF|NNN"),
    "assessment:monthly_check_release": Rule("monthly_check", "POST", "AANF|NNN"),
    # honours: the managers propose and edit, the principal confirms, the district office
    # reads and prints; teachers see their own honours on honours:mine only
    "honours:list": Rule("honour_list", "GET", "AANA|NNN"),
    "honours:list_refresh": Rule("honour_list", "POST", "AANF|NNN"),
    "honours:list_save": Rule("honour_list", "POST", "AANF|NNN"),
    "honours:list_confirm": Rule("honour_list", "POST", "AFNF|NNN"),
    "honours:list_print": Rule("confirmed_honours", "POST", "AANA|NNN"),
    "assessment:round_score": Rule("assessment_round", "FORM", "FFAF|NNN"),
    "assessment:round_refresh": Rule("assessment_round", "POST", "AAFF|NNN"),
    "assessment:round_finalise": Rule("assessment_round", "POST", "AFFF|NNN"),
    "assessment:round_post": Rule(
        "posted_round", "POST", "AFFF|NNN",
        data={"notice_from": TODAY, "notice_until": TODAY + datetime.timedelta(days=7),
              "notice_contact": "张老师"},
    ),
    "assessment:round_lock": Rule("posted_round", "POST", "AFFF|NNN"),
    "assessment:entry_absence": Rule(
        "entry", "POST", "AAFF|NNN", data={"absent": "1", "reason": "无故缺席"}
    ),
    "assessment:results": Rule("posted_round", "GET", "AAAA|AAA"),
    "documents:round_print_notice": Rule("posted_round", "POST", "AAFA|NNN"),
    "documents:selection_print_notice": Rule("announced_round", "POST", "AAFA|NNN"),
    "documents:round_print_forms": Rule("posted_round", "POST", "AAFA|NNN"),
    "documents:round_print_form": Rule(
        lambda side: ({"pk": side["posted_round"].pk, "entry_pk": side["posted_entry"].pk}, ""),
        "POST", "AAFA|NNN",
    ),
    "assessment:flagged_confirm": Rule("designation", "POST", "ANNN|NNN",
                                       data={"reason": "考核不合格"}),
    "assessment:flagged_clear": Rule("designation", "POST", "ANNN|NNN"),
    # training: the school's principal and training office organise; the committee and the
    # district office read; the trainee reaches only their own sign-in and My training
    "training:programme": Rule("programme", "GET", "AAAA|NNN"),
    "training:programme_edit": Rule("programme", "FORM", "AAFF|NNN"),
    "training:programme_enrol": Rule("programme", "POST", "AAFF|NNN", data={"by": "audience"}),
    "training:session_new": Rule("programme", "FORM", "AAFF|NNN"),
    "training:session_edit": Rule("training_session", "FORM", "AAFF|NNN"),
    "training:session_publish": Rule("training_session", "POST", "AAFF|NNN"),
    "training:register": Rule("training_session", "FORM", "AAAA|NNN"),
    "training:projector": Rule("training_session", "GET", "AAFF|NNN"),
    "training:attendance_import": Rule("training_session", "FORM", "AAFF|NNN"),
    # (only a teacher who attended answers: the matrix's teacher did)
    "training:feedback": Rule("training_session", "FORM", "NNNN|ANN"),
    "training:certificates_issue": Rule(
        "programme", "POST", "AAFF|NNN", data=lambda: {"teachers": []}
    ),
    "training:certificates_print": Rule("programme", "POST", "AAFF|NNN"),
    # feedback questions: the organiser sets them, the programme's readers see them
    "training:feedback_questions": Rule(
        "programme", "GET", "AAAA|NNN", data={"kind": "text", "text": "其他建议"}
    ),
    "training:report": Rule("programme", "GET", "AAAA|NNN"),
    # the training-needs survey: its organiser changes and closes it, its readers read the
    # aggregates, the managers and the district export them, its school's teachers answer
    "training:needs": Rule("needs_survey", "GET", "AAAA|NNN"),
    "training:needs_question_add": Rule(
        "needs_survey", "POST", "AAFF|NNN", data={"kind": "text", "text": "其他建议"}
    ),
    "training:needs_question_remove": Rule(
        "needs_survey", "POST", "AAFF|NNN", data={"question": "key:problems"}
    ),
    "training:needs_close": Rule("needs_survey", "POST", "AAFF|NNN"),
    "training:needs_export": Rule("needs_survey", "POST", "AAFA|NNN"),
    "training:needs_answer": Rule("needs_survey", "GET", "NNNN|AAA"),
    "training:report_print": Rule("programme", "POST", "AAFF|NNN"),
    "training:feedback_question_remove": Rule(
        "programme", "POST", "AAFF|NNN", data={"question": "key:comment"}
    ),
    # the trainee assessment: the organiser sets it up and reveals; only panel members score
    # (the matrix's programme has no panel member); its viewers read the results page
    "training:assessment_results": Rule("programme", "GET", "AAAA|NNN"),
    "training:assessment_setup": Rule("programme", "FORM", "AAFF|NNN"),
    "training:assessment_sheet": Rule("programme", "FORM", "FFFF|NNN"),
    "training:assessment_reveal": Rule("programme", "POST", "AAFF|NNN"),
    # groups: the principal and training office manage groups; the group's head (the mentor)
    # runs its plan, activities and preparation; its members (the teacher) read and take
    # part; the colleague, in no group, does not see it
    "groups:detail": Rule("group", "GET", "AAAA|ANA"),
    "groups:edit": Rule("group", "FORM", "AAFF|FNF"),
    "groups:members": Rule("group", "FORM", "AAFF|FNF"),
    "groups:plan_new": Rule("group", "FORM", "AAFF|FNA"),
    "groups:plan": Rule("group_plan", "GET", "AAAA|ANA"),
    "groups:plan_edit": Rule("group_plan", "FORM", "AAFF|FNA"),
    "groups:week_set": Rule(
        "group_plan", "POST", "AAFF|FNA", data={"week": 2, "kind": "study", "theme": "理论学习"}
    ),
    "groups:activity_new": Rule("group_plan", "FORM", "AAFF|FNA"),
    "groups:unit_new": Rule("group_plan", "FORM", "AAFF|FNA"),
    "groups:activity": Rule("group_activity", "GET", "AAAA|ANA"),
    "groups:activity_edit": Rule("group_activity", "FORM", "AAFF|FNA"),
    "groups:activity_minutes": Rule("group_activity", "POST", "AAFF|FNA", data={"minutes": "记录"}),
    "groups:activity_file_add": Rule(
        "group_activity", "POST", "AAFF|FNA", data=lambda: {"file": pdf_upload()}
    ),
    "groups:activity_file": Rule("group_file", "FILE", "AAAA|ANA"),
    "groups:unit": Rule("group_unit", "GET", "AAAA|ANA"),
    # (the teacher is the unit's main preparer; the mentor prepared the agreed one)
    "groups:unit_draft": Rule("group_unit", "POST", "FFFF|ANF", data={"draft": "改稿"}),
    "groups:unit_comment": Rule("group_unit", "POST", "AAFF|ANA", data={"text": "导入再简洁些"}),
    "groups:unit_agree": Rule("group_unit", "POST", "AAFF|FNA"),
    "groups:unit_file": Rule("group_unit", "FILE", "AAAA|ANA"),
    "groups:unit_adapt": Rule("agreed_unit", "POST", "FFFF|ANA", data={"text": "二次备课"}),
    # API tokens: each user revokes their own (the matrix's token is the principal's)
    "api_token_revoke": Rule("api_token", "POST", "ANNN|NNN"),
    # the reset link of the email: a wrong one is a page saying so, for everyone
    "password_reset_confirm": Rule(
        lambda side: ({"uidb64": "MQ", "token": "abc-123"}, ""), "GET", "AAAA|AAA", other=None
    ),
    # competitions: the school's principal and training office organise, the committee member
    # judges; every teacher of the school sees the contest and enters themselves; an entry is
    # its teacher's, the organiser's and the judges'
    "contests:contest": Rule("contest", "GET", "AAAA|AAA"),
    "contests:results": Rule("contest", "GET", "AAAA|AAA"),
    "contests:entry_new": Rule("contest", "FORM", "AAFF|AAA"),
    "contests:entry_file": Rule("contest_entry", "FILE", "AAAN|ANN"),
    "contests:entry_withdraw": Rule("contest_entry", "POST", "AAFN|ANN"),
    "contests:sheet": Rule("contest", "FORM", "FFAF|FFF"),
    "contests:recuse": Rule("contest", "POST", "AAAF|FFF"),
    "contests:entries_close": Rule("contest", "POST", "AAFF|FFF"),
    "contests:scores_reveal": Rule("contest", "POST", "AAFF|FFF"),
    # (entries are still open: publishing is refused with a message)
    "contests:results_publish": Rule("contest", "POST", "RRFF|FFF"),
    "contests:results_unpublish": Rule("contest", "POST", "AAFF|FFF"),
    "contests:certificates_print": Rule("contest", "POST", "AAFF|FFF"),
    "contests:results_export": Rule("contest", "POST", "AAFF|FFF"),
    # lesson study: the school's people read it; the principal who started it and the
    # school's managers change its rounds
    "records:lesson_study": Rule("lesson_study", "FORM", "AAAA|AAA"),
    # the shared library: only the author shares their own record (the teacher's paper is
    # not verified: refused with a message); the school's managers choose the collection;
    # everyone of the school reads a shared item's files
    "contests:library_share": Rule("paper", "POST", "NNNN|RNN", data={"reach": "school"}),
    "contests:library_unshare": Rule("paper", "POST", "NNNN|ANN"),
    "contests:library_select": Rule("shared_item", "POST", "AAFF|FFF", data={"selected": "1"}),
    "contests:library_file": Rule("shared_attachment", "FILE", "AAAA|AAA"),
    "records:lesson_study_round_remove": Rule(
        lambda side: ({"pk": side["lesson_study"].pk,
                       "round_pk": side["lesson_study"].rounds.get().pk}, ""),
        "POST", "AAFF|FFF",
    ),
    # (applications: only to a programme open for application, of the teacher's audience)
    "training:apply": Rule("open_programme", "POST", "NNNN|AAA"),
    "training:application_decide": Rule(
        "application", "POST", "AAFF|NNN", data={"decision": "approve"}
    ),
}
# fmt: on

# URLs naming no object: GET pages and POST-only actions. Anonymous visitors are sent to the
# login page, except for the PUBLIC ones (with what an anonymous GET gets).
PLAIN: dict[str, str] = {
    "login": "GET",
    "logout": "POST",
    "password_change": "GET",
    "password_change_done": "GET",
    "password_reset": "GET",
    "password_reset_done": "GET",
    "password_reset_complete": "GET",
    "api_tokens": "GET",
    "bureau_hours_import": "GET",
    "home": "GET",
    "schools": "GET",
    "school_years": "GET",
    "school_year_new": "GET",
    "language": "POST",
    "jobs": "GET",
    "data_export": "GET",
    "health": "GET",
    "teachers:list": "GET",
    "teachers:export": "POST",
    "teachers:create": "GET",
    "teachers:me": "GET",
    "teachers:posts_overview": "GET",
    "teachers:import": "GET",
    "teachers:import_confirm": "POST",
    "documents:dossier_batch": "GET",
    "backbone:roster": "GET",
    "backbone:roster_print": "GET",
    "backbone:roster_export": "POST",
    "backbone:designation_new": "GET",
    "backbone:designation_import": "GET",
    "backbone:designation_import_confirm": "POST",
    "backbone:reserve": "GET",
    "backbone:rounds": "GET",
    "backbone:recommendations": "GET",
    "backbone:round_new": "GET",
    "backbone:notices": "GET",
    "backbone:rules": "GET",
    "backbone:eligibility": "GET",
    "backbone:grades": "GET",
    "backbone:targets": "GET",
    "backbone:target_create": "GET",
    "records:growth": "GET",
    "records:queue": "GET",
    "records:verify_bulk": "POST",
    "records:calendar": "GET",
    "records:observations_quick": "GET",
    "records:exemptions": "GET",
    "assessment:duties_grid": "GET",
    "assessment:duties_export": "POST",
    "assessment:my_duties": "GET",
    "assessment:duty_templates": "GET",
    "assessment:open_school_year": "GET",
    "assessment:templates": "GET",
    "assessment:rounds": "GET",
    "assessment:round_new": "GET",
    "assessment:results_list": "GET",
    "assessment:flagged": "GET",
    "assessment:duty_report": "GET",
    "assessment:monthly_checks": "GET",
    "assessment:monthly_check_new": "POST",
    "assessment:monthly_mine": "GET",
    "honours:lists": "GET",
    "honours:list_new": "POST",
    "honours:mine": "GET",
    "honours:priority": "GET",
    "honours:pay": "GET",
    "honours:pay_export": "POST",
    "documents:yearly": "GET",
    "documents:district": "GET",
    "documents:city": "GET",
    "documents:district_export": "POST",
    "mentoring:list": "GET",
    "mentoring:new": "GET",
    "mentoring:mentors": "GET",
    "mentoring:overview": "GET",
    "mentoring:overview_export": "POST",
    "training:programmes": "GET",
    "training:programme_new": "GET",
    "training:signin": "GET",
    "training:signin_offline": "POST",
    "training:mine": "GET",
    "training:certificate_check": "GET",
    "sso_refused": "GET",
    "sso_cas_login": "GET",
    "oidc_authentication_init": "GET",
    "oidc_authentication_callback": "GET",
    "groups:list": "GET",
    "groups:new": "GET",
    "groups:settings": "GET",
    "training:needs_list": "GET",
    "training:needs_new": "POST",
    "contests:contests": "GET",
    "records:lesson_studies": "GET",
    "contests:library": "GET",
    "contests:collection_print": "POST",
    "records:lesson_study_new": "GET",
    "contests:contest_new": "GET",
    "training:calendar": "GET",
    "training:calendar_ics": "GET",
    "manifest": "GET",
    "service_worker": "GET",
    "outbox": "GET",
    "group_search": "GET",
    "recognition:sheet": "GET",
    "recognition:sheet_pay": "POST",
    "recognition:sheet_export": "POST",
    "recognition:rates": "GET",
    "recognition:rate_new": "GET",
    "recognition:rewards": "GET",
    "recognition:reward_new": "GET",
    "recognition:reward_decide": "POST",
    "recognition:rewards_export": "POST",
}
# What an anonymous visitor gets from the pages open to everyone.
PUBLIC: dict[str, dict[str, int]] = {
    "login": {"GET": 200},
    "health": {"GET": 200},
    "language": {"GET": 405, "POST": 302},  # POST only; the switch sends the visitor back
    "training:certificate_check": {"GET": 200},
    # single sign-on: the refusal page says whom to ask; the protocols are off by default
    "sso_refused": {"GET": 403},
    "sso_cas_login": {"GET": 404},
    "oidc_authentication_init": {"GET": 404},
    "oidc_authentication_callback": {"GET": 404},
    "password_reset": {"GET": 200, "POST": 200},  # POSTed empty: the form asks for the address
    "password_reset_done": {"GET": 200},
    "password_reset_confirm": {"GET": 200},
    "password_reset_complete": {"GET": 200},
    # the installable app: a phone fetches these before anyone has logged in
    "manifest": {"GET": 200, "POST": 405},
    "service_worker": {"GET": 200, "POST": 405},
}


# -- the world -----------------------------------------------------------------------------------
@dataclass
class Side:
    """One school with its people and one object of every kind."""

    school: Any
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    # Texts of this school that only some of its people may read, and who.
    secrets: dict[str, set[str]] = field(default_factory=dict)

    def __getitem__(self, key):
        return self.objects[key]


CRITERIA = [
    {"name": "师德表现", "weight": 40, "max_score": 100},
    {"name": "教学实绩", "weight": 60, "max_score": 100},
]


def build_side(tag: str, school_name: str, district=None) -> Side:
    """A school of its own district (or of ``district``). ``tag`` starts every name, so a page
    leaking this school to the other one is easy to spot."""
    from assessment.models import AssessmentRound, DutyTemplate
    from assessment.services import rounds as assessment_rounds
    from assessment.services.duties import duty_templates_ensure_defaults
    from backbone.models import ReserveEntry, Target
    from backbone.services import rounds as selection
    from backbone.services.reserve import reserve_recommend
    from mentoring.models import GuidanceSession, Pairing
    from records import models as records
    from records.services.files import attachment_add
    from records.services.workflow import record_submit
    from tests.factories import (
        DesignationFactory,
        OpenClassFactory,
        SchoolFactory,
        SchoolYearFactory,
        TeacherFactory,
        TrainingFactory,
        tier,
        user_with_role,
    )

    extra = {"district": district} if district is not None else {}
    school = SchoolFactory(name=f"{tag}{school_name}", **extra)
    district = school.district
    side = Side(school=school)
    u = side.users
    for role, key in (
        (Role.PRINCIPAL, "principal"),
        (Role.TRAINING_OFFICE, "office"),
        (Role.COMMITTEE, "committee"),
        (Role.DISTRICT_OFFICE, "district"),
    ):
        u[key] = user_with_role(role, school=school, username=f"{tag}-{key}")
    people = {}
    for key, name in (("teacher", "李明"), ("colleague", "王芳"), ("mentor", "张建国")):
        u[key] = user_with_role(Role.TEACHER, school=school, username=f"{tag}-{key}")
        people[key] = TeacherFactory(school=school, user=u[key], name=f"{tag}{name}")
    teacher, colleague, mentor = people["teacher"], people["colleague"], people["mentor"]
    principal = u["principal"]
    year = school_year_start(TODAY)
    o = side.objects
    o["teacher"], o["colleague"], o["mentor"] = teacher, colleague, mentor
    o["post_held"] = teacher.posts_held.create(post="class_teacher", started_on=TODAY)
    o["title_award"] = teacher.title_awards.create(title=2, awarded_on=TODAY)

    # core
    o["school_year"] = SchoolYear.objects.filter(
        district=district, start_year=year
    ).first() or SchoolYearFactory(district=district, start_year=year)
    o["holiday"] = Holiday.objects.create(
        district=district,
        name=f"{tag}国庆节",
        start_date=datetime.date(year, 10, 1),
        end_date=datetime.date(year, 10, 7),
    )
    job = Job.objects.create(
        kind="roster_export",
        status=Job.Status.DONE,
        requested_by=principal,
        school=school,
        finished_at=timezone.now(),
    )
    job.file.save(f"{tag}花名册.xlsx", ContentFile(b"PK\x03\x04 roster"), save=True)
    o["job"] = job

    # backbone: the mentor is a school-level backbone teacher, flagged after an assessment
    o["designation"] = DesignationFactory(
        teacher=mentor,
        first_year=year - 1,
        last_year=year + 1,
        flagged_at=timezone.now(),
        flag_reason="年度考核不合格",
    )
    o["tier"] = tier(district, "school")
    o["reserve_entry"] = ReserveEntry.objects.create(
        teacher=teacher, tier=tier(district, "district"), reason="成绩突出", marked_by=principal
    )
    o["target"] = Target.objects.create(
        school=school, tier=tier(district, "district"), by_year=year + 2, count=3
    )
    round_args = {
        "school": school,
        "tier": o["tier"],
        "year": year,
        "quota": 2,
        "apply_from": TODAY,
        "apply_until": TODAY + datetime.timedelta(days=7),
        "criteria": CRITERIA,
        "committee": [u["committee"]],
        "by": principal,
    }
    o["selection_round"] = selection.round_open(title=f"{tag}校级骨干评选", **round_args)
    o["candidacy"] = selection.candidate_apply(
        round=o["selection_round"], teacher=teacher, statement="开设区级公开课3节", by=u["teacher"]
    )
    announced = selection.round_open(title=f"{tag}校级骨干评选（公示）", **round_args)
    nominees = [TeacherFactory(school=school, name=f"{tag}候选{i}") for i in (1, 2)]
    for nominee in nominees:
        selection.candidate_nominate(round=announced, teacher=nominee, by=principal)
    selection.round_close_applications(round=announced, by=principal)
    values = {
        (c.pk, k.pk): 90 for c in announced.candidates.all() for k in announced.criteria.all()
    }
    selection.score_sheet_save(round=announced, member=u["committee"], values=values)
    selection.score_sheet_submit(round=announced, member=u["committee"])
    selection.round_propose(round=announced, by=principal, candidates=announced.candidates.all())
    selection.round_announce(
        round=announced,
        by=principal,
        announce_from=TODAY,
        announce_until=TODAY + datetime.timedelta(days=5),
    )
    o["announced_round"] = announced
    # A district round, the school recommending its reserve-pool teacher to it (推荐上报).
    o["district_round"] = selection.district_round_open(
        district=district,
        tier=tier(district, "district"),
        title=f"{tag}区级骨干评选",
        year=year,
        quota=2,
        school_quota=1,
        apply_from=TODAY,
        apply_until=TODAY + datetime.timedelta(days=7),
        criteria=CRITERIA,
        committee=[u["committee"]],
        by=u["district"],
    )
    reserve_recommend(entries=[o["reserve_entry"]], reason=f"{tag}推荐上报", by=principal)
    o["objection"] = selection.objection_lodge(
        round=announced, author=u["colleague"], text=f"{tag}对名单有异议"
    )

    # records: one of each kind by the teacher, submitted, each with a file; and a draft
    common = {"teacher": teacher, "date": TODAY - datetime.timedelta(days=3), "year": year}
    made = {
        "open_class": OpenClassFactory(
            **common,
            topic=f"{tag}《落花生》",
            class_kind="report",
            starts_at=timezone.now() - datetime.timedelta(days=3),
        ),  # fmt: skip
        "observation": records.Observation.objects.create(
            **common, observed_name=f"{tag}外校老师", subject="语文"
        ),
        "paper": records.Paper.objects.create(
            **common, result_kind="paper", paper_title=f"{tag}大单元教学的实践"
        ),
        "project": records.ResearchProject.objects.create(
            **common, project_title=f"{tag}课题", level=1, role="leader", stage="approved"
        ),
        "lecture": records.Lecture.objects.create(
            **common, topic=f"{tag}讲座", audience="whole_staff"
        ),
        "training": TrainingFactory(**common, course=f"{tag}校本培训"),
        "reading": records.ReadingNote.objects.create(
            **common, book=f"{tag}《给教师的建议》", reflection="收获很多"
        ),
        "reflection": records.TeachingReflection.objects.create(
            **common, lesson=f"{tag}《落花生》第二课时", reflection="提问太密"
        ),
        "study_trip": records.StudyTrip.objects.create(
            **common, destination=f"{tag}上海", end_date=common["date"], purpose="跟岗学习"
        ),
        "plan": records.SelfDevelopmentPlan.objects.create(
            **common,
            first_year=year,
            last_year=year + 2,
            review="回顾",
            self_assessment="自评",
            long_term_goals="长期目标",
            short_term_goals="短期目标",
            measures="措施",
        ),  # fmt: skip
    }
    for key, record in made.items():
        o[key] = record
        o[f"{key}_attachment"] = attachment_add(
            record=record, upload=pdf_upload(), role="other", by=u["teacher"]
        )
        record_submit(record=record, by=u["teacher"])
        record.refresh_from_db()
    o["draft"] = TrainingFactory(**common, course=f"{tag}草稿培训")
    side.secrets[o["draft"].course] = {"teacher"}  # a draft is its author's alone
    o["hours_exemption"] = records.HoursExemption.objects.create(
        teacher=colleague, year=year, reason=f"{tag}脱产进修", granted_by=u["office"]
    )

    # mentoring: the mentor guides the teacher; the mentor logged a session to confirm
    pairing = Pairing.objects.create(
        school=school,
        mentor=mentor,
        apprentice=teacher,
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=TODAY + datetime.timedelta(days=300),
        goals="一年内站稳讲台",
        mentor_duties="每周听课两节",
        apprentice_duties="每周听课一节",
        approved_by=principal,
        approved_at=timezone.now(),
    )
    o["pairing"] = pairing
    o["session"] = GuidanceSession.objects.create(
        pairing=pairing,
        date=TODAY - datetime.timedelta(days=2),
        kind=GuidanceSession.Kind.DEBRIEF,
        notes=f"{tag}私下谈的课后研讨",
        private=True,
        logged_by=u["mentor"],
    )
    side.secrets[o["session"].notes] = {"teacher", "mentor"}

    # assessment: the mentor's annual assessment being scored, and a posted semester check
    duty_templates_ensure_defaults(district=district, year=year)
    o["duty_template"] = DutyTemplate.objects.filter(district=district, school=None).first()
    o["assessment_round"] = assessment_rounds.round_open(
        school=school, kind="annual", year=year, title=f"{tag}年度考核",
        committee=[u["committee"]], by=principal,
    )  # fmt: skip
    o["entry"] = o["assessment_round"].entries.get(teacher=mentor)
    posted = assessment_rounds.round_open(
        school=school, kind="semester", semester=1, year=year, title=f"{tag}学期考查",
        committee=[u["committee"]], by=principal,
    )  # fmt: skip
    scores = {
        (e.pk, c.pk): Decimal(c.max_score) * Decimal("0.9")
        for e in posted.entries.all()
        for c in posted.template.components.all()
    }
    assessment_rounds.score_sheet_save(round=posted, member=u["committee"], values=scores)
    assessment_rounds.score_sheet_submit(round=posted, member=u["committee"])
    assessment_rounds.round_finalise(round=posted, by=principal)
    assessment_rounds.round_post(
        round=posted,
        by=principal,
        notice_from=TODAY,
        notice_until=TODAY + datetime.timedelta(days=5),
    )
    o["posted_round"] = AssessmentRound.objects.get(pk=posted.pk)
    o["posted_entry"] = posted.entries.get(teacher=mentor)
    from assessment.services.monthly import monthly_check_open

    o["monthly_check"] = monthly_check_open(school=school, month=TODAY, by=principal)

    # honours: this year's list proposed, last year's confirmed with the colleague on it
    from honours.models import HonourCandidate
    from honours.services import honour_list_confirm, honour_list_propose

    o["honour_list"] = honour_list_propose(school=school, year=year, by=principal)
    confirmed = honour_list_propose(school=school, year=year - 1, by=principal)
    HonourCandidate.objects.create(honour_list=confirmed, teacher=colleague, honour="优秀教师")
    confirmed.commended_on = TODAY
    confirmed.save()
    o["confirmed_honours"] = honour_list_confirm(honour_list=confirmed, by=principal)

    # training: the school's programme, the teacher enrolled, a session open all day today
    from training.models import Enrolment, Programme, Session

    o["programme"] = Programme.objects.create(
        school=school, district=district, title=f"{tag}校本培训项目", kind="school_based",
        start_date=datetime.date(year, 9, 1), end_date=datetime.date(year + 1, 8, 31),
        hours_per_session=Decimal(3),
    )  # fmt: skip
    Enrolment.objects.create(programme=o["programme"], teacher=teacher, origin="named")
    o["training_session"] = Session.objects.create(
        programme=o["programme"], date=TODAY, starts_at=datetime.time(0, 0),
        ends_at=datetime.time(23, 59, 59), theme=f"{tag}专题讲座", content="内容",
        speaker_name="专家", hours=Decimal(3), published_at=timezone.now(),
    )  # fmt: skip
    o["training_session"].attendances.create(teacher=teacher, status="present", method="qr")
    build_groups(side, year)
    from api.tokens import token_create

    o["api_token"], _raw = token_create(user=u["principal"], name=f"{tag}的令牌")
    from training.models import NeedsQuestion, NeedsSurvey

    o["needs_survey"] = NeedsSurvey.objects.create(
        school=school, district=district, year=year, title=f"{tag}研训需求调查"
    )
    NeedsQuestion.objects.bulk_create(NeedsQuestion.defaults_for(survey=o["needs_survey"]))

    # competitions: the school's contest taking entries, judged by the committee member; the
    # teacher's entry is theirs, the organiser's and the judge's to read (who else sees it on
    # the contest's pages: tests/contests/test_views.py)
    from contests.services.contests import contest_create
    from contests.services.entries import entry_submit

    o["contest"] = contest_create(
        school=school, district=district, title=f"{tag}青年教师赛课", categories=["class"],
        rules="", entry_opens=TODAY, entry_closes=TODAY + datetime.timedelta(days=5),
        held_on=TODAY + datetime.timedelta(days=6), quota_per_school=None,
        criteria=[{"name": "课堂教学", "weight": 100}], judges=[u["committee"]], by=principal,
    )  # fmt: skip
    o["contest_entry"] = entry_submit(
        contest=o["contest"], teacher=teacher, category="class", title=f"{tag}赛课《雨》",
        upload=pdf_upload(), by=u["teacher"],
    )  # fmt: skip

    # lesson study: the teacher's open class as its first round
    from records.services.lessonstudy import lesson_study_create, lesson_study_round_add

    o["lesson_study"] = lesson_study_create(
        school=school, kind="polishing", lesson=f"{tag}《落花生》磨课", subject="语文",
        grade="五年级", theme="", by=principal,
    )  # fmt: skip
    lesson_study_round_add(study=o["lesson_study"], open_class=o["open_class"], by=principal)

    # the shared library: the colleague's verified case, shared with the school, with a file
    from contests.services.library import item_share

    case = records.Paper.objects.create(
        teacher=colleague, date=TODAY - datetime.timedelta(days=3), year=year, status="draft",
        result_kind="case", paper_title=f"{tag}优秀案例",
    )  # fmt: skip
    o["shared_attachment"] = attachment_add(
        record=case, upload=pdf_upload(), role="other", by=u["colleague"]
    )
    records.Paper.objects.filter(pk=case.pk).update(status="verified")
    o["shared_item"] = item_share(record=case, reach="school", by=u["colleague"])
    from training.models import Application

    o["application"] = Application.objects.create(programme=o["programme"], teacher=colleague)
    o["open_programme"] = Programme.objects.create(
        school=school, district=district, title=f"{tag}读书班", kind="reading_class",
        start_date=datetime.date(year, 9, 1), end_date=datetime.date(year + 1, 8, 31),
        hours_per_session=Decimal(2), open_for_application=True,
    )  # fmt: skip
    return side


def build_groups(side: Side, year: int) -> None:
    """The mentor heads the teacher's group; the colleague is in no group. One activity today
    with a file, a unit in discussion drafted by the teacher, and one agreed."""
    from core.models import Semester, TeachingGroup
    from groups.services import planning, preparation
    from teachers.models import Teacher

    o, u, school = side.objects, side.users, side.school
    tag = school.name[:2]
    group = TeachingGroup.objects.create(school=school, name=f"{tag}语文组")
    Teacher.objects.filter(pk__in=[o["teacher"].pk, o["mentor"].pk]).update(group=group)
    group.heads.add(u["mentor"])
    semesters = Semester.objects.filter(school_year__district_id=school.district_id)
    semester = (
        semesters.filter(start_date__lte=TODAY, end_date__gte=TODAY).first()
        or semesters.filter(school_year__start_year=year).first()
    )
    day = min(max(TODAY, semester.start_date), semester.end_date)
    principal = u["principal"]
    whole_day = {"starts_at": datetime.time(0, 0), "ends_at": datetime.time(23, 59)}
    plan = planning.plan_create(
        group=group, semester=semester, weekday=day.isoweekday(), place=f"{tag}会议室",
        by=principal, **whole_day,
    )  # fmt: skip
    activity = planning.activity_save(
        plan=plan, week=None, kind="seminar", theme=f"{tag}阅读教学研讨", content="交流",
        date=day, place="会议室", host=o["mentor"], by=principal, **whole_day,
    )  # fmt: skip
    o["group"], o["group_plan"], o["group_activity"] = group, plan, activity
    o["group_file"] = planning.activity_file_add(
        activity=activity, upload=pdf_upload(), by=principal
    )
    unit = preparation.unit_create(
        plan=plan, title=f"{tag}《草船借箭》", main_preparer=o["teacher"], activity=None,
        by=principal,
    )  # fmt: skip
    o["group_unit"] = preparation.unit_draft_save(
        unit=unit, draft="初稿", upload=pdf_upload(), by=u["teacher"]
    )
    agreed = preparation.unit_create(
        plan=plan, title=f"{tag}《景阳冈》", main_preparer=o["mentor"], activity=None, by=principal
    )
    preparation.unit_draft_save(unit=agreed, draft="初稿", by=u["mentor"])
    o["agreed_unit"] = preparation.unit_agree(unit=agreed, common_plan="", by=principal)


@dataclass
class World:
    own: Side
    other: Side
    clients: dict[str, Client]  # signed in as the own school's people
    other_clients: dict[str, Client]  # ... and as the other school's
    marker: str  # starts every name of the other school
    own_marker: str

    def side(self, name: str) -> Side:
        return self.own if name == "own" else self.other

    def hidden_from(self, role: str) -> list[str]:
        """What the own school's ``role`` must never read."""
        secrets = [text for text, roles in self.own.secrets.items() if role not in roles]
        return [self.marker, *secrets]


@contextmanager
def rolled_back(django_db_blocker, media_root):
    """Around a module's world: built once, inside a transaction rolled back at the end."""
    with override_settings(MEDIA_ROOT=media_root), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back(django_db_blocker, tmp_path_factory.mktemp("matrix-media")):
        own = build_side("甲校", "城东实验小学")
        other = build_side("乙校", "河西第二中学")
        clients, other_clients = {}, {}
        for role in ROLES:
            clients[role], other_clients[role] = Client(), Client()
            clients[role].force_login(own.users[role])
            other_clients[role].force_login(other.users[role])
        yield World(own, other, clients, other_clients, marker="乙校", own_marker="甲校")


@pytest.fixture(autouse=True)
def contract_pdf_stub(monkeypatch):
    """WeasyPrint is slow; who may download the contract does not depend on the PDF (the
    document itself is tested in tests/mentoring/test_contract_pdf.py)."""
    monkeypatch.setattr("mentoring.pdf.contract_pdf", lambda *, pairing: b"%PDF-1.7 stub")


# -- requests ------------------------------------------------------------------------------------
def url_for(name: str, rule: Rule, side: Side) -> str:
    if callable(rule.target):
        kwargs, query = rule.target(side)
    else:
        kwargs, query = {"pk": side[rule.target].pk}, ""
    return reverse(name, kwargs=kwargs) + query


class WriteLog:
    """Records the statements that changed data, sessions aside. An UPDATE or DELETE matching
    no row changes nothing (services claim work that way); every INSERT counts (with RETURNING
    its row count is not known before the rows are fetched)."""

    def __init__(self):
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        verb = sql.lstrip()[:6].upper()
        changed = verb == "INSERT" or (verb in ("UPDATE", "DELETE") and context["cursor"].rowcount)
        if changed and "django_session" not in sql:
            self.writes.append(sql[:120])
        return result


@dataclass
class Result:
    status: int
    location: str
    content: bytes
    headers: dict
    writes: list[str]


def send(client: Client, method: str, url: str, data=None) -> Result:
    """One request in a savepoint rolled back afterwards."""
    client.cookies.pop("messages", None)
    if callable(data):
        data = data()
    sid = transaction.savepoint()
    try:
        log = WriteLog()
        with connection.execute_wrapper(log):
            response = client.post(url, data or {}) if method == "POST" else client.get(url)
        # Reading a streamed file to the end closes it the way the test client expects (a bare
        # close() would let Django close the database connection mid-transaction).
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return Result(
            status=response.status_code,
            location=response.headers.get("Location", ""),
            content=content,
            headers=dict(response.headers),
            writes=log.writes,
        )
    finally:
        transaction.savepoint_rollback(sid)


def is_login_redirect(result: Result) -> bool:
    return result.status == 302 and result.location.startswith(reverse(settings.LOGIN_URL))


def check(expected: str, method: str, result: Result, hidden: list[str]) -> str | None:
    """What is wrong with ``result``, or None."""
    if method == "FILE" and expected == "A":
        if result.status != 200 or "attachment" not in result.headers.get(
            "Content-Disposition", ""
        ):
            return f"expected a download, got {result.status}"
        return None
    if expected == "A":
        if result.status == 302:
            if is_login_redirect(result) or not result.location.startswith("/"):
                return f"expected allowed, redirected to {result.location}"
        elif result.status != 200:
            return f"expected allowed, got {result.status}"
        return shows(result, hidden)
    wanted = {"F": 403, "N": 404, "R": 302}[expected]
    if result.status != wanted or is_login_redirect(result):
        return f"expected {wanted}, got {result.status} {result.location}".rstrip()
    if result.writes:
        return f"refused ({result.status}) but wrote: {result.writes[0]}"
    return shows(result, hidden)


def shows(result: Result, hidden: list[str]) -> str | None:
    for text in hidden:
        if text.encode() in result.content:
            return f"the page shows {text!r}"
    return None


def requests_for(rule: Rule) -> list[str]:
    """GET for pages and downloads, POST for actions; a form is also POSTed by those refused."""
    return {"GET": ["GET"], "FILE": ["GET"], "POST": ["POST"], "FORM": ["GET", "POST"]}[rule.method]


# -- the tests -----------------------------------------------------------------------------------
def rule_cases():
    cases = []
    for name, entry in sorted(URLS.items()):
        if not entry.kwargs:
            continue
        rules = RULES.get(name)
        if rules is None:
            cases.append(pytest.param(name, None, id=name))
            continue
        for rule in rules if isinstance(rules, list) else [rules]:
            cases.append(
                pytest.param(name, rule, id=f"{name}[{rule.variant}]" if rule.variant else name)
            )
    return cases


def test_every_url_of_the_project_is_in_the_table():
    """A new view must be given its row before it can be merged."""
    with_ids = {name for name, e in URLS.items() if e.kwargs}
    without_ids = set(URLS) - with_ids
    assert sorted(with_ids - set(RULES)) == [], "add these URLs to RULES"
    assert sorted(without_ids - set(PLAIN)) == [], "add these URLs to PLAIN"
    assert sorted(set(RULES) - with_ids) == [], "RULES for URLs gone or taking no object"
    assert sorted(set(PLAIN) - without_ids) == [], "PLAIN URLs gone or now taking an object"
    assert set(PUBLIC) <= set(PLAIN) | set(RULES)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rule"), rule_cases())
def test_who_may_reach_each_object(world, name, rule):
    assert rule is not None, f"{name} is not in RULES: decide who may reach it"
    problems = []
    for side_name in ("own", "other"):
        if side_name == "other" and rule.other is None:
            continue
        url = url_for(name, rule, world.side(side_name))
        for role, expected in rule.codes(side_name).items():
            for method in requests_for(rule):
                if rule.method == "FORM" and method == "POST" and expected == "A":
                    continue  # the form's own tests post it
                result = send(world.clients[role], method, url, rule.data)
                problem = check(expected, rule.method, result, world.hidden_from(role))
                if problem:
                    problems.append(f"{role:9} {side_name:5} {method:4} {url}: {problem}")
    if rule.other is not None:
        # The same role at the other school gets what it gets at its own: the refusals above
        # come from the scoping, not from a broken URL.
        codes = rule.codes("own")
        role = next((r for r, c in codes.items() if c == "A"), None)
        role = role or next(r for r, c in codes.items() if c != "N")
        url = url_for(name, rule, world.other)
        method = "POST" if rule.method == "POST" else "GET"
        result = send(world.other_clients[role], method, url, rule.data)
        problem = check(codes[role], rule.method, result, [world.own_marker])
        if problem:
            problems.append(f"{role:9} of the other school {method:4} {url}: {problem}")
    assert not problems, "\n".join(problems)


PAGES = sorted(name for name, method in PLAIN.items() if method == "GET" and name != "login")


def page_problems(client: Client, queries: list[str], hidden: list[str]) -> list[str]:
    """Every page without ids, with each query string: errors, and ``hidden`` texts shown."""
    problems = []
    for name in PAGES:
        for url in (reverse(name) + query for query in queries):
            result = send(client, "GET", url)
            if result.status >= 500 or is_login_redirect(result):
                problems.append(f"{url}: {result.status} {result.location}")
            elif problem := shows(result, hidden):
                problems.append(f"{url}: {problem}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_pages_without_ids_show_nothing_of_the_other_school(world, role):
    """Lists, dashboards, calendars and forms (their choices included) of every role, also
    when the query names the other school or district, as the pages' filters do."""
    other = world.other.school
    queries = ["", f"?school={other.pk}&district={other.district_id}"]
    problems = page_problems(world.clients[role], queries, world.hidden_from(role))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_anonymous_visitors_are_sent_to_the_login_page(world, name):
    rules = RULES.get(name)
    if rules is not None:
        rule = rules[0] if isinstance(rules, list) else rules
        url = url_for(name, rule, world.own)
    else:
        assert name in PLAIN, f"{name} is in neither RULES nor PLAIN"
        url = reverse(name)
    anonymous = Client()
    for method in ("GET", "POST"):
        result = send(anonymous, method, url)
        if name in PUBLIC:
            if method in PUBLIC[name]:
                assert result.status == PUBLIC[name][method], (method, result.status)
            continue
        assert is_login_redirect(result), (method, result.status, result.location)
        assert not result.writes, result.writes


# -- ids of the other school in a form --------------------------------------------------------
def _year() -> int:
    return school_year_start(TODAY)


def _tier_pk(side: Side, code: str) -> int:
    from tests.factories import tier

    return tier(side.school.district, code).pk


# (who, URL name, the own school's object in the URL or None, form data naming a side's objects)
# Posted with the own school's objects, each form writes (so the data is valid); posted with the
# other school's, it must write nothing.
FOREIGN_POSTS = [
    ("principal", "records:verify_bulk", None, lambda side: {"records": [side["training"].pk]}),
    ("principal", "backbone:round_nominate", "selection_round",
     lambda side: {"teachers": [side["colleague"].pk]}),
    ("principal", "backbone:designation_new", None,
     lambda side: {"teacher": side["colleague"].pk, "tier": _tier_pk(side, "district"),
                   "designated_by": "区教育局", "first_year": _year(), "last_year": _year() + 2}),
    ("principal", "backbone:reserve", None,
     lambda side: {"teacher": side["colleague"].pk, "tier": _tier_pk(side, "municipal"),
                   "reason": "教学突出"}),
    ("principal", "teachers:create", None,
     lambda side: {"school": side.school.pk, "staff_no": "N001", "name": "新来的老师",
                   "gender": "F", "birth_date": "1995-03-01", "career_start": "2018-09-01",
                   "education": 3, "title": 2, "subject": "数学", "is_active": "on"}),
    ("principal", "mentoring:new", None,
     lambda side: {"mentor": side["colleague"].pk, "apprentice": side["mentor"].pk,
                   "start_date": TODAY, "end_date": TODAY + datetime.timedelta(days=200),
                   "mentor_observations_per_week": 2, "apprentice_observations_per_week": 1,
                   "goals": "站稳讲台", "mentor_duties": "听课", "apprentice_duties": "听课"}),
    ("principal", "assessment:round_new", None,
     lambda side: {"school": side.school.pk, "kind": "annual", "year": _year() - 1,
                   "title": "上学年考核", "committee": [side.users["committee"].pk]}),
    ("principal", "documents:dossier_batch", None,
     lambda side: {"school": side.school.pk, "format": "zip"}),
    ("principal", "documents:yearly", None,
     lambda side: {"owner": f"school={side.school.pk}", "year": _year() - 1, "format": "pdf"}),
    ("principal", "data_export", None, lambda side: {"owner": f"school={side.school.pk}"}),
    ("district", "documents:district_export", None,
     lambda side: {"district": side.school.district_id}),
    ("mentor", "mentoring:appraisal", "pairing",
     lambda side: {"final_appraisal": "进步明显", "report_class": side["open_class"].pk}),
    ("principal", "recognition:reward_new", None,
     lambda side: {"school": side.school.pk, "teacher": side["colleague"].pk,
                   "kind": "commendation", "title": "优秀骨干教师", "awarded_on": TODAY}),
    ("principal", "recognition:rate_new", None,
     lambda side: {"applies_to": f"school={side.school.pk}", "kind": "allowance",
                   "tier": _tier_pk(side, "school"), "amount": "20", "valid_from": "2025-09"}),
    ("teacher", "backbone:objection_new", "announced_round",
     lambda side: {"text": "有异议", "candidate": side["announced_round"].candidates.first().pk}),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "name", "target", "data"),
    [pytest.param(*case, id=f"{case[1]}-{case[0]}") for case in FOREIGN_POSTS],
)
def test_forms_refuse_the_other_schools_objects(world, role, name, target, data):
    url = reverse(name, kwargs={"pk": world.own[target].pk} if target else None)
    client = world.clients[role]
    mine = send(client, "POST", url, data(world.own))
    assert mine.status in (200, 302) and mine.writes, "the own school's data should be taken"
    theirs = send(client, "POST", url, data(world.other))
    assert theirs.status in (200, 302, 403, 404), theirs.status
    assert not theirs.writes, theirs.writes
    assert not shows(theirs, [world.marker])


@pytest.mark.django_db
def test_static_files_are_served_to_anonymous_visitors(world, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get(static("css/gugan.css"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_principal_cannot_reach_the_admin(world):
    client = world.clients["principal"]
    school = world.own.school
    for url in ("/admin/", "/admin/core/school/", f"/admin/core/school/{school.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


@pytest.mark.django_db
def test_a_superuser_reaches_the_admin(world):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/admin/core/school/{world.own.school.pk}/change/").status_code == 200
