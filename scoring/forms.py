"""The score sheet of any panel as a form: one number per row (an entry, a trainee) and
column (a component, an item)."""

from collections.abc import Callable

from django import forms

from core.forms import Form


class SheetForm(Form):
    """Fields named s_<row>_<column>; ``name`` labels a row, ``css_class`` styles a cell."""

    def __init__(
        self,
        *args,
        entries,
        components,
        name: Callable,
        values=None,
        disabled=False,
        css_class: str = "form-control form-control-sm",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        values = values or {}
        self.grid = []
        for entry in entries:
            cells = []
            for component in components:
                field_name = f"s_{entry.pk}_{component.pk}"
                self.fields[field_name] = forms.DecimalField(
                    label=f"{name(entry)} · {component.name}",
                    min_value=0,
                    max_value=component.max_score,
                    max_digits=5,
                    decimal_places=1,
                    required=False,
                    initial=values.get((entry.pk, component.pk)),
                    disabled=disabled,
                    widget=forms.NumberInput(
                        attrs={
                            "class": css_class,
                            "step": "0.1",
                            "min": 0,
                            "max": component.max_score,
                            "inputmode": "decimal",
                        }
                    ),
                )
                cells.append((component, self[field_name]))
            self.grid.append((entry, cells))

    @property
    def values(self) -> dict[tuple[int, int], object]:
        result = {}
        for field_name, value in self.cleaned_data.items():
            _prefix, entry_id, component_id = field_name.split("_")
            result[(int(entry_id), int(component_id))] = value
        return result
