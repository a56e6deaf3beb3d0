"""Group pages: groups and their people (organisation), the semester plan (plans), activities
(activities), collective preparation (preparation)."""
