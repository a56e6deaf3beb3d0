"""Documents that compose several apps: the teacher dossier, the result sheets of an assessment
round, the yearly review report and the district overview. The top floor: each is built from
the selectors and models of the apps below, and nothing below imports it."""
