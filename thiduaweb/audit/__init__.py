"""The audit trail: who changed what, when, in which unit — chained by hash."""
