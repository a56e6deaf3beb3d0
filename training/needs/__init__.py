"""The annual training-needs survey (研训需求调查): services (opening, questions, answers,
aggregates), forms, views, and the xlsx export job (exports)."""
