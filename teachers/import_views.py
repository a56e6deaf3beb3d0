"""PLACEHOLDER so the URLconf loads: helper-1 replaces this whole file with the real views."""

from django.http import Http404


def roster_import_upload(request):
    raise Http404


def roster_import_confirm(request):
    raise Http404
