"""Every write about groups: the groups themselves and who leads them (organisation), the
semester plan and its activities (planning), collective lesson preparation (preparation)."""
