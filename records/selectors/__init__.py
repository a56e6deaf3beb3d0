"""Every read a records page needs, already scoped to the user (one module per concept)."""
