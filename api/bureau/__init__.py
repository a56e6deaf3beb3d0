"""Training hours from the bureau's continuing-education platform (继续教育平台): pushed by its
system (POST /api/v1/hours/) or imported from its xlsx export. Both check every entry with one
serializer and write with one service (``entries``), into the same ledger as the session
register: one verified training record per teacher and external id (records.services.credits)."""
