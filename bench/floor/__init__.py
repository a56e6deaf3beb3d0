"""The floor of `make bench`: the cheapest realistic page a school could pick instead of Gugan.

A separate minimal Django project (its own settings, urls and one view) reading the same
``teachers_teacher`` table through an unmanaged model: a django-filter form and a 50-row list
in a base layout with the same bootstrap files. Served by its own gunicorn:

    DATABASE_URL=postgres://... gunicorn -c config/gunicorn.py bench.floor.wsgi:application
"""
