import django_filters

from .forms import FilterForm


class FilterSet(django_filters.FilterSet):
    """Every list filter of Gugan: its form is a core FilterForm, so each menu offers "All"
    first and its text fields are guarded like every other form's."""

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (FilterForm,), fields)
