"""Phong trào thi đua: movements, targets, progress, reviews, registrations and compacts."""
