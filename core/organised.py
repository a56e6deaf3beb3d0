"""What a school or a district office organises (training programmes, contests, needs
surveys): the school is empty for a district's own. Which rows a user sees of them is
``Scope.organised_filter``; this mixin is what each row says about its organiser."""

from .models import school_year_label, school_year_start


class Organised:
    """For a model with ``school`` (nullable), ``district`` and ``year``. ``year_from`` names
    the date field whose school year the row belongs to; None leaves ``year`` as set."""

    year_from: str | None = None

    def save(self, *args, **kwargs):
        if self.year_from:
            self.year = school_year_start(getattr(self, self.year_from))
        if self.school_id and not self.district_id:
            self.district_id = self.school.district_id
        super().save(*args, **kwargs)

    def new_panel(self) -> dict:
        # Secret from everyone, the organiser too, until the organiser reveals the scores: the
        # organiser often sits on the panel, and those scored are colleagues.
        scope = {"school": self.school} if self.school_id else {"district": self.district}
        return {"items": [], "members": [], "managers_see_while_secret": False, **scope}

    @property
    def is_district(self) -> bool:
        return self.school_id is None

    @property
    def organiser_label(self) -> str:
        return str(self.school) if self.school_id else str(self.district)

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)
