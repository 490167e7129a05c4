"""Kế hoạch: city parent plans, commune adoption and adaptation, print and .docx output."""
