import django_filters
from django.shortcuts import render

from .models import Teacher


class TeacherFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    title = django_filters.ChoiceFilter(choices=[(n, n) for n in range(1, 6)])
    education = django_filters.ChoiceFilter(choices=[(n, n) for n in range(1, 6)])

    class Meta:
        model = Teacher
        fields = ["name", "title", "education"]


def teacher_list(request):
    queryset = Teacher.objects.filter(is_active=True).select_related("school").order_by("name")
    filterset = TeacherFilter(request.GET, queryset=queryset)
    teachers = list(filterset.qs[:50])
    return render(request, "floor/list.html", {"filter": filterset, "teachers": teachers})
