"""The citizens' door: find your commune and its public pages, without an account."""
